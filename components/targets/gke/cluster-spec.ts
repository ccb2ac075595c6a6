/**
 * Pure translation of the resolved GKE settings into the arguments of the resources a GpuCluster creates:
 * VPC, subnet, Cloud NAT, node service account, cluster, node pools and the kubeconfig. Nothing here
 * talks to Google Cloud; cluster.ts wires the results together.
 *
 * Hardening follows GKE's guide (https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster,
 * "hardening guide" below) and the shape of Cloud Foundation Fabric's gke-cluster-standard module
 * (https://github.com/GoogleCloudPlatform/cloud-foundation-fabric/blob/master/modules/gke-cluster-standard/main.tf).
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { GpuRequest, ResolvedGke, ResolvedPool } from "./sizing";
import { serviceAccountId } from "../../workload/naming";
import { defaultBootDiskType } from "../../facts/disks";

type Input<T> = pulumi.Input<T>;
type NodePoolNodeConfig = gcp.types.input.container.NodePoolNodeConfig;

/**
 * The subnet's ranges. The VPC is dedicated to the cluster, so nothing else in it can overlap them. The sizes are
 * GKE's own defaults for VPC-native clusters, a /14 for Pods and a /20 for Services
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips#defaults_limits); a /20 of nodes holds 4,096.
 */
export const SUBNET_RANGES = {
  nodes: "10.0.0.0/20",
  pods: { rangeName: "pods", ipCidrRange: "10.4.0.0/14" },
  services: { rangeName: "services", ipCidrRange: "10.8.0.0/20" },
} as const;

/**
 * GKE's least-privilege role for node service accounts: "At a minimum, these node service accounts must have the
 * Kubernetes Engine Default Node Service Account (roles/container.defaultNodeServiceAccount) role on your project"
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts / security/configure-node-service-accounts).
 * Image pulls are granted per repository by whoever deploys onto the cluster, not here.
 */
export const NODE_ROLES = ["roles/container.defaultNodeServiceAccount"] as const;

/**
 * With a custom service account, access is decided by IAM; GKE's guidance is the cloud-platform scope rather than
 * narrower legacy scopes (https://cloud.google.com/kubernetes-engine/docs/how-to/access-scopes).
 */
export const NODE_OAUTH_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"] as const;

/**
 * Keeps non-GPU pods off GPU nodes. GKE adds this taint itself only when a non-GPU pool already exists, which is not
 * the case when both pools are created at once (gcp-facts §3.3), so it is always set. Pods that request
 * nvidia.com/gpu get the matching toleration from the ExtendedResourceToleration admission controller (same section).
 */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" } as const;

/**
 * Node pool names; GKE labels every node with `cloud.google.com/gke-nodepool: <name>`. GKE labels GPU nodes
 * `cloud.google.com/gke-accelerator: <type>` itself (gcp-facts §3.3), which is what a pod's nodeSelector matches, and
 * rejects most user labels under cloud.google.com ("Node labels with key … are managed by GKE or Kubernetes and must
 * not be manually specified", https://github.com/hashicorp/terraform-provider-google/pull/19677). The one runway sets
 * is GPU_COMPUTE_CLASS's, which GKE documents for manually created pools.
 */
export const POOL_NAMES = { system: "system", gpu: "gpu" } as const;

/**
 * The ComputeClass the GPU pool belongs to. A class's `autoscalingPolicy.consolidationDelayMinutes` sets how long its
 * nodes may be unneeded before GKE removes them, 1 to 1440 minutes (the CRD's bounds, computeclasses.cloud.google.com
 * as dumped in tommy351/kubernetes-models-ts third-party/gke/crd/computeclasses.yaml @ f819b64, which
 * @kubernetes-models/gke 4.6.x is generated from), where the cluster autoscaler's own unneeded time is 10 minutes. A
 * manually created pool joins a class through the node label `cloud.google.com/compute-class: <name>` and the taint
 * `cloud.google.com/compute-class=<name>:NoSchedule`, and pods select the class with that label
 * (https://docs.cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes#manual-node-pools).
 * Custom classes need GKE 1.30.3-gke.1451000 or later (same page); names may not begin with "gke" or "autopilot"
 * (https://docs.cloud.google.com/kubernetes-engine/docs/how-to/node-attributes-compute-classes, Limitations).
 */
