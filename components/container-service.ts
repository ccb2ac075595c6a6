import * as pulumi from "@pulumi/pulumi";
import { CloudRunService } from "./targets/cloudrun/service";
import { resolveGke } from "./targets/gke/sizing";
import type { CloudRunConfig, GkeConfig, ServiceConfig } from "./config/schema";
import type { ResolvedTarget } from "./config/decide";
import { GpuCluster } from "./targets/gke/cluster";
import { KubernetesService } from "./targets/gke/service";
import type { RepositoryRef } from "./workload/account";

export interface ContainerServiceArgs {
  /** Where the service runs ("auto" is resolved before this point, see config/target.ts). Required. */
  readonly target: ResolvedTarget;
  /** The project to deploy into. Required. */
  readonly project: string;
  /** The region to deploy into. Required. */
  readonly region: string;
  /** The validated service description. Required. */
  readonly service: ServiceConfig;
  /** The image, pinned by digest. Required. */
  readonly image: pulumi.Input<string>;
  /** The image's repository, for read access. Default: none (a prebuilt image elsewhere). */
  readonly repository?: RepositoryRef;
  /** Cloud Run-only settings. Default: all defaults. */
  readonly cloudrun?: Partial<CloudRunConfig>;
  /** GKE-only settings. Default: all defaults (see config/gke-sizing.ts). */
  readonly gke?: GkeConfig;
  /** An existing cluster to deploy onto instead of creating one (several services can share it). Default: none. */
  readonly cluster?: GpuCluster;
  /** Protect what is slow to rebuild or holds data. Default false. */
  readonly protect?: boolean;
}

/**
 * One service description, deployed to the target the stack chose. Callers (index.ts) hold no
 * target-specific code: switching target is a config change.
 */
export class ContainerService extends pulumi.ComponentResource {
  /** The target the service runs on. */
  public readonly target: ResolvedTarget;
  /** The URL clients use. */
  public readonly url: pulumi.Output<string>;
  /** The email of the service's own GCP service account. */
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** The GKE cluster the service runs on; undefined on Cloud Run. */
  public readonly cluster?: GpuCluster;

  constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("runway:index:ContainerService", name, {}, opts);
    const { project, region, service } = args;
    if (args.target === "cloudrun") {
      const run = new CloudRunService(
        name,
        { project, region, service, image: args.image, cloudrun: args.cloudrun, repository: args.repository, protect: args.protect },
        { parent: this },
      );
      this.url = run.url;
      this.serviceAccountEmail = run.serviceAccountEmail;
    } else {
      const gke = resolveGke(service, args.gke, region);
      const cluster =
        args.cluster ?? new GpuCluster(name, { project, region, gke, gpu: service.gpu, labels: service.labels }, { parent: this });
      const workload = new KubernetesService(
        name,
        {
          project,
          service,
          image: args.image,
          provider: cluster.provider,
          namespace: gke.namespace,
          repository: args.repository,
          imagePullServiceAccount: cluster.nodeServiceAccountEmail,
          gpuSharing: service.gpu ? gke.gpuPool.sharing : null,
        },
        { parent: this },
      );
      this.cluster = cluster;
      this.url = workload.url;
      this.serviceAccountEmail = workload.serviceAccountEmail;
    }
    this.target = args.target;
    this.registerOutputs({ target: this.target, url: this.url, serviceAccountEmail: this.serviceAccountEmail });
  }
}
