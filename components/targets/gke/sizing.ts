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
 * What pods may request on a node of this shape, after GKE's reservations
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes#memory_and_cpu_reservations)
 * and the system-pod headroom.
 */
export function podCapacity(shape: MachineShape): { cpu: number; memoryMiB: number } {
  const memoryGiB = shape.memoryGiB;
  const reservedMiB = reserve(memoryGiB, MEMORY_RESERVATION) * 1024 + EVICTION_MIB;
  return {
    cpu: shape.vcpu - reserve(shape.vcpu, CPU_RESERVATION) - SYSTEM_POD_HEADROOM.cpu,
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

/** The smallest system-pool type: small and cheap, enough for GKE's own system pods. */
export const SYSTEM_POOL_MACHINE_TYPE = "e2-medium";

/**
 * The system-pool type for a service without a GPU, which shares the pool with GKE's system pods: e2-medium
 * when the service fits it, else the smallest larger general-purpose (GPU-less) type that fits; undefined if none.
 */
export function defaultGeneralMachineType(service: ServiceConfig): string | undefined {
  const floor = MACHINE_TYPES[SYSTEM_POOL_MACHINE_TYPE];
  return Object.entries(MACHINE_TYPES as Readonly<Record<string, MachineShape>>)
    .filter(
      ([type, shape]) =>
        !shape.gpus && shape.vcpu >= floor.vcpu && shape.memoryGiB >= floor.memoryGiB && fitsMachine(service, type),
    )
    .sort(([, a], [, b]) => a.vcpu - b.vcpu || a.memoryGiB - b.memoryGiB)[0]?.[0];
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
  const byGpu = Object.hasOwn(GPU_ZONES, region) ? Object.values(GPU_ZONES[region]) : [];
  return [...new Set(byGpu.flat())].sort();
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
  readonly systemPool: { readonly machineType: string; readonly nodes: number; readonly spot: boolean };
  readonly location: string;
  readonly namespace: string;
  /** The zones GPU nodes run in: the cluster's zone, or the region's zones that offer the GPU. */
  readonly gpuNodeLocations: readonly string[];
  /** The GPU pool's machine type; undefined without a GPU (the service then runs on the system pool). */
  readonly gpuMachineType?: string;
}

/**
 * Resolves the defaults. Assumes the config passed the GKE rules (rules.ts), which report every case
 * where a default cannot be found.
 */
export function resolveGke(service: ServiceConfig, gke: GkeConfig | undefined, region: string): ResolvedGke {
  const config = gke ?? gkeSchema.parse({});
  const location = config.location ?? defaultLocation(service, region) ?? region;
  const gpuNodeLocations = service.gpu
    ? isZone(location)
      ? [location]
      : zonesOffering(service.gpu.type, location)
    : [];
  const systemMachineType =
    config.systemPool.machineType ??
    (service.gpu ? undefined : defaultGeneralMachineType(service)) ??
    SYSTEM_POOL_MACHINE_TYPE;
  return {
    ...config,
    systemPool: { ...config.systemPool, machineType: systemMachineType },
    location,
    namespace: config.namespace ?? service.name,
    gpuNodeLocations,
    gpuMachineType: service.gpu ? (config.gpuPool.machineType ?? defaultGpuMachineType(service)) : undefined,
  };
}