export const GPU_COMPUTE_CLASS = "runway-gpu";
/**
 * The ComputeClass of a pool: `runway-<pool>`, one class per pool, so a pod's class selects exactly one pool. The
 * `gpu` pool's is GPU_COMPUTE_CLASS; pool names are at most 40 characters, so the label value stays within 63.
 */
export const computeClassName = (pool: string): string => `runway-${pool}`;
export const COMPUTE_CLASS_LABEL = "cloud.google.com/compute-class";
export const COMPUTE_CLASS_TAINT = {
  key: COMPUTE_CLASS_LABEL,
  value: GPU_COMPUTE_CLASS,
  effect: "NO_SCHEDULE",
} as const;

/** Resource names in Google Cloud, fixed so that a human can find them and several services can share them. */
export interface ClusterNames {
  readonly network: string;
  readonly subnet: string;
  readonly router: string;
  readonly nat: string;
  readonly cluster: string;
  readonly nodeServiceAccountId: string;
}

/** RFC 1035 labels, the rule for Compute Engine and GKE names (https://cloud.google.com/compute/docs/naming-resources). */
const NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** `base-suffix`, cut to `max` characters with a short hash of `base` so that cut names stay distinct. */
function fit(base: string, suffix: string, max: number): string {
  const full = suffix ? `${base}-${suffix}` : base;
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(base).digest("hex").slice(0, 4);
  const keep = max - hash.length - 1 - (suffix ? suffix.length + 1 : 0);
  return [base.slice(0, keep).replace(/-+$/, ""), hash, suffix].filter(Boolean).join("-");
}

/**
 * The Google Cloud names of a cluster called `name`. Compute Engine names have at most 63 characters
 * (https://cloud.google.com/compute/docs/naming-resources) and GKE cluster names at most 40
 * (terraform-provider-google container_cluster doc, `name`).
 */
export function clusterNames(name: string): ClusterNames {
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`GpuCluster name "${name}" must be lowercase letters, digits and hyphens, starting with a letter`);
  }
  return {
    network: fit(name, "network", 63),
    subnet: fit(name, "subnet", 63),
    router: fit(name, "router", 63),
    nat: fit(name, "nat", 63),
    cluster: fit(name, "", 40),
    nodeServiceAccountId: serviceAccountId(name, "nodes"),
  };
}

/** A custom-mode VPC: subnets are only those runway declares (https://cloud.google.com/vpc/docs/vpc#subnet-ranges). */
export function networkArgs(project: string, names: ClusterNames): gcp.compute.NetworkArgs {
  return {
    project,
    name: names.network,
    autoCreateSubnetworks: false,
    description: `VPC of GKE cluster ${names.cluster}, managed by runway`,
  };
}

/**
 * The nodes' subnet with the Pod and Service secondary ranges VPC-native clusters use, and Private Google Access so
 * that private nodes reach Google APIs (Artifact Registry, Logging) without NAT
 * (https://cloud.google.com/vpc/docs/private-google-access).
 */
export function subnetArgs(
  project: string,
  region: string,
  names: ClusterNames,
  network: Input<string>,
): gcp.compute.SubnetworkArgs {
  return {
    project,
    region,
    name: names.subnet,
    network,
    ipCidrRange: SUBNET_RANGES.nodes,
    privateIpGoogleAccess: true,
    secondaryIpRanges: [{ ...SUBNET_RANGES.pods }, { ...SUBNET_RANGES.services }],
  };
}

export function routerArgs(
  project: string,
  region: string,
  names: ClusterNames,
  network: Input<string>,
): gcp.compute.RouterArgs {
  return { project, region, name: names.router, network };
}

