import { ArtifactImage } from "./components/artifact-image";
import { loadStackConfig } from "./components/config/load";
import { ContainerService } from "./components/container-service";

const { gcp, runway } = loadStackConfig();
const { service } = runway;

const published = new ArtifactImage(service.name, {
  project: gcp.project,
  location: gcp.region,
  repositoryId: service.name,
  source: runway.image.ref
    ? { ref: runway.image.ref }
    : { context: runway.image.context ?? "app", dockerfile: runway.image.dockerfile },
  keepRecent: runway.image.keepRecent,
  labels: service.labels,
  protect: runway.protect,
});

const deployed = new ContainerService(service.name, {
  target: runway.target,
  project: gcp.project,
  region: gcp.region,
  service,
  image: published.imageRef,
  repository: published.repository && { project: gcp.project, location: gcp.region, name: published.repository.name },
  cloudrun: runway.cloudrun,
  protect: runway.protect,
});

export const target = deployed.target;
export const url = deployed.url;
export const image = published.imageRef;
export const serviceAccount = deployed.serviceAccountEmail;
