import * as pulumi from "@pulumi/pulumi";
import { refuse, serviceArg } from "./config/component-args";
import type { Decision, ResolvedTarget } from "./config/decide";
import type { CloudRunInput, GkeInput, ServiceConfig, ServiceInput, Target } from "./config/schema";
import { validateWorkload } from "./config/validate";
import type { ReleaseTags } from "./workload/release";
import { ProjectApis } from "./project/apis";
import { targetApis } from "./targets";
import { deployCloudRun } from "./targets/cloudrun/deploy";
import type { DeployArgs, Deployed, Deployer } from "./targets/deploy";
import type { GpuCluster } from "./targets/gke/cluster";
import { deployGke } from "./targets/gke/deploy";
import type { RepositoryRef } from "./workload/image-pull";

export interface ContainerServiceArgs {
  /** The project to deploy into. Required. */
  readonly project: string;
  /** The region to deploy into. Required. */
  readonly region: string;
  /** The service description shared by every target, as in runway:service. Required. */
  readonly service: ServiceInput;
  /** The image, pinned by digest. Required. */
  readonly image: pulumi.Input<string>;
  /** Where the service runs, as runway:target: "cloudrun", "gke" or "auto". Default "auto". */
  readonly target?: Target;
  /** The image's repository, whose reader the pulling identity becomes. Default: parsed from a string `image`. */
  readonly repository?: RepositoryRef | undefined;
  /** Cloud Run-only settings, as in runway:cloudrun. Default: all defaults. */
  readonly cloudrun?: CloudRunInput;
  /** GKE-only settings, as in runway:gke. Default: all defaults, derived from the service. */
  readonly gke?: GkeInput;
  /** An existing cluster to deploy onto instead of creating one (several services can share it). Default: none. */
  readonly cluster?: GpuCluster;
  /** Protect what is slow to rebuild or holds data. Default false. */
  readonly protect?: boolean;
  /** The program's enabled APIs. Default: the component enables what its target needs itself. */
  readonly apis?: ProjectApis;
  /**
   * The base of the names in the project (Cloud Run service, accounts, cluster, network), unique per stack when
   * several share a project, as runway:physicalName. Default: service.name.
   */
  readonly physicalName?: string;
  /** The decision the stack's validation made (loadStackConfig); target, cloudrun, gke and protect are then not read. Default: made here. */
  readonly decision?: Decision;
}

/** The one dispatch on the target: a target missing here does not compile. */
const DEPLOYERS: { readonly [K in ResolvedTarget]: Deployer<K> } = {
  cloudrun: deployCloudRun,
  gke: deployGke,
};

function deploy<K extends ResolvedTarget>(
  parent: pulumi.ComponentResource,
  name: string,
  args: DeployArgs<K>,
): Deployed {
  const deployer: Deployer<K> = DEPLOYERS[args.decision.target];
  return deployer(parent, name, args);
}

function decided(name: string, args: ContainerServiceArgs): { service: ServiceConfig; decision: Decision } {
  if (args.decision) return { service: serviceArg("ContainerService", name, args.service), decision: args.decision };
  const { target = "auto", service, cloudrun, gke, region, protect } = args;
  const result = validateWorkload({ target, service, cloudrun, gke, region, protect });
  if (!result.ok) refuse("ContainerService", name, result.problems);
  return result;
}

/**
 * One service description, deployed to the target the decision chose. Callers (index.ts) hold no
 * target-specific code: switching target is a config change.
 */
export class ContainerService extends pulumi.ComponentResource {
  /** The target the service runs on. */
  public readonly target: ResolvedTarget;
  /** Why it runs there, for people. */
  public readonly targetReasons: readonly string[];
  /** The URL clients use. */
  public readonly url: pulumi.Output<string>;
  /** The email of the service's own GCP service account. */
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** Each release tag's own address: a URL, and on GKE the Host header that reaches it. */
  public readonly tags: pulumi.Output<ReleaseTags>;
  /** The GKE cluster the service runs on; undefined on Cloud Run. */
  public readonly cluster?: GpuCluster | undefined;

  constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const { service, decision } = decided(name, args);
    super("runway:index:ContainerService", name, {}, opts);
    const { project, region } = args;
    const apis = args.apis ?? new ProjectApis(name, { project, apis: targetApis(decision, service) }, { parent: this });
    const deployed = deploy(this, name, {
      decision,
      project,
      region,
      service,
      image: args.image,
      repository: args.repository,
      cluster: args.cluster,
      apis,
      physicalName: args.physicalName ?? service.name,
    });
    this.target = decision.target;
    this.targetReasons = decision.reasons;
    this.url = deployed.url;
    this.serviceAccountEmail = deployed.serviceAccountEmail;
    this.tags = deployed.tags;
    this.cluster = deployed.cluster;
    this.registerOutputs({
      target: this.target,
      url: this.url,
      serviceAccountEmail: this.serviceAccountEmail,
      tags: this.tags,
    });
  }
}