/**
 * Outbound internet for private nodes (pulling images from outside Google, reaching external APIs): "To provide
 * outbound internet access for your private nodes … use Cloud NAT"
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/advanced-private-cluster-config). Addresses are allocated
 * automatically, every range of every subnet (nodes and Pods) is translated, and only errors are logged.
 */
export function natArgs(
  project: string,
  region: string,
  names: ClusterNames,
  router: Input<string>,
): gcp.compute.RouterNatArgs {
  return {
    project,
    region,
    name: names.nat,
    router,
    natIpAllocateOption: "AUTO_ONLY",
    sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    logConfig: { enable: true, filter: "ERRORS_ONLY" },
  };
}

/**
 * The nodes' own service account: "By default, Kubernetes Engine nodes use the Compute Engine default service account
 * … [which] has more permissions than are required" — hardening guide, "Use least privilege Google service accounts".
 */
export function nodeServiceAccountArgs(project: string, names: ClusterNames): gcp.serviceaccount.AccountArgs {
  return {
    project,
    accountId: names.nodeServiceAccountId,
    displayName: `Nodes of GKE cluster ${names.cluster} (runway)`,
  };
}

/** Master authorized networks from the config; a range without a name is labelled by its CIDR. */
export function authorizedNetworks(
  networks: ResolvedGke["authorizedNetworks"],
): gcp.types.input.container.ClusterMasterAuthorizedNetworksConfigCidrBlock[] {
  return networks.map((network) => ({ cidrBlock: network.cidr, displayName: network.name ?? network.cidr }));
}

/**
 * Node settings every runway pool shares, the temporary default pool included:
 * - the dedicated service account with the cloud-platform scope (see NODE_OAUTH_SCOPES);
 * - Shielded VM secure boot and integrity monitoring (hardening guide, "Shielded GKE Nodes");
 * - GKE_METADATA, which Workload Identity needs and which hides the VM metadata server from Pods
 *   (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity);
 * - Container-Optimized OS with containerd, the image the hardening guide recommends and GKE's GPU driver
 *   installation supports;
 * - `disable-legacy-endpoints`, GKE's default, stated so that it never drifts
 *   (https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata).
 */
export function hardenedNodeConfig(serviceAccount: Input<string>, labels: Record<string, string> | undefined) {
  return {
    serviceAccount,
    oauthScopes: [...NODE_OAUTH_SCOPES],
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    workloadMetadataConfig: { mode: "GKE_METADATA" },
    imageType: "COS_CONTAINERD",
    metadata: { "disable-legacy-endpoints": "true" },
    resourceLabels: labels,
  };
}

/** What the cluster refers to that is created beside it. */
export interface ClusterRefs {
  readonly network: Input<string>;
  readonly subnetwork: Input<string>;
  readonly nodeServiceAccount: Input<string>;
}

/**
 * The cluster: VPC-native, Dataplane V2, Workload Identity, Shielded Nodes, private nodes when configured, no legacy
 * authentication, and a control plane reached through its IAM-checked DNS endpoint. Node pools are separate resources,
 * so the default pool is removed; while it lives it runs as the dedicated service account, never the Compute default.
 */
