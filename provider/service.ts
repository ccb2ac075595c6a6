import * as pulumi from "@pulumi/pulumi";
import { ContainerService, validateWorkload } from "../components";
import { refuseFlat, plainArgs, toServiceInput, type ServiceFields } from "./service-fields";

export interface ServiceArgs extends ServiceFields {
  /** The project to deploy into. Required. */
  project: string;
  /** The region to deploy into, e.g. "us-central1". Required. */
  region: string;
  /** The image, pinned by digest: LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:…. Required. */
  image: pulumi.Input<string>;
  /** Where the service runs: "cloudrun", "gke" or "auto" (Cloud Run unless the service needs GKE). Default "auto". */
  target?: string;
  /** Cloud Run: who may reach the service, "all", "internal" or "internal-and-cloud-load-balancing". Default "all". */
  ingress?: string;
  /** GKE: zone or region of the cluster. Default: the first zone of the region that offers the GPU type. */
  location?: string;
  /** GKE: run the GPU nodes on Spot VMs. Default false. */
  spot?: boolean;
  /** Protect what is slow to rebuild or holds data (deletion protection). Default false. */
  protect?: boolean;
  /** The base of the names in the project, unique per stack when several share a project. Default: name. */
  physicalName?: string;
}

/** The flat arguments of other sections than runway:service, by the key path a problem names. */
const SECTIONS = {
  target: "target",
  "gcp.region": "region",
  region: "region",
  "cloudrun.ingress": "ingress",
  "gke.location": "location",
  "gke.gpuPool.spot": "spot",
  protect: "protect",
};

/**
 * One service, deployed to Cloud Run or GKE as `target` decides, with the same rules, defaults and messages as a
 * stack's runway:* config: runway's ContainerService, by flat arguments.
 */
export class Service extends pulumi.ComponentResource {
  /** The target the service runs on: "cloudrun" or "gke". */
  public readonly target: pulumi.Output<string>;
  /** The URL clients use. */
  public readonly url: pulumi.Output<string>;
  /** The email of the service's own GCP service account. */
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** The GKE cluster's name; "" on Cloud Run. */
  public readonly clusterName: pulumi.Output<string>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    args = plainArgs("Service", name, args, ["image"]);
    const service = toServiceInput(args);
    const result = validateWorkload({
      target: args.target,
      service,
      cloudrun: args.ingress === undefined ? undefined : { ingress: args.ingress },
      gke:
        args.location === undefined && args.spot === undefined
          ? undefined
          : {
              ...(args.location !== undefined && { location: args.location }),
              ...(args.spot !== undefined && { gpuPool: { spot: args.spot } }),
            },
      region: args.region,
      protect: args.protect,
    });
    if (!result.ok) refuseFlat("Service", name, result.problems, SECTIONS);
    super("runway:index:Service", name, {}, opts);

    const inner = new ContainerService(
      name,
      {
        project: args.project,
        region: args.region,
        service,
        image: args.image,
        decision: result.decision,
        ...(args.physicalName !== undefined && { physicalName: args.physicalName }),
      },
      { parent: this },
    );
    this.target = pulumi.output(inner.target);
    this.url = inner.url;
    this.serviceAccountEmail = inner.serviceAccountEmail;
    this.clusterName = inner.cluster ? inner.cluster.clusterName : pulumi.output("");
    this.registerOutputs({
      target: this.target,
      url: this.url,
      serviceAccountEmail: this.serviceAccountEmail,
      clusterName: this.clusterName,
    });
  }
}
