import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { refuse, workloadArgs } from "../../config/component-args";
import type { DecisionOf } from "../../config/decide";
import type { CloudRunInput, ServiceInput } from "../../config/schema";
import { apisFor, type ProjectApis } from "../../project/apis";
import { workloadAccount } from "../../workload/account";
import { cloudRunServiceAgent, pulledFrom, repositoryReader, type RepositoryRef } from "../../workload/image-pull";
import { secretIds } from "../../workload/contract";
import type { ReleaseTags } from "../../workload/release";
import { cloudRunApis } from "./apis";
import { cloudRunEvents } from "./events";
import { tagUrlProblems } from "./rules";
import { cloudRunRelease, cloudRunServiceArgs } from "./spec";

/** The tags of the traffic status as release tags: each tag's URL. */
function tagUrls(statuses: gcp.types.output.cloudrunv2.ServiceTrafficStatus[] | undefined): ReleaseTags {
  return Object.fromEntries((statuses ?? []).filter((s) => s.tag).map((s) => [s.tag, { url: s.uri }]));
}

export interface CloudRunServiceArgs {
  /** The project to deploy into. Required. */
  readonly project: string;
  /** The region to deploy into. Required. */
  readonly region: string;
  /** The service description, as in runway:service; validated against Cloud Run's limits. Required. */
  readonly service: ServiceInput;
  /** The image, pinned by digest. Required. */
  readonly image: pulumi.Input<string>;
  /** Cloud Run-only settings, as in runway:cloudrun. Default: all defaults. */
  readonly cloudrun?: CloudRunInput;
  /**
   * The image's repository. In another project, the Cloud Run service agent is made its reader (in its own project
   * it already is). Default: parsed from a string `image`.
   */
  readonly repository?: RepositoryRef | undefined;
  /**
   * The base of the names in the project: the Cloud Run service and its account (`<physicalName>-run`). Default:
   * service.name.
   */
  readonly physicalName?: string;
  /** Default for deletion protection. Default false. */
  readonly protect?: boolean;
  /** The program's enabled APIs. Default: the component enables run, iam (and secretmanager) itself. */
  readonly apis?: ProjectApis;
  /** A decision already made for these arguments (by the stack or ContainerService). Default: made here. */
  readonly decision?: DecisionOf<"cloudrun">;
}

/**
 * A Cloud Run (v2) service running as its own least-privilege service account: logs and metrics, and read
 * access to exactly the secrets it uses. The image is pulled by the Cloud Run service agent. A public service has its invoker
 * IAM check disabled (spec.ts) rather than an allUsers binding, which Domain Restricted Sharing rejects.
 */
export class CloudRunService extends pulumi.ComponentResource {
  /** The service's https URL. */
  public readonly url: pulumi.Output<string>;
  /** The Cloud Run service name. */
  public readonly serviceName: pulumi.Output<string>;
  /** The email of the service account the service runs as. */
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** The revision this deploy creates: the service's name and a hash of its template. */
  public readonly revision: pulumi.Output<string>;
  /** The stable image's revision when service.release.stable is set, else undefined. */
  public readonly stableRevision: pulumi.Output<string | undefined>;
  /** Each release tag's own URL (`https://TAG---…run.app`). */
  public readonly tags: pulumi.Output<ReleaseTags>;

  constructor(name: string, args: CloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const { service, decision } = workloadArgs(
      "CloudRunService",
      name,
      "cloudrun",
      { service: args.service, cloudrun: args.cloudrun, region: args.region, protect: args.protect },
      args.decision,
    );
    const physicalName = args.physicalName ?? service.name;
    const tagProblems = tagUrlProblems(service, physicalName);
    if (tagProblems.length > 0) refuse("CloudRunService", name, tagProblems);
    super("runway:index:CloudRunService", name, {}, opts);
    const { project } = args;
    const apis = apisFor(this, name, project, cloudRunApis(service), args.apis);

    const { account, grants } = workloadAccount(this, name, {
      project,
      serviceName: physicalName,
      role: "run",
      resourceName: `${name}-sa`,
      displayName: `Cloud Run service ${service.name} (runway)`,
      secrets: secretIds(service),
      apis,
    });
    // Service agents are named by the project number (the Cloud Run agent pulls a cross-project image, the Pub/Sub
    // agent signs event pushes); looked up once, and only when one of them is granted something.
    let number: pulumi.Output<string> | undefined;
    const projectNumber = () =>
      (number ??= gcp.organizations.getProjectOutput({ projectId: project }, { parent: this }).number);
    const repository = pulledFrom(args.repository, args.image);
    if (repository && repository.project !== project) {
      grants.push(
        repositoryReader(this, `${name}-agent-repo-reader`, repository, cloudRunServiceAgent(projectNumber()), apis),
      );
    }

    const spec = cloudRunServiceArgs({
      service,
      settings: decision.settings,
      region: args.region,
      project,
      image: args.image,
      serviceAccountEmail: account.email,
      physicalName,
    });
    // The revision names hash the resolved template (spec.ts revisionName), so they are known once its inputs are.
    const release = pulumi
      .all([pulumi.output(spec.template as gcp.types.input.cloudrunv2.ServiceTemplate), pulumi.output(args.image)])
      .apply(([template, image]) => cloudRunRelease(service, physicalName, template, image));
    // Cloud Run checks secret and image access when it deploys a revision, so the grants must exist first.
    const run = new gcp.cloudrunv2.Service(
      `${name}-service`,
      { ...spec, template: release.template, traffics: release.traffics },
      { parent: this, dependsOn: [...apis, ...grants] },
    );

    if (service.events.length > 0) {
      cloudRunEvents(this, name, {
        project,
        physicalName,
        events: service.events,
        timeoutSeconds: service.timeoutSeconds,
        service: run,
        projectNumber: projectNumber(),
        apis,
      });
    }

    this.url = run.uri;
    this.revision = release.candidateRevision;
    this.stableRevision = release.apply((r) => r.stableRevision);
    this.tags = run.trafficStatuses.apply(tagUrls);
    this.serviceName = run.name;
    this.serviceAccountEmail = account.email;
    this.registerOutputs({
      url: this.url,
      serviceName: this.serviceName,
      serviceAccountEmail: this.serviceAccountEmail,
      revision: this.revision,
      stableRevision: this.stableRevision,
      tags: this.tags,
    });
  }
}