export function clusterArgs(
  project: string,
  gke: ResolvedGke,
  names: ClusterNames,
  refs: ClusterRefs,
  labels: Record<string, string> | undefined,
): gcp.container.ClusterArgs {
  return {
    project,
    name: names.cluster,
    location: gke.location,
    network: refs.network,
    subnetwork: refs.subnetwork,
    // "remove_default_node_pool = true" with "initial_node_count ≥ 1" is the documented way to manage pools
    // separately (gcp-facts §3.5).
    removeDefaultNodePool: true,
    initialNodeCount: 1,
    nodeConfig: hardenedNodeConfig(refs.nodeServiceAccount, labels),
    networkingMode: "VPC_NATIVE",
    ipAllocationPolicy: {
      clusterSecondaryRangeName: SUBNET_RANGES.pods.rangeName,
      servicesSecondaryRangeName: SUBNET_RANGES.services.rangeName,
    },
    // Dataplane V2 enforces Kubernetes NetworkPolicy itself, so no network_policy add-on is set
    // (https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2).
    datapathProvider: "ADVANCED_DATAPATH",
    // Pod-to-pod traffic on one node goes through the VPC too, so VPC firewall rules, flow logs and Packet Mirroring
    // see all of it (Checkov CKV_GCP_61; https://cloud.google.com/kubernetes-engine/docs/how-to/intranode-visibility).
    // What that page names as its costs: GKE's netd DaemonSet on every node, and more flow-log volume where flow logs
    // are on (runway's subnet leaves them off). NetworkPolicy is still enforced by Dataplane V2 on the node. Its
    // limits: no Windows node pools (runway has none); an ip-masq-agent nonMasqueradeCIDRs list must include the Pod
    // range (runway sets none); traffic between pods on one node becomes subject to VPC firewall rules, where GKE's
    // own cluster rules allow the Pod range. On an existing cluster the field is updated in place; whether GKE then
    // restarts the nodes' networking is not checked here.
    enableIntranodeVisibility: true,
    workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
    // Private nodes get internal addresses only; without masterIpv4CidrBlock GKE (1.29+) reaches them over Private
    // Service Connect (https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation). The public
    // IP endpoint stays, restricted below. With public nodes the block is omitted, as the provider's
    // container_cluster doc says to do (`private_cluster_config`).
    ...(gke.privateNodes && { privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false } }),
    // "If you don't configure authorized networks, the control plane is accessible from any external IP address"
    // (same page), so the list is always enforced: empty means no IP-based access from outside the VPC, and Google
    // Cloud's public ranges are not let in either (hardening guide, "Restrict network access to the control plane").
    masterAuthorizedNetworksConfig: {
      cidrBlocks: authorizedNetworks(gke.authorizedNetworks),
      gcpPublicCidrsAccessEnabled: false,
    },
    // The DNS-based endpoint is reachable from anywhere that reaches Google APIs, and every request needs IAM
    // (container.clusters.connect) before Kubernetes RBAC; GKE's best practice is to use only this endpoint
    // (https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation). It is how `pulumi up` and
    // kubectl reach the API when no authorized network is configured. Kubernetes tokens and client certificates
    // over DNS stay at their default (off), so only Google credentials pass.
    controlPlaneEndpointsConfig: {
      dnsEndpointConfig: { allowExternalTraffic: true },
      ipEndpointsConfig: { enabled: true },
    },
    enableShieldedNodes: true,
    // runway:gke.binaryAuthorization: "enforce" makes GKE check every pod's images against the project's Binary
    // Authorization policy (Checkov CKV_GCP_66 passes only on PROJECT_SINGLETON_POLICY_ENFORCE). Off by default: the
    // policy is the project's, not runway's, and one that does not admit runway's and KEDA's images stops their pods.
    binaryAuthorization: {
      evaluationMode: gke.binaryAuthorization === "enforce" ? "PROJECT_SINGLETON_POLICY_ENFORCE" : "DISABLED",
    },
    releaseChannel: { channel: gke.releaseChannel },
    // Hardening guide: "Leave legacy authorization disabled" and client certificates off (Google credentials only).
    enableLegacyAbac: false,
    masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
    loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
    monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } },
    // Lets workloads mount Secret Manager secrets as files through the managed CSI driver
    // (https://cloud.google.com/secret-manager/docs/secret-manager-managed-csi-component); it relies on Workload Identity.
    secretManagerConfig: { enabled: true },
    // Lets pods mount buckets through the Cloud Storage FUSE CSI driver, which Standard clusters do not enable by default
    // (https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-storage-fuse-csi-driver-setup); only
    // when the service mounts one, so other clusters' arguments do not change.
    // Backup for GKE's agent, which runs the BackupPlan of a service's disks (sizing.ts gkeBackupAgent); only then.
    ...((gke.gcsFuseCsiDriver || gke.gkeBackupAgent) && {
      addonsConfig: {
        ...(gke.gcsFuseCsiDriver && { gcsFuseCsiDriverConfig: { enabled: true } }),
        ...(gke.gkeBackupAgent && { gkeBackupAgentConfig: { enabled: true } }),
      },
    }),
    deletionProtection: gke.deletionProtection,
    resourceLabels: labels,
  };
}

