/**
 * runway's public interface: every component with its Args type, and what a program needs to validate,
 * decide and price a stack. Deep imports are not part of it.
 */
export { ContainerService, type ContainerServiceArgs } from "./container-service";
export { ArtifactImage, imageApis, type ArtifactImageArgs, type ImageSource } from "./image/artifact-image";
export { ProjectApis, type ProjectApisArgs } from "./project/apis";
export { CloudRunService, type CloudRunServiceArgs } from "./targets/cloudrun/service";
export { GpuCluster, type GpuClusterArgs } from "./targets/gke/cluster";
export { KubernetesService, type KubernetesServiceArgs } from "./targets/gke/service";
export type { ClusterPlacement, PlacementPool } from "./targets/gke/rules";
export { clusterSettings } from "./targets/gke/cluster-settings";
export type { ResolvedGke, GpuRequest, PoolArgs, ResolvedPool } from "./targets/gke/sizing";
export type { ResolvedCloudRun } from "./targets/cloudrun/settings";
export { targetApis } from "./targets";
export { loadStackConfig } from "./config/load";
export { gkeSchema, serviceSchema } from "./config/schema";
export { defaultServing, type ServingSettings } from "./targets/gke/keda";
export {
  validateConfig,
  validateWorkload,
  parseServiceArg,
  formatProblems,
  type ValidatedConfig,
  type Validation,
} from "./config/validate";
export type { Decision, DecisionOf, ResolvedTarget, TargetSettings } from "./config/decide";
export type { Problem } from "./config/problem";
export type {
  ServiceConfig,
  ServiceInput,
  CloudRunConfig,
  CloudRunInput,
  GkeConfig,
  GkeInput,
  Target,
} from "./config/schema";
export type { RepositoryRef } from "./workload/image-pull";
export type { ReleaseTags } from "./workload/release";
export { estimateMonthlyCost, type CostEstimate, type CostLine, type CostTotal } from "./cost/estimate";
