/**
 * What a GKE node can give a pod, and the GKE settings runway derives from the service description when
 * the stack leaves them out (GPU machine type, cluster location, GPU node zones, namespace).
 */
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
import { cpuCount, memoryMiB } from "../../config/quantities";
import type { GkeConfig, ServiceConfig } from "../../config/schema";
import { gkeSchema } from "../../config/schema";
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

/**
 * GKE system pods on every node (logging and metrics agents, Dataplane V2, the GPU device plugin) also
 * request CPU and memory. GKE publishes no single figure; this headroom is runway's estimate.
 */
export const SYSTEM_POD_HEADROOM = { cpu: 0.3, memoryMiB: 512 } as const;

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
 * What pods may request on a node of this shape, after GKE's reservations
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes#memory_and_cpu_reservations)
 * and the system-pod headroom.
 */
export function podCapacity(shape: MachineShape): { cpu: number; memoryMiB: number } {
  const memoryGiB = shape.memoryGiB;
  const reservedMiB = reserve(memoryGiB, MEMORY_RESERVATION) * 1024 + EVICTION_MIB;
  const allocatableCpu = shape.sharedCore
    ? SHARED_CORE_ALLOCATABLE_CPU
    : shape.vcpu - reserve(shape.vcpu, CPU_RESERVATION);
  return {
    cpu: allocatableCpu - SYSTEM_POD_HEADROOM.cpu,
    memoryMiB: memoryGiB * 1024 - reservedMiB - SYSTEM_POD_HEADROOM.memoryMiB,
  };
}

/** Whether one pod of the service fits a node of this machine type. */
export function fitsMachine(service: ServiceConfig, machineType: string): boolean {
  const shape = machineShape(machineType);
  if (!shape) return false;
  const capacity = podCapacity(shape);
  return (
    (cpuCount(service.cpu) ?? Infinity) <= capacity.cpu && (memoryMiB(service.memory) ?? Infinity) <= capacity.memoryMiB
  );
}

/** The cheapest-looking (fewest vCPUs, then least memory) machine type that carries the service's GPUs and fits it. */
export function defaultGpuMachineType(service: ServiceConfig): string | undefined {
  const gpu = service.gpu;
  if (!gpu || !isGpuType(gpu.type)) return undefined;
  const family = GPU_TYPES[gpu.type].family;
  return Object.entries(MACHINE_TYPES as Readonly<Record<string, MachineShape>>)
    .filter(([type, shape]) => shape.family === family && allowedGpuCounts(gpu.type, type).includes(gpu.count))
    .filter(([type]) => fitsMachine(service, type))
    .sort(([, a], [, b]) => a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB)[0]?.[0];
}

/**
 * The Deployment's rollout starts one new pod before it stops an old one (maxSurge 1, maxUnavailable 0;
 * workload-spec.ts), so a pool must hold maxInstances + 1 pods.
 */
export const ROLLOUT_SURGE = 1;

/** One cluster-wide pod (not a per-node DaemonSet: those are in SYSTEM_POD_HEADROOM) and where its figure comes from. */
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
    .filter(([type, shape]) => !shape.gpus && fits(fitOn(shape, poolNodes)) && (!service || fitsMachine(service, type)))
    .sort(([, a], [, b]) => familyRank(a) - familyRank(b) || a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB)[0]?.[0];
}

/** Pods of the service one node of this shape holds (0 when one does not fit). */
export function podsPerNodeOf(service: ServiceConfig, shape: MachineShape): number {
  const capacity = podCapacity(shape);
  return Math.max(
    0,
    Math.floor(
      Math.min(capacity.cpu / (cpuCount(service.cpu) ?? 1), capacity.memoryMiB / (memoryMiB(service.memory) ?? 1)),
    ),
  );
}

/**
 * System nodes (in all zones) for runway's and GKE's pods plus, without a GPU, maxInstances + 1 service pods: enough
 * nodes for the summed CPU and memory requests, and for the service pods one node takes. This packs requests as a
 * sum; the cluster pods are small (at most 260m each), so what it ignores is at most a fraction of one such pod per node.
 */
export function systemNodesNeeded(service: ServiceConfig, shape: MachineShape): number {
  const capacity = podCapacity(shape);
  const requests = systemPoolRequests();
  const perNode = podsPerNodeOf(service, shape);
  const pods = service.gpu || perNode < 1 ? 0 : service.maxInstances + ROLLOUT_SURGE;
  const cpuMillis = requests.cpuMillis + pods * (cpuCount(service.cpu) ?? 0) * 1000;
  const mib = requests.memoryMiB + pods * (memoryMiB(service.memory) ?? 0);
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
  readonly gpuPool: GkeConfig["gpuPool"] & { readonly maxNodes: number };
  readonly location: string;
  readonly namespace: string;
  /** The zones GPU nodes run in: the cluster's zone, or the region's zones that offer the GPU. */
  readonly gpuNodeLocations: readonly string[];
  /** The GPU pool's machine type; undefined without a GPU (the service then runs on the system pool). */
  readonly gpuMachineType?: string | undefined;
  readonly coldStartSeconds: number;
  /** runway:gke.deletionProtection, or the stack's runway:protect. */
  readonly deletionProtection: boolean;
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
  // Enough for maxInstances + 1 surge pod; limits are per zone (container_node_pool doc).
  const gpuMaxNodes =
    config.gpuPool.maxNodes ??
    Math.max(
      1,
      config.gpuPool.minNodes,
      Math.ceil((service.maxInstances + ROLLOUT_SURGE) / gpuPodsPerNode(config) / Math.max(gpuNodeLocations.length, 1)),
    );
  return {
    ...config,
    systemPool: { ...config.systemPool, machineType: systemMachineType, maxNodes: systemMaxNodes },
    gpuPool: { ...config.gpuPool, maxNodes: gpuMaxNodes },
    location,
    namespace: config.namespace ?? service.name,
    gpuNodeLocations,
    gpuMachineType: service.gpu ? (config.gpuPool.machineType ?? defaultGpuMachineType(service)) : undefined,
    coldStartSeconds: config.coldStartSeconds ?? defaultColdStartSeconds(service),
    deletionProtection: config.deletionProtection ?? protect,
  };
}

/** The cold-start hold and rollout deadline without runway:gke.coldStartSeconds (see its JSDoc in schema.ts). */
export function defaultColdStartSeconds(service: ServiceConfig): number {
  return service.gpu ? 1800 : 600;
}
