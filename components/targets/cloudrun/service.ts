import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { enableApis } from "../../project/apis";
import { cloudRunServiceArgs, resolveCloudRun, secretIds } from "./spec";
import type { CloudRunConfig, ServiceConfig } from "../../config/schema";
import { workloadAccount, type RepositoryRef } from "../../workload/account";

export interface CloudRunServiceArgs {
  /** The project to deploy into. Required. */
  readonly project: string;
  /** The region to deploy into. Required. */
  readonly region: string;
  /** The validated service description. Required. */
  readonly service: ServiceConfig;
  /** The image, pinned by digest. Required. */
  readonly image: pulumi.Input<string>;
  /** Cloud Run-only settings. Default: all defaults (see CloudRunConfig). */
  readonly cloudrun?: Partial<CloudRunConfig>;
  /** The repository of the image, whose reader the service account becomes. Default: none. */
  readonly repository?: RepositoryRef;
  /** Default for deletion protection. Default false. */
  readonly protect?: boolean;
}

/**
 * A Cloud Run (v2) service running as its own least-privilege service account: logs and metrics,
 * read access to exactly the secrets it uses and to its image repository, and an allUsers invoker
 * binding only when the service is public.
 */
export class CloudRunService extends pulumi.ComponentResource {
  /** The service's https URL. */
  public readonly url: pulumi.Output<string>;
  /** The Cloud Run service name. */
  public readonly serviceName: pulumi.Output<string>;
  /** The email of the service account the service runs as. */
  public readonly serviceAccountEmail: pulumi.Output<string>;

  constructor(name: string, args: CloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("runway:index:CloudRunService", name, {}, opts);
    const { service, project } = args;
    const secrets = secretIds(service);
    const apis = enableApis(this, name, project, [
      "run.googleapis.com",
      "iam.googleapis.com",
      ...(secrets.length > 0 ? ["secretmanager.googleapis.com"] : []),
    ]);

    const { account, grants } = workloadAccount(this, name, {
      project,
      serviceName: service.name,
      role: "run",
      resourceName: `${name}-sa`,
      displayName: `Cloud Run service ${service.name} (runway)`,
      secrets,
      repository: args.repository,
      apis,
    });

    const settings = resolveCloudRun(service, args.cloudrun ?? {}, args.protect ?? false);
    // Cloud Run checks secret access when it deploys a revision, so the grants must exist first.
    const run = new gcp.cloudrunv2.Service(
      `${name}-service`,
      cloudRunServiceArgs({ service, settings, region: args.region, project, image: args.image, serviceAccountEmail: account.email }),
      { parent: this, dependsOn: [...apis, ...grants] },
    );

    if (service.public) {
      new gcp.cloudrunv2.ServiceIamMember(
        `${name}-public-invoker`,
        { project, location: args.region, name: run.name, role: "roles/run.invoker", member: "allUsers" },
        { parent: this },
      );
    }

    this.url = run.uri;
    this.serviceName = run.name;
    this.serviceAccountEmail = account.email;
    this.registerOutputs({ url: this.url, serviceName: this.serviceName, serviceAccountEmail: this.serviceAccountEmail });
  }
}
