/**
 * What a GKE node can give a pod, and the GKE settings runway derives from the service description when
 * the stack leaves them out (GPU machine type, cluster location, GPU node zones, namespace).
 */
import { hasStable } from "../../workload/release";
import {
  GPU_TYPES,
  GPU_ZONES,
  MACHINE_TYPES,
  allowedGpuCounts,
  isGpuType,
  machineShape,
  zonesOffering,
  type MachineShape,
} from "../../facts/gpus";
import { defaultBootDiskType, type BootDiskType } from "../../facts/disks";
import { instanceResources, instanceResourcesText } from "../../workload/contract";
import { volumesOf } from "../../workload/volumes";
import { formatMiB } from "../../config/quantities";
import type { GkeConfig, ServiceConfig } from "../../config/schema";
import { gkeSchema, serviceSchema } from "../../config/schema";
// keda.ts imports this module too: ADDON_REQUESTS is read inside functions only, never at load time.
import { ADDON_REQUESTS } from "./keda";

/** Memory reserved by GKE: 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% above 128. */
const MEMORY_RESERVATION: readonly [upToGiB: number, share: number][] = [
  [4, 0.25],
  [8, 0.2],
  [16, 0.1],
  [128, 0.06],
  [Infinity, 0.02],
];
/** CPU reserved by GKE: 6% of the first core, 1% of the next, 0.5% of the next 2, 0.25% of the rest. */
const CPU_RESERVATION: readonly [upToCores: number, share: number][] = [
  [1, 0.06],
  [2, 0.01],
  [4, 0.005],
  [Infinity, 0.0025],
];
/** "Reserving an additional 100 MiB for Pod eviction". */
const EVICTION_MIB = 100;

/** One DaemonSet's requests on a node, and where the figure comes from. */
export interface DaemonSetRequest {
  readonly name: string;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly source: string;
}

/*
 * Sources of GPU_NODE_DAEMONSETS (all 3rd-party observations of GKE unless said otherwise):
 *   [node-1.36]  `kubectl describe node` of a GKE v1.36.3-gke.1767000 n2-standard-4 node (COS, containerd; legacy
 *                dataplane with Calico and kube-proxy), "Non-terminated Pods", in Camunda's chaos-day post "REST
 *                Performance validating with k6" (2026-10-08). It also gives the node's capacity (KERNEL_CAPACITY_SHARE).
 *   [ds-table]   `kubectl get daemonsets -A` summed container CPU requests of a GKE cluster (version not stated):
 *                anetd 205m, gmp-system collector 5m, nvidia-gpu-device-plugin-*-cos 55m (containers only).
 *   [gpu-1.31]   `kubectl describe node` of a GKE v1.31.5-gke.1233000 GPU node with GKE's driver installation
 *                ("gke-gpu-driver-version=latest"): nvidia-gpu-device-plugin-small-cos 150m / 80Mi, no separate
 *                nvidia-driver-installer pod (vllm-project/production-stack, GKE Terraform tutorial).
 *   [gmp]        GoogleCloudPlatform/prometheus-engine manifests/operator.yaml @ 2ffde4e (2026-07-02), DaemonSet
 *                collector: config-reloader 1m / 4M + prometheus 4m / 32M (upstream of GKE's managed collection).
 *   [sscsi]      kubernetes-sigs/secrets-store-csi-driver deploy/secrets-store-csi-driver.yaml @ 0017b46:
 *                node-driver-registrar 10m / 20Mi + secrets-store 50m / 100Mi + liveness-probe 10m / 20Mi.
 *   [sscsi-gcp]  GoogleCloudPlatform/secrets-store-csi-driver-provider-gcp deploy/provider-gcp-plugin.yaml @ c388b49:
 *                provider 50m / 100Mi. GKE's managed Secret Manager add-on runs its own build of both; their
 *                requests are not published, so the upstream manifests stand in for them.
 */

