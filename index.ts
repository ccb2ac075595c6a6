import {
  ArtifactImage,
  ContainerService,
  ProjectApis,
  estimateMonthlyCost,
  imageApis,
  loadStackConfig,
  targetApis,
} from "./components";
import { DEFAULT_BUILD_CONTEXT } from "./components/image/dockerfile";
import { apiParentsBefore } from "./components/project/previous-urns";

/** The program: stack outputs are what it returns (Pulumi runs an exported function). */
export = () => {
  const config = loadStackConfig();
  const { gcp, runway, decision, physicalName } = config;
  const { service } = runway;
  const source = runway.image.ref
    ? { ref: runway.image.ref }
    : { context: runway.image.context ?? DEFAULT_BUILD_CONTEXT, dockerfile: runway.image.dockerfile };

  // Every API the stack needs, enabled once, before anything that uses it.
  const apis = new ProjectApis(service.name, {
    project: gcp.project,
    apis: [...imageApis(source), ...targetApis(decision, service)],
    previousParents: apiParentsBefore(service.name),
  });

  const published = new ArtifactImage(service.name, {
    project: gcp.project,
    location: gcp.region,
    repositoryId: physicalName,
    source,
    keepRecent: runway.image.keepRecent,
    labels: service.labels,
    protect: runway.protect,
    apis,
  });

  const deployed = new ContainerService(service.name, {
    project: gcp.project,
    region: gcp.region,
    service,
    image: published.imageRef,
    repository: published.repositoryRef,
    apis,
    decision,
    physicalName,
  });

  const cost = estimateMonthlyCost(config);

  return {
    target: deployed.target,
    targetReasons: deployed.targetReasons,
    url: deployed.url,
    image: published.imageRef,
    serviceAccount: deployed.serviceAccountEmail,
    tags: deployed.tags,
    estimatedMonthlyUsd: { idle: cost.idle.usd ?? null, underLoad: cost.underLoad?.usd ?? null },
    // Only GKE stacks have a cluster; a Cloud Run stack has no such outputs at all.
    ...(deployed.cluster && { cluster: deployed.cluster.clusterName, kubeconfig: deployed.cluster.kubeconfig }),
  };
};
