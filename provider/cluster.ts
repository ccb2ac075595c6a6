import * as pulumi from "@pulumi/pulumi";
import { GpuCluster, validateWorkload, type GkeInput } from "../components";
import { refuseFlat, plainArgs } from "./service-fields";

/** A range allowed to reach the cluster's control plane. */
export interface AuthorizedNetwork {
  /** IPv4 range, e.g. "203.0.113.0/24". Required. */
  cidr: string;
  /** A label for the range. Default: the CIDR. */
  name?: string;
}

export interface ClusterArgs {
  /** The project to create the cluster in. Required. */
  project: string;
  /** The region of the cluster's network, e.g. "us-central1". Required. */
  region: string;
  /**
   * The base of the names in the project (cluster, network, router, NAT, nodes' account): lowercase letters, digits
   * and hyphens, starting with a letter. Default: the resource name.
   */
  physicalName?: string;
  /** Accelerator type of the GPU pool, e.g. "nvidia-l4". Default none: no GPU pool. */
  gpuType?: string;
  /** GPUs per node of the GPU pool: the GPUs of the largest pod. Default 1 when gpuType is set. */
  gpuCount?: number;
  /** vCPUs of the largest pod the pools must hold, e.g. "4". Default "1". */
  cpu?: string;
  /** Memory of the largest pod the pools must hold, e.g. "16Gi". Default "512Mi". */
  memory?: string;
  /** Most pods of the largest service, which sizes the GPU pool's maximum. Default 5. */
  maxInstances?: number;
  /** Zone or region of the cluster. Default: the first zone of the region that offers the GPU type. */
  location?: string;
  /** GKE release channel: "RAPID", "REGULAR", "STABLE" or "EXTENDED". Default "REGULAR". */
  releaseChannel?: string;
  /** Nodes get no public IP and reach the internet through Cloud NAT. Default true. */
  privateNodes?: boolean;
  /** Ranges allowed to reach the control plane's public endpoint. Default none. */
  authorizedNetworks?: AuthorizedNetwork[];
  /** Refuse to delete the cluster (and protect it in Pulumi). Default false. */
  deletionProtection?: boolean;
  /** Machine type of the system pool. Default: the smallest that holds runway's add-ons and GKE's own pods. */
  systemPoolMachineType?: string;
  /** Most nodes of the system pool (per zone); raise it for services without a GPU, which run there. Default: sized. */
  systemPoolMaxNodes?: number;
  /** Machine type of the GPU pool. Default: the smallest of the GPU's family that fits the pod. */
  gpuPoolMachineType?: string;
  /** Most nodes of the GPU pool (per zone). Default: enough for maxInstances + 1 surge pod. */
  gpuPoolMaxNodes?: number;
  /** Run the GPU nodes on Spot VMs. Default false. */
  spot?: boolean;
  /** Labels on the cluster and on the nodes' VMs and disks. Default none. */
  labels?: Record<string, string>;
}

/** Where each flat argument lives in runway:service and runway:gke, for the problems' paths. */
const SECTIONS = {
  "gcp.region": "region",
  region: "region",
  "service.name": "physicalName",
  "gke.location": "location",
  "gke.releaseChannel": "releaseChannel",
  "gke.privateNodes": "privateNodes",
  "gke.authorizedNetworks": "authorizedNetworks",
  "gke.deletionProtection": "deletionProtection",
  "gke.systemPool.machineType": "systemPoolMachineType",
  "gke.systemPool.maxNodes": "systemPoolMaxNodes",
  "gke.gpuPool.machineType": "gpuPoolMachineType",
  "gke.gpuPool.maxNodes": "gpuPoolMaxNodes",
  "gke.gpuPool.spot": "spot",
};

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** runway:gke as the flat arguments set it; keys left out keep their defaults. */
function gkeInput(args: ClusterArgs): GkeInput {
  const systemPool = defined({ machineType: args.systemPoolMachineType, maxNodes: args.systemPoolMaxNodes });
  const gpuPool = defined({ machineType: args.gpuPoolMachineType, maxNodes: args.gpuPoolMaxNodes, spot: args.spot });
  return {
    ...defined({
      location: args.location,
      releaseChannel: args.releaseChannel,
      privateNodes: args.privateNodes,
      deletionProtection: args.deletionProtection,
      authorizedNetworks: args.authorizedNetworks?.map((network) =>
        defined({ cidr: network.cidr, name: network.name }),
      ),
    }),
    ...(Object.keys(systemPool).length > 0 && { systemPool }),
    ...(Object.keys(gpuPool).length > 0 && { gpuPool }),
  } as GkeInput;
}

/**
 * A hardened GKE Standard cluster in its own VPC with KEDA, sized for the largest pod it must hold (cpu, memory and
 * GPUs, as runway:service describes one), to share between workloads: runway's GpuCluster, by flat arguments. Its
 * kubeconfig and nodeServiceAccountEmail are what a KubernetesWorkload needs to deploy onto it.
 */
export class Cluster extends pulumi.ComponentResource {
  /** The GKE cluster's name. */
  public readonly clusterName: pulumi.Output<string>;
  /** A kubeconfig for the cluster's DNS endpoint using gke-gcloud-auth-plugin (secret). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The email of the nodes' service account, which pulls images (KubernetesWorkload nodeServiceAccountEmail). */
  public readonly nodeServiceAccountEmail: pulumi.Output<string>;
  /** The cluster's zone or region. */
  public readonly location: pulumi.Output<string>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    args = plainArgs("Cluster", name, args, []);
    // The cluster is sized for one pod shape, described as runway:service describes a service.
    const sizing = defined({
      name: args.physicalName ?? name,
      cpu: args.cpu,
      memory: args.memory,
      maxInstances: args.maxInstances,
      labels: args.labels,
      gpu: args.gpuType === undefined ? undefined : defined({ type: args.gpuType, count: args.gpuCount }),
    });
    const result = validateWorkload({ target: "gke", service: sizing, gke: gkeInput(args), region: args.region });
    if (!result.ok) refuseFlat("Cluster", name, result.problems, SECTIONS);
    if (result.decision.target !== "gke") throw new Error("unreachable: an explicit gke target decides gke");
    const gpu = result.service.gpu;
    super("runway:index:Cluster", name, {}, opts);

    const cluster = new GpuCluster(
      name,
      {
        project: args.project,
        region: args.region,
        gke: result.decision.settings,
        ...(gpu && { gpu }),
        ...(args.labels !== undefined && { labels: args.labels }),
        ...(args.physicalName !== undefined && { physicalName: args.physicalName }),
      },
      { parent: this },
    );
    this.clusterName = cluster.clusterName;
    this.kubeconfig = cluster.kubeconfig;
    this.nodeServiceAccountEmail = cluster.nodeServiceAccountEmail;
    this.location = pulumi.output(cluster.location);
    this.registerOutputs({
      clusterName: this.clusterName,
      kubeconfig: this.kubeconfig,
      nodeServiceAccountEmail: this.nodeServiceAccountEmail,
      location: this.location,
    });
  }
}