/**
 * What GKE runs on every node of runway's GPU pool (cluster-spec.ts: Dataplane V2, Workload Identity, system and
 * workload logging, managed Prometheus, the Secret Manager add-on, GKE's GPU driver installation), with each
 * DaemonSet's requests. Conservative where unknown: anetd's memory, and two DaemonSets that may not run there are
 * counted (ip-masq-agent: Dataplane V2 may do masquerading itself; node-local-dns: NodeLocal DNSCache is not enabled
 * by runway, but a 3rd-party GKE test report has it on by default from 1.34.1-gke.3720000). kube-proxy (100m in
 * [node-1.36]) and Calico (500m) are left out: Dataplane V2 replaces both with anetd
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2). Not counted: DCGM exporter (only with GKE's
 * DCGM metrics, which runway does not enable) and DaemonSets requesting nothing (maintenance-handler, 0m in [ds-table]).
 */
export const GPU_NODE_DAEMONSETS: readonly DaemonSetRequest[] = [
  { name: "fluentbit-gke (logging)", cpuMillis: 105, memoryMiB: 230, source: "[node-1.36]" },
  { name: "gke-metrics-agent", cpuMillis: 21, memoryMiB: 145, source: "[node-1.36]" },
  { name: "gke-metadata-server (Workload Identity)", cpuMillis: 100, memoryMiB: 100, source: "[node-1.36]" },
  { name: "netd", cpuMillis: 8, memoryMiB: 65, source: "[node-1.36]" },
  { name: "pdcsi-node (Persistent Disk CSI)", cpuMillis: 10, memoryMiB: 20, source: "[node-1.36]" },
  { name: "ip-masq-agent", cpuMillis: 10, memoryMiB: 16, source: "[node-1.36]; may not run with Dataplane V2" },
  // node-local-dns (30m/50Mi on [node-1.36]) is left out: it runs only with NodeLocal DNSCache, which runway does not
  // enable (no addonsConfig.dnsCacheConfig, cluster-spec.ts) and GKE Standard leaves off by default.
  // No memory figure found for GKE's anetd; 200Mi is runway's conservative stand-in, stated as such.
  { name: "anetd (Dataplane V2)", cpuMillis: 205, memoryMiB: 200, source: "[ds-table] CPU; memory runway's estimate" },
  { name: "nvidia-gpu-device-plugin", cpuMillis: 150, memoryMiB: 80, source: "[gpu-1.31]" },
  // 4M + 32M = 36,000,000 bytes = 34.3Mi, rounded up.
  { name: "gmp-system collector (managed Prometheus)", cpuMillis: 5, memoryMiB: 35, source: "[gmp], [ds-table]" },
  { name: "secrets-store CSI driver (Secret Manager add-on)", cpuMillis: 70, memoryMiB: 140, source: "[sscsi]" },
  { name: "secrets-store GCP provider (Secret Manager add-on)", cpuMillis: 50, memoryMiB: 100, source: "[sscsi-gcp]" },
];

/** The sum of some DaemonSets' requests. */
function sumOf(daemonSets: readonly DaemonSetRequest[]): { cpuMillis: number; memoryMiB: number } {
  return daemonSets.reduce(
    (sum, ds) => ({ cpuMillis: sum.cpuMillis + ds.cpuMillis, memoryMiB: sum.memoryMiB + ds.memoryMiB }),
    { cpuMillis: 0, memoryMiB: 0 },
  );
}

/** The sum of GPU_NODE_DAEMONSETS: what pods cannot have on a GPU node. */
export const GPU_NODE_DAEMONSET_REQUESTS = sumOf(GPU_NODE_DAEMONSETS);

/** What pods cannot have on a system-pool node: the same DaemonSets, less the GPU device plugin. */
export const SYSTEM_NODE_DAEMONSET_REQUESTS = sumOf(
  GPU_NODE_DAEMONSETS.filter((ds) => ds.name !== "nvidia-gpu-device-plugin"),
);

/**
 * The kubelet's memory capacity is what the kernel reports, below the machine type's nominal memory, and GKE's
 * reservation applies to it: [node-1.36] has capacity 16380004Ki on a 16 GiB (16777216Ki) n2-standard-4 and
 * allocatable 13591652Ki, which is that capacity less the reservation tiers above and the 100 MiB eviction threshold
 * (to within 1 MiB).
 * One measured machine; the share is assumed for every GPU machine type, and README's verify list checks it.
 */
export const KERNEL_CAPACITY_SHARE = 16380004 / 16777216;