/** One node at a time is added, none is taken away before its replacement is ready. */
const SURGE_UPGRADE = { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 };
/**
 * GKE repairs unhealthy nodes and keeps them on the release channel's version; a pool in a cluster on a release
 * channel must have auto-upgrade (https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels).
 */
const MANAGEMENT = { autoRepair: true, autoUpgrade: true };

/**
 * The pool that runs cluster services (kube-dns, metrics, KEDA and its HTTP add-on) and any service without a GPU,
 * autoscaled per zone from systemPool.nodes to systemPool.maxNodes. With autoscaling the provider wants
 * initialNodeCount, not nodeCount ("should not be used alongside `autoscaling`", container_node_pool doc); cluster.ts
 * ignores later changes to it, as for the GPU pool.
 */
export function systemPoolArgs(
  project: string,
  gke: ResolvedGke,
  cluster: Input<string>,
  serviceAccount: Input<string>,
  labels: Record<string, string> | undefined,
): gcp.container.NodePoolArgs {
  return {
    project,
    location: gke.location,
    cluster,
    name: POOL_NAMES.system,
    ...autoscaled({ ...gke.systemPool, minNodes: gke.systemPool.nodes }),
    nodeConfig: {
      ...hardenedNodeConfig(serviceAccount, labels),
      machineType: gke.systemPool.machineType,
      spot: gke.systemPool.spot,
      // pd-balanced on every series the system pool may use (GKE's default there too); stated so that a Hyperdisk-only
      // series added to facts/disks.ts gets its own type.
      diskType: defaultBootDiskType(gke.systemPool.machineType),
    },
    management: MANAGEMENT,
    upgradeSettings: SURGE_UPGRADE,
  };
}

/** How containers share each GPU, when they do (https://cloud.google.com/kubernetes-engine/docs/concepts/timesharing-gpus). */
export function gpuSharingConfig(
  sharing: ResolvedGke["gpuPool"]["sharing"],
): gcp.types.input.container.NodePoolNodeConfigGuestAcceleratorGpuSharingConfig | undefined {
  return sharing
    ? { gpuSharingStrategy: sharing.strategy, maxSharedClientsPerGpu: sharing.maxSharedClients }
    : undefined;
}

/** The GPU pool's accelerators: the service's GPUs per node, the driver GKE installs, and optional sharing. */
export function guestAccelerators(gke: ResolvedGke, gpu: GpuRequest): NodePoolNodeConfig["guestAccelerators"] {
  return [
    {
      type: gpu.type,
      count: gpu.count,
      gpuDriverInstallationConfig: { gpuDriverVersion: gke.gpuPool.driverVersion },
      gpuSharingConfig: gpuSharingConfig(gke.gpuPool.sharing),
    },
  ];
}

/**
 * The autoscaled GPU pool, in the zones that offer the GPU. Counts are per zone and may be 0. Spot pools use the ANY
 * location policy, which "reduce[s] preemption risk for Spot VMs"; others BALANCED (gcp-facts §3.5).
 */
