import type { Deployer } from "../deploy";
import { GpuCluster } from "./cluster";
import { KubernetesService } from "./service";

/** A cluster sized for the service (unless one is given to share), then the service on it. */
export const deployGke: Deployer<"gke"> = (parent, name, args) => {
  const { project, region, service, apis, physicalName } = args;
  const gke = args.decision.settings;
  const cluster =
    args.cluster ??
    new GpuCluster(
      name,
      { project, region, gke, gpu: service.gpu, labels: service.labels, apis, physicalName },
      { parent },
    );
  const workload = new KubernetesService(
    name,
    {
      project,
      service,
      image: args.image,
      cluster,
      namespace: gke.namespace,
      physicalName,
      repository: args.repository,
      imagePullServiceAccount: cluster.nodeServiceAccountEmail,
      gpuSharing: service.gpu ? gke.gpuPool.sharing : null,
      podSecurity: gke.podSecurity,
      apis,
    },
    { parent },
  );
  return { url: workload.url, serviceAccountEmail: workload.serviceAccountEmail, tags: workload.tags, cluster };
};