/** The node pool a machine serves: GPU nodes are sized with the sourced DaemonSet table, system nodes as before. */
export type PoolKind = "gpu" | "system";

function reserve(total: number, tiers: readonly (readonly [number, number])[]): number {
  let reserved = 0;
  let floor = 0;
  for (const [ceiling, share] of tiers) {
    if (total <= floor) break;
    reserved += (Math.min(total, ceiling) - floor) * share;
    floor = ceiling;
  }
  return reserved;
}

/**
 * Allocatable CPU GKE gives a shared-core node (e2-micro, e2-small, e2-medium): their 2 nominal vCPUs share one
 * core's time, and GKE's allocatable table lists 0.94 CPU for them
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes, "Allocatable resources"). The figure
 * is the pre-deployment review's ("about 940m allocatable", shared/review-deploy-2026-12.md R7); the stored copies
 * of that page did not show the table, so README's "verify on the first real deployment" checks it. Not the 1.93
 * the tiers below give 2 vCPUs.
 */
export const SHARED_CORE_ALLOCATABLE_CPU = 0.94;

/**
 * What the kubelet lets pods request on a node of this shape (allocatable), after GKE's reservations
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes#memory_and_cpu_reservations), before
 * DaemonSets. GPU nodes start from the kernel-reported capacity (KERNEL_CAPACITY_SHARE); system nodes from the nominal
 * memory, as before.
 */
export function allocatable(shape: MachineShape, pool: PoolKind): { cpu: number; memoryMiB: number } {
  const memoryGiB = pool === "gpu" ? shape.memoryGiB * KERNEL_CAPACITY_SHARE : shape.memoryGiB;
  const reservedMiB = reserve(memoryGiB, MEMORY_RESERVATION) * 1024 + EVICTION_MIB;
  const cpu = shape.sharedCore ? SHARED_CORE_ALLOCATABLE_CPU : shape.vcpu - reserve(shape.vcpu, CPU_RESERVATION);
  return { cpu, memoryMiB: memoryGiB * 1024 - reservedMiB };
}

/** What one node of this shape leaves for runway's pods: allocatable less the DaemonSets of its pool. */
export function podCapacity(shape: MachineShape, pool: PoolKind = "system"): { cpu: number; memoryMiB: number } {
  const node = allocatable(shape, pool);
  const daemonSets = pool === "gpu" ? GPU_NODE_DAEMONSET_REQUESTS : SYSTEM_NODE_DAEMONSET_REQUESTS;
  return { cpu: node.cpu - daemonSets.cpuMillis / 1000, memoryMiB: node.memoryMiB - daemonSets.memoryMiB };
}

/**
 * What one pod of the service requests: the app container's plus every sidecar's (workload/contract.ts
 * instanceResources). Native sidecars (restartable init containers) count like containers: "Sum(SidecarContainers) +
 * Sum(Containers)", the larger of that and any regular init container plus the sidecars before it (KEP-753,
 * "Resources calculation for scheduling and pod admission", kubernetes/enhancements
 * keps/sig-node/753-sidecar-containers; https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/).
 * runway's pods have no regular init containers, so the sum is the pod's request.
 */
export function podRequests(service: ServiceConfig): { readonly cpu: number; readonly memoryMiB: number } {
  const pod = instanceResources(service);
  if (!hasFuseSidecar(service)) return pod;
  return {
    cpu: Math.round((pod.cpu + FUSE_SIDECAR_REQUESTS.cpuMillis / 1000) * 1000) / 1000,
    memoryMiB: pod.memoryMiB + FUSE_SIDECAR_REQUESTS.memoryMiB,
  };
}

/**
 * What the Cloud Storage FUSE driver's injected sidecar requests when the pod sets no `gke-gcsfuse/*-request`
 * annotation (runway sets none): 250m CPU and 256Mi memory, the defaults of the driver's webhook
 * (GoogleCloudPlatform/gcs-fuse-csi-driver pkg/webhook/config.go, whose defaults for tests are "250m", "256Mi", "5Gi";
 * Google's sidecar page, https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-storage-fuse-csi-driver-sidecar,
 * names the annotations but its text at hand did not state the figures, so README's "verify on the first real
 * deployment" checks them). The scheduler counts it like any container of the pod.
 */