export function gpuPoolArgs(
  project: string,
  gke: ResolvedGke,
  gpu: GpuRequest,
  cluster: Input<string>,
  serviceAccount: Input<string>,
  labels: Record<string, string> | undefined,
): gcp.container.NodePoolArgs {
  if (!gke.gpuMachineType) {
    throw new Error(`no GPU machine type resolved for ${gpu.count}x ${gpu.type}; set runway:gke.gpuPool.machineType`);
  }
  const pool = gke.gpuPool;
  return {
    project,
    location: gke.location,
    cluster,
    name: POOL_NAMES.gpu,
    nodeLocations: [...gke.gpuNodeLocations],
    ...autoscaled(pool),
    nodeConfig: {
      ...hardenedNodeConfig(serviceAccount, labels),
      machineType: gke.gpuMachineType,
      spot: pool.spot,
      diskSizeGb: pool.diskSizeGb,
      // The newest GPU series boot only from Hyperdisk (facts/disks.ts); rules.ts checks an explicit type.
      diskType: pool.diskType ?? defaultBootDiskType(gke.gpuMachineType),
      guestAccelerators: guestAccelerators(gke, gpu),
      labels: { [COMPUTE_CLASS_LABEL]: GPU_COMPUTE_CLASS },
      taints: [{ ...GPU_TAINT }, { ...COMPUTE_CLASS_TAINT }],
    },
    management: MANAGEMENT,
    upgradeSettings: SURGE_UPGRADE,
  };
}

/** Autoscaling from the pool's minimum; Spot pools may take capacity from any zone ("ANY"), others balance zones. */
function autoscaled(pool: { readonly minNodes: number; readonly maxNodes: number; readonly spot: boolean }) {
  return {
    initialNodeCount: pool.minNodes,
    autoscaling: {
      minNodeCount: pool.minNodes,
      maxNodeCount: pool.maxNodes,
      locationPolicy: pool.spot ? "ANY" : "BALANCED",
    },
  };
}

/**
 * One of GpuClusterArgs.pools: autoscaled like the GPU pool, a GPU pool in the zones that offer its GPU (with the GPU
 * taint and the cluster's driver), a CPU pool in the cluster's zones. Every extra pool joins its own ComputeClass
 * (computeClassName) by label and taint, so only pods that select it land there: cluster services stay on the system
 * pool, and a CPU service's pods, which do select it, stay off the system pool.
 */
export function extraPoolArgs(
  project: string,
  gke: ResolvedGke,
  pool: ResolvedPool,
  cluster: Input<string>,
  serviceAccount: Input<string>,
  labels: Record<string, string> | undefined,
): gcp.container.NodePoolArgs {
  if (!pool.machineType) throw new Error(`no machine type resolved for node pool ${pool.name}; set its machineType`);
  const computeClass = computeClassName(pool.name);
  return {
    project,
    location: gke.location,
    cluster,
    name: pool.name,
    ...(pool.gpu && { nodeLocations: [...pool.nodeLocations] }),
    ...autoscaled(pool),
    nodeConfig: {
      ...hardenedNodeConfig(serviceAccount, labels),
      machineType: pool.machineType,
      spot: pool.spot,
      ...(pool.diskSizeGb !== undefined && { diskSizeGb: pool.diskSizeGb }),
      diskType: pool.diskType ?? defaultBootDiskType(pool.machineType),
      ...(pool.gpu && {
        guestAccelerators: [
          {
            type: pool.gpu.type,
            count: pool.gpu.count,
            gpuDriverInstallationConfig: { gpuDriverVersion: gke.gpuPool.driverVersion },
          },
        ],
      }),
      labels: { [COMPUTE_CLASS_LABEL]: computeClass },
      taints: [
        ...(pool.gpu ? [{ ...GPU_TAINT }] : []),
        { key: COMPUTE_CLASS_LABEL, value: computeClass, effect: "NO_SCHEDULE" },
      ],
    },
    management: MANAGEMENT,
    upgradeSettings: SURGE_UPGRADE,
  };
}

/** The ComputeClass manifest (cloud.google.com/v1); a custom resource, so typed here rather than by the provider. */
export interface ComputeClassManifest {
  readonly apiVersion: "cloud.google.com/v1";
  readonly kind: "ComputeClass";
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly priorities: readonly { readonly nodepools: readonly string[] }[];
    readonly nodePoolAutoCreation: { readonly enabled: boolean };
    readonly whenUnsatisfiable: "DoNotScaleUp" | "ScaleUpAnyway";
    readonly autoscalingPolicy: { readonly consolidationDelayMinutes: number };
  };
}

