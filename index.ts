import { ArtifactImage } from "./components/image/artifact-image";
import { loadStackConfig } from "./components/config/load";
import { ContainerService } from "./components/container-service";
import { estimateMonthlyCost } from "./components/cost/estimate";

/** The program: stack outputs are what it returns (Pulumi runs an exported function). */
export = () => {
  const config = loadStackConfig();
  const { gcp, runway, decision } = config;
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
    target: decision.target,
    project: gcp.project,
    region: gcp.region,
    service,
    image: published.imageRef,
    repository: published.repository && { project: gcp.project, location: gcp.region, name: published.repository.name },
    cloudrun: runway.cloudrun,
    gke: runway.gke,
    protect: runway.protect,
  });

  const cost = estimateMonthlyCost(config);

  return {
    target: deployed.target,
    targetReasons: decision.reasons,
    url: deployed.url,
    image: published.imageRef,
    serviceAccount: deployed.serviceAccountEmail,
    estimatedMonthlyUsd: { idle: cost.idle.usd ?? null, underLoad: cost.underLoad?.usd ?? null },
    // Only GKE stacks have a cluster; a Cloud Run stack has no such outputs at all.
    ...(deployed.cluster && { cluster: deployed.cluster.clusterName, kubeconfig: deployed.cluster.kubeconfig }),
  };
};