export const FUSE_SIDECAR_REQUESTS = { cpuMillis: 250, memoryMiB: 256 } as const;

/** Whether the FUSE driver injects its sidecar into the service's pods: when it mounts a bucket. */
export function hasFuseSidecar(service: ServiceConfig): boolean {
  return volumesOf(service, "gcs").length > 0;
}

/** The pod's requests as node-fit messages state them: the FUSE sidecar's included and named when it is injected. */
export function podRequestsText(service: ServiceConfig): {
  readonly cpu: string;
  readonly memory: string;
  readonly suffix: string;
} {
  if (!hasFuseSidecar(service)) return instanceResourcesText(service);
  const { cpu, memoryMiB: mib } = podRequests(service);
  const n = service.sidecars.length;
  const sidecars = n > 0 ? ` + ${n} sidecar${n === 1 ? "" : "s"}` : "";
  return { cpu: String(cpu), memory: formatMiB(mib), suffix: ` (app${sidecars} + Cloud Storage FUSE sidecar)` };
}

/** Whether one pod of the service fits a node of this machine type in that pool. */
export function fitsMachine(service: ServiceConfig, machineType: string, pool: PoolKind): boolean {
  const shape = machineShape(machineType);
  if (!shape) return false;
  const capacity = podCapacity(shape, pool);
  const pod = podRequests(service);
  return pod.cpu <= capacity.cpu && pod.memoryMiB <= capacity.memoryMiB;
}

/** The cheapest-looking (fewest vCPUs, then least memory) machine type that carries the service's GPUs and fits it. */
export function defaultGpuMachineType(service: ServiceConfig): string | undefined {
  const gpu = service.gpu;
  if (!gpu || !isGpuType(gpu.type)) return undefined;
  const family = GPU_TYPES[gpu.type].family;
  return Object.entries(MACHINE_TYPES as Readonly<Record<string, MachineShape>>)
    .filter(([type, shape]) => shape.family === family && allowedGpuCounts(gpu.type, type).includes(gpu.count))
    .filter(([type]) => fitsMachine(service, type, "gpu"))
    .sort(([, a], [, b]) => a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB)[0]?.[0];
}

/**
 * The Deployment's rollout starts one new pod before it stops an old one (maxSurge 1, maxUnavailable 0;
 * workload-spec.ts), so a pool must hold maxInstances + 1 pods.
 */
export const ROLLOUT_SURGE = 1;

/**
 * Releases whose pods share the service's pool: the candidate, and the stable image when it runs beside it. Each has
 * its own Deployment and ScaledObject (service.ts), so each may reach maxInstances and surge in a rollout.
 */
export function releaseCount(service: ServiceConfig): number {
  return hasStable(service) ? 2 : 1;
}

/** The service's pods at most: maxInstances plus the rollout's surge pod, for each release. */
export function maxServicePods(service: ServiceConfig): number {
  return releaseCount(service) * (service.maxInstances + ROLLOUT_SURGE);
}

/** One cluster-wide pod (not a per-node DaemonSet: those are in SYSTEM_NODE_DAEMONSET_REQUESTS) and where its figure comes from. */
export interface ClusterPodRequest {
  readonly name: string;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly source: string;
}

/**
 * GKE's own cluster-wide pods, which run on the system pool (the GPU pool is tainted, cluster-spec.ts GPU_TAINT).
 * kube-dns: kubedns 100m/70Mi + dnsmasq 150m/20Mi + sidecar 10m/20Mi per replica (kubernetes/kubernetes
 * cluster/addons/dns/kube-dns/kube-dns.yaml.in), 2 replicas: the kube-dns-autoscaler's preventSinglePointFailure
 * keeps 2 once the cluster has more than one node (cluster/addons/dns-horizontal-autoscaler/dns-horizontal-autoscaler.yaml,
 * which also gives the autoscaler's own 20m/10Mi). GKE ships its own variants of these manifests; the rest is
 * runway's estimate, GKE publishes no figure for it.
 */