/**
 * A pool's ComputeClass (the GPU pool's, or an extra pool's: GpuClusterArgs.pools). It names the pool and creates none: `nodepools` "describes preference of specific,
 * preexisting nodepools" and `nodePoolAutoCreation.enabled` defaults to false (CRD, see GPU_COMPUTE_CLASS), both stated
 * so that GKE never creates GPU nodes outside the pool runway sizes and prices. DoNotScaleUp: when the pool cannot grow,
 * pods wait instead of landing elsewhere, as in Google's sample of classes over manual pools
 * (GoogleCloudPlatform/kubernetes-engine-samples autoscaling/custom-compute-classes/dra @ 2b50365).
 */
export function computeClassArgs(gke: ResolvedGke, pool: string = POOL_NAMES.gpu): ComputeClassManifest {
  return {
    apiVersion: "cloud.google.com/v1",
    kind: "ComputeClass",
    metadata: { name: computeClassName(pool) },
    spec: {
      priorities: [{ nodepools: [pool] }],
      nodePoolAutoCreation: { enabled: false },
      whenUnsatisfiable: "DoNotScaleUp",
      autoscalingPolicy: { consolidationDelayMinutes: gke.gpuPool.scaleDownDelayMinutes },
    },
  };
}

/** Where kubectl and the Pulumi Kubernetes provider find a cluster. */
export interface KubeconfigTarget {
  readonly project: string;
  readonly location: string;
  readonly clusterName: string;
  /** The control plane's DNS endpoint, e.g. gke-….us-central1.gke.goog. */
  readonly dnsEndpoint: string;
}

/**
 * A kubeconfig for the DNS endpoint, authenticated by gke-gcloud-auth-plugin (the shape `gcloud container clusters
 * get-credentials` writes, gcp-facts §3.7, and the context name it uses). The plugin is told to use application-default
 * credentials, the identity the gcp and docker providers use: without the flag it asks the gcloud CLI's active account
 * (kubernetes/cloud-provider-gcp cmd/gke-gcloud-auth-plugin), so one `pulumi up` could act as two identities. No
 * cluster CA is embedded (see below), so the text depends only on these four values. JSON is valid YAML, and the
 * provider accepts either.
 *
 * The DNS endpoint is terminated by Google with a certificate from Google Trust Services, a public CA; the cluster CA
 * signs only the IP endpoints, and embedding it makes TLS to the DNS endpoint fail
 * (https://github.com/gravitational/teleport/issues/54143, https://github.com/hashicorp/terraform-provider-kubernetes/issues/2637,
 * both 3rd-party). So the system's roots verify the server, as after `get-credentials --dns-endpoint`.
 */
export function kubeconfig(target: KubeconfigTarget): string {
  const context = `gke_${target.project}_${target.location}_${target.clusterName}`;
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: context, cluster: { server: `https://${target.dnsEndpoint}` } }],
      contexts: [{ name: context, context: { cluster: context, user: context } }],
      "current-context": context,
      users: [
        {
          name: context,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "gke-gcloud-auth-plugin",
              args: ["--use_application_default_credentials"],
              installHint:
                "Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin); see " +
                "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
              provideClusterInfo: true,
            },
          },
        },
      ],
    } satisfies Kubeconfig,
    null,
    2,
  );
}

/** The kubeconfig `kubeconfig` writes: one cluster, context and user, the user authenticated by an exec plugin. */
export interface Kubeconfig {
  readonly apiVersion: "v1";
  readonly kind: "Config";
  readonly clusters: readonly { readonly name: string; readonly cluster: { readonly server: string } }[];
  readonly contexts: readonly {
    readonly name: string;
    readonly context: { readonly cluster: string; readonly user: string };
  }[];
  readonly "current-context": string;
  readonly users: readonly {
    readonly name: string;
    readonly user: {
      readonly exec: {
        readonly apiVersion: string;
        readonly command: string;
        readonly args: readonly string[];
        readonly installHint: string;
        readonly provideClusterInfo: boolean;
      };
    };
  }[];
}
