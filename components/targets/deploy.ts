/** What ContainerService hands a target's deployer, and what it gets back. */
import type * as pulumi from "@pulumi/pulumi";
import type { DecisionOf, ResolvedTarget } from "../config/decide";
import type { ServiceConfig } from "../config/schema";
import type { ProjectApis } from "../project/apis";
import type { RepositoryRef } from "../workload/image-pull";
import type { ReleaseTags } from "../workload/release";
import type { GpuCluster } from "./gke/cluster";

export interface DeployArgs<K extends ResolvedTarget> {
  readonly decision: DecisionOf<K>;
  readonly project: string;
  readonly region: string;
  readonly service: ServiceConfig;
  readonly image: pulumi.Input<string>;
  readonly repository?: RepositoryRef | undefined;
  readonly cluster?: GpuCluster | undefined;
  readonly apis: ProjectApis;
  /** The base of the names the target gives resources in the project. */
  readonly physicalName: string;
}

export interface Deployed {
  readonly url: pulumi.Output<string>;
  readonly serviceAccountEmail: pulumi.Output<string>;
  /** Each release tag's own address (service.release.candidateTag, stableTag). */
  readonly tags: pulumi.Output<ReleaseTags>;
  /** The GKE cluster the service runs on; undefined on Cloud Run. */
  readonly cluster?: GpuCluster;
}

export type Deployer<K extends ResolvedTarget> = (
  parent: pulumi.ComponentResource,
  name: string,
  args: DeployArgs<K>,
) => Deployed;