export const GKE_CLUSTER_PODS: readonly ClusterPodRequest[] = [
  { name: "kube-dns ×2", cpuMillis: 2 * (100 + 150 + 10), memoryMiB: 2 * (70 + 20 + 20), source: "kube-dns.yaml.in" },
  { name: "kube-dns-autoscaler", cpuMillis: 20, memoryMiB: 10, source: "dns-horizontal-autoscaler.yaml" },
  { name: "metrics-server", cpuMillis: 50, memoryMiB: 100, source: "runway's estimate" },
  { name: "konnectivity-agent", cpuMillis: 10, memoryMiB: 30, source: "runway's estimate" },
  { name: "GMP operator", cpuMillis: 10, memoryMiB: 50, source: "runway's estimate" },
];

/** What runway's add-ons (keda.ts ADDON_REQUESTS) and GKE's cluster pods request on the system pool. */
export function systemPoolRequests(): { cpuMillis: number; memoryMiB: number } {
  return GKE_CLUSTER_PODS.reduce(
    (sum, pod) => ({ cpuMillis: sum.cpuMillis + pod.cpuMillis, memoryMiB: sum.memoryMiB + pod.memoryMiB }),
    { cpuMillis: ADDON_REQUESTS.cpuMillis, memoryMiB: ADDON_REQUESTS.memoryMiB },
  );
}

/** The system pool's requests against what its nodes give pods at the pool's minimum size (nodes × zones). */
export interface SystemPoolFit {
  readonly requestedCpuMillis: number;
  readonly allocatableCpuMillis: number;
  readonly requestedMiB: number;
  readonly allocatableMiB: number;
}

function fitOn(shape: MachineShape, nodes: number): SystemPoolFit {
  const capacity = podCapacity(shape);
  const requests = systemPoolRequests();
  return {
    requestedCpuMillis: requests.cpuMillis,
    allocatableCpuMillis: Math.floor(Math.round(capacity.cpu * 1000) * nodes),
    requestedMiB: requests.memoryMiB,
    allocatableMiB: Math.floor(capacity.memoryMiB) * nodes,
  };
}

export const fits = (fit: SystemPoolFit): boolean =>
  fit.requestedCpuMillis <= fit.allocatableCpuMillis && fit.requestedMiB <= fit.allocatableMiB;

/** The fit of the resolved system pool; undefined for a machine type runway does not know. */
export function systemPoolFit(resolved: ResolvedGke): SystemPoolFit | undefined {
  const shape = machineShape(resolved.systemPool.machineType);
  return shape && fitOn(shape, resolved.systemPool.nodes * poolZoneCount(resolved.location));
}

/** Used when no known type fits; the rules then report why. */
const SYSTEM_POOL_FALLBACK = "e2-standard-4";

/** E2 is the cheapest per vCPU, then N2, then N1 (facts/prices.ts): a smaller type of a dearer series comes after. */
const familyRank = (shape: MachineShape): number => ({ e2: 0, n2: 1 })[shape.family as string] ?? 2;

/**
 * The system-pool type: the smallest general-purpose (GPU-less) type whose `poolNodes` nodes hold what runway and
 * GKE run there (systemPoolRequests) and, for a service without a GPU (which runs on this pool), one of its pods;
 * undefined if none.
 */
export function defaultGeneralMachineType(service: ServiceConfig | undefined, poolNodes = 1): string | undefined {
  return Object.entries(MACHINE_TYPES as Readonly<Record<string, MachineShape>>)
    .filter(
      ([type, shape]) =>
        !shape.gpus && fits(fitOn(shape, poolNodes)) && (!service || fitsMachine(service, type, "system")),
    )
    .sort(([, a], [, b]) => familyRank(a) - familyRank(b) || a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB)[0]?.[0];
}

/** Pods of the service one node of this shape holds (0 when one does not fit). */
export function podsPerNodeOf(service: ServiceConfig, shape: MachineShape): number {
  const capacity = podCapacity(shape);
  const pod = podRequests(service);
  return Math.max(0, Math.floor(Math.min(capacity.cpu / (pod.cpu || 1), capacity.memoryMiB / (pod.memoryMiB || 1))));
}

/**
 * System nodes (in all zones) for runway's and GKE's pods plus, without a GPU, maxInstances + 1 service pods: enough
 * nodes for the summed CPU and memory requests, and for the service pods one node takes. This packs requests as a
 * sum; the cluster pods are small (at most 260m each), so what it ignores is at most a fraction of one such pod per node.
 */
