import * as pulumi from "@pulumi/pulumi";
import { CloudRunService, type RepositoryRef } from "./cloud-run-service";
import type { CloudRunConfig, ServiceConfig } from "./config/schema";

export interface ContainerServiceArgs {
  /** Where the service runs; "auto" must be resolved before this point. Required. */
  readonly target: "cloudrun";
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
  /** Protect what is slow to rebuild or holds data. Default false. */
  readonly protect?: boolean;
}

/**
 * One service description, deployed to the target the stack chose. Callers (index.ts) hold no
 * target-specific code: switching target is a config change.
 */
export class ContainerService extends pulumi.ComponentResource {
  /** The target the service runs on. */
  public readonly target: string;
  /** The URL clients use. */
  public readonly url: pulumi.Output<string>;
  /** The email of the service's own GCP service account. */
  public readonly serviceAccountEmail: pulumi.Output<string>;

  constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("runway:index:ContainerService", name, {}, opts);
    const run = new CloudRunService(
      name,
      {
        project: args.project,
        region: args.region,
        service: args.service,
        image: args.image,
        cloudrun: args.cloudrun,
        repository: args.repository,
        protect: args.protect,
      },
      { parent: this },
    );
    this.target = args.target;
    this.url = run.url;
    this.serviceAccountEmail = run.serviceAccountEmail;
    this.registerOutputs({ target: this.target, url: this.url, serviceAccountEmail: this.serviceAccountEmail });
  }
}
