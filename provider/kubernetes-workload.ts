import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesService, defaultServing, gkeSchema, parseServiceArg } from "../components";
import { refuseFlat, plainArgs, toServiceInput, type ServiceFields } from "./service-fields";

export interface KubernetesWorkloadArgs extends ServiceFields {
  /** The project of the service's GCP account and of the cluster's Workload Identity pool. Required. */
  project: string;
  /** The image, pinned by digest: LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:…. Required. */
  image: pulumi.Input<string>;
  /** A kubeconfig of the cluster to deploy onto, e.g. a Cluster's kubeconfig output. Required. */
  kubeconfig: pulumi.Input<string>;
  /**
   * Email of the nodes' GCP service account (a Cluster's nodeServiceAccountEmail), made reader of the image's
   * repository: on GKE the kubelet pulls with the node's credentials. Default none (the nodes must already read it).
   */
  nodeServiceAccountEmail?: pulumi.Input<string>;
  /** The namespace runway creates for the service's objects. Default: name. */
  namespace?: string;
  /** The base of the GCP account's id (`<physicalName>-gke`), unique in the project. Default: name. */
  physicalName?: string;
  /** The Pod Security Standard of the namespace: "restricted" or "baseline" (lets a root image run). Default "restricted". */
  podSecurity?: string;
  /** Seconds a request waits for a pod while scaling from zero; also the rollout deadline. Default 1800 with a GPU, 600 without. */
  coldStartSeconds?: number;
  /** "hold": a request waits for the cold start; "placeholder": it gets 503 with Retry-After at once. Default "hold". */
  coldStartResponse?: string;
  /** Seconds without traffic before pods scale down towards minInstances. Default 300. */
  scaleDownSeconds?: number;
}

/** The settings of runway:gke a workload has, validated by the same schema as a stack's. */
const workloadGke = gkeSchema.pick({
  namespace: true,
  podSecurity: true,
  coldStartSeconds: true,
  coldStartResponse: true,
  scaleDownSeconds: true,
});

const SERVING_KEYS = ["coldStartSeconds", "coldStartResponse", "scaleDownSeconds"] as const;

/** The keys of `value` among `keys` that are set. */
function defined<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]])) as Partial<
    Pick<T, K>
  >;
}

/**
 * A service on an existing GKE cluster with runway's KEDA add-ons (a Cluster, or one another stack created), reached
 * by plain values: its kubeconfig and its nodes' account. runway's KubernetesService, by flat arguments. Unlike
 * KubernetesService given a GpuCluster instance, it cannot check the service against the cluster's pools.
 */
export class KubernetesWorkload extends pulumi.ComponentResource {
  /** http://<load balancer address>; "" until the load balancer has one. */
  public readonly url: pulumi.Output<string>;
  /** The email of the GCP service account the pods act as. */
  public readonly serviceAccountEmail: pulumi.Output<string>;
  /** The namespace of the service's objects. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: KubernetesWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    args = plainArgs("KubernetesWorkload", name, args, ["image", "kubeconfig", "nodeServiceAccountEmail"]);
    const service = toServiceInput(args);
    const gke = defined(args, ["namespace", "podSecurity", ...SERVING_KEYS]);
    // Schema problems are named by their flat argument here; the rules of the service on GKE are KubernetesService's.
    const parsedService = parseServiceArg(service);
    const parsedGke = workloadGke.safeParse(gke);
    if (!parsedService.ok || !parsedGke.success) {
      refuseFlat("KubernetesWorkload", name, [
        ...(parsedService.ok ? [] : parsedService.problems),
        ...(parsedGke.error?.issues ?? []).map((issue) => ({
          path: issue.path.map(String).join("."),
          message: issue.message,
        })),
      ]);
    }
    super("runway:index:KubernetesWorkload", name, {}, opts);

    const settings = parsedGke.data;
    // Serving settings left out keep KubernetesService's defaults, which depend on the service (GPU or not).
    const defaults = defaultServing(parsedService.service);
    const serving = {
      coldStartSeconds: settings.coldStartSeconds ?? defaults.coldStartSeconds,
      coldStartResponse: args.coldStartResponse === undefined ? defaults.coldStartResponse : settings.coldStartResponse,
      scaleDownSeconds: args.scaleDownSeconds === undefined ? defaults.scaleDownSeconds : settings.scaleDownSeconds,
    };
    const provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: args.kubeconfig, enableServerSideApply: true },
      { parent: this },
    );
    const workload = new KubernetesService(
      name,
      {
        project: args.project,
        service,
        image: args.image,
        provider,
        podSecurity: settings.podSecurity,
        serving,
        ...(settings.namespace !== undefined && { namespace: settings.namespace }),
        ...(args.physicalName !== undefined && { physicalName: args.physicalName }),
        ...(args.nodeServiceAccountEmail !== undefined && { imagePullServiceAccount: args.nodeServiceAccountEmail }),
      },
      { parent: this },
    );
    this.url = workload.url;
    this.serviceAccountEmail = workload.serviceAccountEmail;
    this.namespace = workload.namespace;
    this.registerOutputs({ url: this.url, serviceAccountEmail: this.serviceAccountEmail, namespace: this.namespace });
  }
}