/**
 * What the event forwarder's one container requests, and its limits (requests = limits, the Guaranteed QoS the app's
 * pods have): it waits on the network nearly all the time; the memory is Node's baseline (some 40 to 50 MiB) plus a
 * batch of pulled messages. It runs on the system pool for a service with events (gke/events.ts).
 */
const FORWARDER_REQUESTS = { cpuMillis: 50, memoryMiB: 128 } as const;
export const FORWARDER_RESOURCES = {
  cpu: `${FORWARDER_REQUESTS.cpuMillis}m`,
  memory: `${FORWARDER_REQUESTS.memoryMiB}Mi`,
} as const;

/** What the system pool's nodes run besides the service's own pods: the cluster's pods, and a forwarder for events. */
export function systemPoolPodRequests(service: ServiceConfig): { cpuMillis: number; memoryMiB: number } {
  const base = systemPoolRequests();
  if (service.events.length === 0) return base;
  return {
    cpuMillis: base.cpuMillis + FORWARDER_REQUESTS.cpuMillis,
    memoryMiB: base.memoryMiB + FORWARDER_REQUESTS.memoryMiB,
  };
}

export function systemNodesNeeded(service: ServiceConfig, shape: MachineShape): number {
  const capacity = podCapacity(shape);
  const requests = systemPoolPodRequests(service);
  const perNode = podsPerNodeOf(service, shape);
  const pods = service.gpu || perNode < 1 ? 0 : maxServicePods(service);
  const pod = podRequests(service);
  const cpuMillis = requests.cpuMillis + pods * pod.cpu * 1000;
  const mib = requests.memoryMiB + pods * pod.memoryMiB;
  return Math.max(
    Math.ceil(cpuMillis / Math.round(capacity.cpu * 1000)),
    Math.ceil(mib / capacity.memoryMiB),
    pods > 0 ? Math.ceil(pods / perNode) : 0,
    1,
  );
}

/** GPU pods per node: one (each node carries exactly the pod's GPUs), or maxSharedClients when shared. */
export function gpuPodsPerNode(gke: Pick<GkeConfig, "gpuPool">): number {
  return gke.gpuPool.sharing?.maxSharedClients ?? 1;
}

/**
 * Zones a node pool spans: one for a zonal cluster; for a regional one, GKE's default of three zones of
 * the region (https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters).
 */
export function poolZoneCount(location: string): number {
  return isZone(location) ? 1 : 3;
}

export function isZone(location: string): boolean {
  return /-[a-z]$/.test(location);
}

/** The region a zone belongs to ("us-central1-a" → "us-central1"); a region is its own. */
export function regionOf(location: string): string {
  return isZone(location) ? location.slice(0, -2) : location;
}

/** Zones runway knows for a region: every zone that offers some GPU there (facts/gpus.ts GPU_ZONES). */
function knownZones(region: string): string[] {
  const byGpu = Object.hasOwn(GPU_ZONES, region) ? GPU_ZONES[region] : undefined;
  return [...new Set(Object.values(byGpu ?? {}).flat())].sort();
}

/**
 * The default location is a single zone: a zonal cluster is covered by the GKE free tier (gcp-facts §4.2),
 * and it is the first zone that offers the service's GPU.
 */
export function defaultLocation(service: ServiceConfig, region: string): string | undefined {
  const zones = service.gpu ? zonesOffering(service.gpu.type, region) : knownZones(region);
  return zones[0];
}

/** GPUs per node of a GPU pool: the service's GPUs per pod. */
export interface GpuRequest {
  readonly type: string;
  readonly count: number;
}

/** GKE settings with every default resolved. */
export interface ResolvedGke extends GkeConfig {
  readonly systemPool: {
    readonly machineType: string;
    readonly nodes: number;
    /** Per zone, as autoscaling limits are. */
    readonly maxNodes: number;
    readonly spot: boolean;
  };
  /**
   * diskType: runway:gke.gpuPool.diskType, else with a GPU the machine series' default (facts/disks.ts); undefined
   * without a GPU, when there is no GPU pool.
   */
  readonly gpuPool: GkeConfig["gpuPool"] & {
    readonly maxNodes: number;
    readonly diskType?: BootDiskType | undefined;
  };
  readonly location: string;
  readonly namespace: string;
  /** The zones GPU nodes run in: the cluster's zone, or the region's zones that offer the GPU. */
  readonly gpuNodeLocations: readonly string[];
  /** The GPU pool's machine type; undefined without a GPU (the service then runs on the system pool). */
  readonly gpuMachineType?: string | undefined;
  readonly coldStartSeconds: number;
  /** runway:gke.deletionProtection, or the stack's runway:protect. */
  readonly deletionProtection: boolean;
  /**
   * The Cloud Storage FUSE CSI driver add-on, on when the service mounts a bucket. It is absent otherwise, so clusters of
   * services without one (the shipped stacks) keep their arguments. Services sharing the cluster are checked against
   * it (rules.ts gkeServiceProblems).
   */
  readonly gcsFuseCsiDriver?: true;
  /**
   * The Backup for GKE agent add-on, on when a disk volume has a backup: the agent takes the BackupPlan's backups, and
   * it "is disabled by default; Set `enabled = true` to enable" (gcp.container.Cluster addonsConfig.gkeBackupAgentConfig
   * doc; https://cloud.google.com/kubernetes-engine/docs/add-on/backup-for-gke/how-to/install). Absent otherwise, as
   * gcsFuseCsiDriver, so other clusters keep their arguments.
   */
  readonly gkeBackupAgent?: true;
}

/**
 * Resolves the defaults. Assumes the config passed the GKE rules (rules.ts), which report every case
 * where a default cannot be found.
 */
export function resolveGke(
  service: ServiceConfig,
  gke: GkeConfig | undefined,
  region: string,
  protect = false,
): ResolvedGke {
  const config = gke ?? gkeSchema.parse({});
  const location = config.location ?? defaultLocation(service, region) ?? region;
  const gpuNodeLocations = service.gpu
    ? isZone(location)
      ? [location]
      : zonesOffering(service.gpu.type, location)
    : [];
  const zones = poolZoneCount(location);
  const systemMachineType =
    config.systemPool.machineType ??
    defaultGeneralMachineType(service.gpu ? undefined : service, config.systemPool.nodes * zones) ??
    SYSTEM_POOL_FALLBACK;
  const systemShape = machineShape(systemMachineType);
  const systemMaxNodes =
    config.systemPool.maxNodes ??
    Math.max(
      config.systemPool.nodes,
      systemShape ? Math.ceil(systemNodesNeeded(service, systemShape) / zones) : config.systemPool.nodes,
    );
  // Enough for maxInstances + 1 surge pod of each release; limits are per zone (container_node_pool doc).
  const gpuMaxNodes =
    config.gpuPool.maxNodes ??
    Math.max(
      1,
      config.gpuPool.minNodes,
      Math.ceil(maxServicePods(service) / gpuPodsPerNode(config) / Math.max(gpuNodeLocations.length, 1)),
    );
  const gpuMachineType = service.gpu ? (config.gpuPool.machineType ?? defaultGpuMachineType(service)) : undefined;
  return {
    ...config,
    systemPool: { ...config.systemPool, machineType: systemMachineType, maxNodes: systemMaxNodes },
    gpuPool: {
      ...config.gpuPool,
      maxNodes: gpuMaxNodes,
      diskType: config.gpuPool.diskType ?? (gpuMachineType ? defaultBootDiskType(gpuMachineType) : undefined),
    },
    location,
    namespace: config.namespace ?? service.name,
    gpuNodeLocations,
    gpuMachineType,
    coldStartSeconds: config.coldStartSeconds ?? defaultColdStartSeconds(service),
    deletionProtection: config.deletionProtection ?? protect,
    ...(hasFuseSidecar(service) && { gcsFuseCsiDriver: true as const }),
    ...(volumesOf(service, "disk").some((v) => v.backup) && { gkeBackupAgent: true as const }),
  };
}

/** The cold-start hold and rollout deadline without runway:gke.coldStartSeconds (see its JSDoc in schema.ts). */
export function defaultColdStartSeconds(service: ServiceConfig): number {
  return service.gpu ? 1800 : 600;
}

/**
 * A node pool of a GpuCluster beside its system pool and its `gpu` pool (GpuClusterArgs.pools): GPU nodes of one type
 * and count, or general-purpose (CPU) nodes. Checked with the stack path's rules before anything is registered.
 */
export interface PoolArgs {
  /**
   * The GKE node pool's name, unique in the cluster: lowercase letters, digits and hyphens, starting with a letter,
   * at most 40 characters; not "system", nor "gpu" when the cluster's `gpu` pool exists. It also names the pool's
   * Pulumi resource (`<cluster>-<name>-pool`) and ComputeClass (`runway-<name>`). Required.
   */
  readonly name: string;
  /** GPUs per node (type and count): a GPU pool. Default none: a CPU pool. */
  readonly gpu?: GpuRequest | undefined;
  /**
   * Machine type of the nodes. Default: for a GPU pool the smallest type of the GPU's family that carries `gpu.count`
   * (defaultGpuMachineType); for a CPU pool the system pool's default for a GPU cluster (defaultGeneralMachineType).
   */
  readonly machineType?: string | undefined;
  /** Fewest nodes per zone; 0 lets the pool scale to nothing. Default 0. */
  readonly minNodes?: number | undefined;
  /** Most nodes per zone. Default: the cluster's gpuPool.maxNodes for a GPU pool, systemPool.maxNodes for a CPU pool. */
  readonly maxNodes?: number | undefined;
  /** Spot VMs (cheaper, can be reclaimed with 30 s notice). Default: the cluster's gpuPool.spot for a GPU pool, else false. */
  readonly spot?: boolean | undefined;
  /** Boot disk size in GB, 10 or more. Default: the cluster's gpuPool.diskSizeGb for a GPU pool, GKE's 100 for a CPU pool. */
  readonly diskSizeGb?: number | undefined;
  /** Boot disk type. Default: the first type the machine series boots from (facts/disks.ts). */
  readonly diskType?: BootDiskType | undefined;
}

/** A pool from PoolArgs with every default resolved (resolvePool). */
export interface ResolvedPool {
  readonly name: string;
  readonly gpu?: GpuRequest | undefined;
  /** Undefined when no known type carries the GPUs; the rules then say so. */
  readonly machineType: string | undefined;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly spot: boolean;
  readonly diskSizeGb?: number | undefined;
  readonly diskType?: BootDiskType | undefined;
  /** The zones of the pool's nodes: for a GPU pool those that offer the GPU; empty for a CPU pool (the cluster's). */
  readonly nodeLocations: readonly string[];
}

/** The defaults of one extra pool, from the cluster's own settings. */
export function resolvePool(gke: ResolvedGke, pool: PoolArgs, region: string): ResolvedPool {
  const gpu = pool.gpu;
  const probe = gpu && isGpuType(gpu.type) ? poolProbeService(gpu) : undefined;
  const machineType =
    pool.machineType ??
    (gpu ? probe && defaultGpuMachineType(probe) : (defaultGeneralMachineType(undefined) ?? SYSTEM_POOL_FALLBACK));
  const nodeLocations = gpu
    ? isZone(gke.location)
      ? zonesOffering(gpu.type, region).includes(gke.location)
        ? [gke.location]
        : []
      : zonesOffering(gpu.type, gke.location)
    : [];
  return {
    name: pool.name,
    gpu,
    machineType,
    minNodes: pool.minNodes ?? 0,
    maxNodes: pool.maxNodes ?? (gpu ? gke.gpuPool.maxNodes : gke.systemPool.maxNodes),
    spot: pool.spot ?? (gpu ? gke.gpuPool.spot : false),
    diskSizeGb: pool.diskSizeGb ?? (gpu ? gke.gpuPool.diskSizeGb : undefined),
    diskType: pool.diskType ?? (machineType ? defaultBootDiskType(machineType) : undefined),
    nodeLocations,
  };
}

/** A service that asks for nothing but the pool's GPUs, for choosing and checking a pool's machine on its own. */
export function poolProbeService(gpu: GpuRequest | undefined): ServiceConfig {
  return serviceSchema.parse({ name: "cluster", gpu, cpu: "0.1", memory: "128Mi", maxInstances: 1 });
}
