/**
 * GPU and machine-type facts for GKE Standard node pools and Cloud Run: which machine series takes which GPU,
 * the shape (vCPU, memory, GPUs) of each machine type, which zones offer each GPU, and Cloud Run's GPU limits.
 * Pure data and pure helpers; nothing here talks to Google Cloud.
 *
 * Units: memory is GiB. Google's pages write "GB", but the Compute API's `memoryMb` is MiB
 * (n1-standard-1 is 3840 MiB = 3.75), so the "GB" figures are GiB.
 * Abbreviations in the source notes below:
 *   [machinetypes] Cyclenerd tools/machinetypes.csv @ 16d0026 (a dump of `gcloud compute machine-types list`; the file
 *                  carries no date; it lists a4-highgpu-8g but no g4, so likely 2025), read 2026-11-23.
 *                  https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator (3rd-party)
 *   [gcp.yml]      Cyclenerd build/gcp.yml @ 7a2c55d: GPU counts of the a2, a3-highgpu-8g and g2 types (3rd-party, undated).
 *   [skypilot]     skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv @ 006059e0, made from the Compute API
 *                  (3rd-party; the snapshot carries no date; it has B200/H200 but no RTX PRO 6000, so it likely
 *                  predates G4 GA in Oct 2025), read 2026-11-23. https://github.com/skypilot-org/skypilot-catalog
 *   [dstack]       https://github.com/dstackai/dstack/pull/3213 (2025-10-22): G4 shapes in us-central1 (3rd-party).
 */

/** Compute Engine accelerator type strings (the `type` of a GKE `guestAccelerators` entry). */
export type GpuType =
  | "nvidia-tesla-t4"
  | "nvidia-tesla-p4"
  | "nvidia-tesla-v100"
  | "nvidia-tesla-p100"
  | "nvidia-l4"
  | "nvidia-tesla-a100"
  | "nvidia-a100-80gb"
  | "nvidia-h100-80gb"
  | "nvidia-h100-mega-80gb"
  | "nvidia-h200-141gb"
  | "nvidia-b200"
  | "nvidia-rtx-pro-6000";

/**
 * Machine series that can carry a GPU. "GPUs are supported for N1 general-purpose, and the accelerator-optimized
 * machine series… GPUs can't be used with other machine series" — https://cloud.google.com/compute/docs/gpus/about-gpus
 * (stored copy, undated). On the accelerator-optimized series the GPUs come with the machine type; on N1 you attach them.
 */
export type GpuFamily = "n1" | "g2" | "g4" | "a2" | "a3" | "a4";

/** Series used in MACHINE_TYPES: the GPU series plus the common system-pool series. */
export type MachineFamily = GpuFamily | "e2" | "n2";

export interface MachineShape {
  readonly family: MachineFamily;
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** Set on accelerator-optimized types, whose GPU model and count are fixed by the machine type. */
  readonly gpus?: { readonly type: GpuType; readonly count: number };
  /** Shared-core type: the vCPUs share one physical core's time (Compute API `isSharedCpu`). */
  readonly sharedCore?: true;
}

const l4 = (count: number) => ({ type: "nvidia-l4", count }) as const;
const rtxPro6000 = (count: number) => ({ type: "nvidia-rtx-pro-6000", count }) as const;
const a100 = (count: number) => ({ type: "nvidia-tesla-a100", count }) as const;
const a100x80 = (count: number) => ({ type: "nvidia-a100-80gb", count }) as const;
const h100 = (count: number) => ({ type: "nvidia-h100-80gb", count }) as const;

/** Machine types runway's node pools may use. Data as of 2025 (see the per-group sources); read 2026-11-23. */
export const MACHINE_TYPES = {
  // System-pool types. vCPU/memory: [machinetypes] (e2-medium: CPUS 2, SHARED_CPU True, 4 GB).
  "e2-medium": { family: "e2", vcpu: 2, memoryGiB: 4, sharedCore: true },
  "e2-standard-2": { family: "e2", vcpu: 2, memoryGiB: 8 },
  "e2-standard-4": { family: "e2", vcpu: 4, memoryGiB: 16 },
  "e2-standard-8": { family: "e2", vcpu: 8, memoryGiB: 32 },
  "e2-standard-16": { family: "e2", vcpu: 16, memoryGiB: 64 },
  "e2-standard-32": { family: "e2", vcpu: 32, memoryGiB: 128 },
  "n2-standard-2": { family: "n2", vcpu: 2, memoryGiB: 8 },
  "n2-standard-4": { family: "n2", vcpu: 4, memoryGiB: 16 },

  // N1: GPUs are attached separately (see GPU_TYPES[...].n1Counts). Shapes: [machinetypes].
  "n1-standard-1": { family: "n1", vcpu: 1, memoryGiB: 3.75 },
  "n1-standard-2": { family: "n1", vcpu: 2, memoryGiB: 7.5 },
  "n1-standard-4": { family: "n1", vcpu: 4, memoryGiB: 15 },
  "n1-standard-8": { family: "n1", vcpu: 8, memoryGiB: 30 },
  "n1-standard-16": { family: "n1", vcpu: 16, memoryGiB: 60 },
  "n1-standard-32": { family: "n1", vcpu: 32, memoryGiB: 120 },
  "n1-standard-64": { family: "n1", vcpu: 64, memoryGiB: 240 },
  "n1-standard-96": { family: "n1", vcpu: 96, memoryGiB: 360 },
  "n1-highmem-2": { family: "n1", vcpu: 2, memoryGiB: 13 },
  "n1-highmem-4": { family: "n1", vcpu: 4, memoryGiB: 26 },
  "n1-highmem-8": { family: "n1", vcpu: 8, memoryGiB: 52 },
  "n1-highmem-16": { family: "n1", vcpu: 16, memoryGiB: 104 },
  "n1-highmem-32": { family: "n1", vcpu: 32, memoryGiB: 208 },
  "n1-highmem-64": { family: "n1", vcpu: 64, memoryGiB: 416 },
  "n1-highmem-96": { family: "n1", vcpu: 96, memoryGiB: 624 },

  // G2 (NVIDIA L4). Shapes: [machinetypes]; L4 counts: [gcp.yml] (note g2-standard-32 has 1 GPU, not 2).
  "g2-standard-4": { family: "g2", vcpu: 4, memoryGiB: 16, gpus: l4(1) },
  "g2-standard-8": { family: "g2", vcpu: 8, memoryGiB: 32, gpus: l4(1) },
  "g2-standard-12": { family: "g2", vcpu: 12, memoryGiB: 48, gpus: l4(1) },
  "g2-standard-16": { family: "g2", vcpu: 16, memoryGiB: 64, gpus: l4(1) },
  "g2-standard-24": { family: "g2", vcpu: 24, memoryGiB: 96, gpus: l4(2) },
  "g2-standard-32": { family: "g2", vcpu: 32, memoryGiB: 128, gpus: l4(1) },
  "g2-standard-48": { family: "g2", vcpu: 48, memoryGiB: 192, gpus: l4(4) },
  "g2-standard-96": { family: "g2", vcpu: 96, memoryGiB: 384, gpus: l4(8) },

  // G4 (NVIDIA RTX PRO 6000). Shapes and counts: [dstack]; g4-standard-48 = 48/180 also in Cyclenerd pricing.yml
  // (2026-07-30); 1/2/4/8 GPUs also in skypilot-org/skypilot tests (`_ACC_INSTANCE_TYPE_DICTS['RTXPRO6000']`).
  "g4-standard-48": { family: "g4", vcpu: 48, memoryGiB: 180, gpus: rtxPro6000(1) },
  "g4-standard-96": { family: "g4", vcpu: 96, memoryGiB: 360, gpus: rtxPro6000(2) },
  "g4-standard-192": { family: "g4", vcpu: 192, memoryGiB: 720, gpus: rtxPro6000(4) },
  "g4-standard-384": { family: "g4", vcpu: 384, memoryGiB: 1440, gpus: rtxPro6000(8) },

  // A2 (A100 40GB "highgpu"/"megagpu", A100 80GB "ultragpu"). Shapes: [machinetypes]; counts: [gcp.yml].
  "a2-highgpu-1g": { family: "a2", vcpu: 12, memoryGiB: 85, gpus: a100(1) },
  "a2-highgpu-2g": { family: "a2", vcpu: 24, memoryGiB: 170, gpus: a100(2) },
  "a2-highgpu-4g": { family: "a2", vcpu: 48, memoryGiB: 340, gpus: a100(4) },
  "a2-highgpu-8g": { family: "a2", vcpu: 96, memoryGiB: 680, gpus: a100(8) },
  "a2-megagpu-16g": { family: "a2", vcpu: 96, memoryGiB: 1360, gpus: a100(16) },
  "a2-ultragpu-1g": { family: "a2", vcpu: 12, memoryGiB: 170, gpus: a100x80(1) },
  "a2-ultragpu-2g": { family: "a2", vcpu: 24, memoryGiB: 340, gpus: a100x80(2) },
  "a2-ultragpu-4g": { family: "a2", vcpu: 48, memoryGiB: 680, gpus: a100x80(4) },
  "a2-ultragpu-8g": { family: "a2", vcpu: 96, memoryGiB: 1360, gpus: a100x80(8) },

  // A3 High/Edge (H100 80GB), A3 Mega (H100 Mega), A3 Ultra (H200) and A4 (B200). Shapes: [machinetypes];
  // GPU per type (A3 Ultra = nvidia-h200-141gb, A3 Mega = nvidia-h100-mega-80gb, A3 High/Edge = nvidia-h100-80gb,
  // A4 = nvidia-b200): cloud.google.com/compute/docs/gpus (stored copy). Counts: the -Ng suffix, [gcp.yml] for
  // a3-highgpu-8g, and [skypilot] rows (H100-MEGA, H200 and B200 come only as 8).
  // UNCONFIRMED: a 3rd-party price list says the 1g/2g/4g A3 High shapes are Spot/Flex-start only.
  "a3-highgpu-1g": { family: "a3", vcpu: 26, memoryGiB: 234, gpus: h100(1) },
  "a3-highgpu-2g": { family: "a3", vcpu: 52, memoryGiB: 468, gpus: h100(2) },
  "a3-highgpu-4g": { family: "a3", vcpu: 104, memoryGiB: 936, gpus: h100(4) },
  "a3-highgpu-8g": { family: "a3", vcpu: 208, memoryGiB: 1872, gpus: h100(8) },
  "a3-edgegpu-8g": { family: "a3", vcpu: 208, memoryGiB: 1872, gpus: h100(8) },
  "a3-megagpu-8g": { family: "a3", vcpu: 208, memoryGiB: 1872, gpus: { type: "nvidia-h100-mega-80gb", count: 8 } },
  "a3-ultragpu-8g": { family: "a3", vcpu: 224, memoryGiB: 2952, gpus: { type: "nvidia-h200-141gb", count: 8 } },
  "a4-highgpu-8g": { family: "a4", vcpu: 224, memoryGiB: 3968, gpus: { type: "nvidia-b200", count: 8 } },
} as const satisfies Readonly<Record<string, MachineShape>>;

/** One row of Google's N1 GPU table: with `count` GPUs, the N1 machine may have at most these vCPUs and memory. */
export interface N1GpuCount {
  readonly count: number;
  readonly maxVcpu: number;
  readonly maxMemoryGiB: number;
}

/** An accelerator-optimized machine type that carries this GPU, with its fixed count and shape. */
export interface GpuMachine {
  readonly machineType: string;
  readonly gpuCount: number;
  readonly vcpu: number;
  readonly memoryGiB: number;
}

export type GpuTypeInfo =
  | { readonly family: "n1"; readonly label: string; readonly n1Counts: readonly N1GpuCount[] }
  | { readonly family: Exclude<GpuFamily, "n1">; readonly label: string; readonly machineTypes: readonly GpuMachine[] };

function machinesWith(gpu: GpuType): GpuMachine[] {
  return Object.entries(MACHINE_TYPES as Readonly<Record<string, MachineShape>>).flatMap(([machineType, shape]) =>
    shape.gpus?.type === gpu
      ? [{ machineType, gpuCount: shape.gpus.count, vcpu: shape.vcpu, memoryGiB: shape.memoryGiB }]
      : [],
  );
}

const fixed = (gpu: GpuType, family: Exclude<GpuFamily, "n1">, label: string): GpuTypeInfo => ({
  family,
  label,
  machineTypes: machinesWith(gpu),
});

/**
 * Every GPU type runway knows. Accelerator type names: Cyclenerd tools/acceleratortypes.csv (Compute API list,
 * 2026-02-28). GPU ↔ series: cloud.google.com/compute/docs/gpus (stored copies, undated); "The L4 GPU type is
 * available only with the G2 accelerator-optimized machine type" — cloud.google.com/dataflow/docs/gpu/use-l4-gpus.
 *
 * N1 limits (GPU count → max vCPU, max memory GB) come from `_NUM_ACC_TO_MAX_CPU_AND_MEMORY` in skypilot-org/skypilot's
 * GCP catalog code (sky/clouds/service_catalog/gcp_catalog.py and later copies), which cites
 * https://cloud.google.com/compute/docs/gpus (3rd-party, undated, read 2026-11-23). The allowed counts agree with
 * [skypilot]: T4, P4 and P100 come as 1/2/4, V100 as 1/2/4/8.
 * Left out: K80 (end of support) and nvidia-gb200 (A4X, Arm host; no shape source found).
 */
export const GPU_TYPES: Readonly<Record<GpuType, GpuTypeInfo>> = {
  "nvidia-tesla-t4": {
    family: "n1",
    label: "NVIDIA T4 16GB",
    n1Counts: [
      { count: 1, maxVcpu: 48, maxMemoryGiB: 312 },
      { count: 2, maxVcpu: 48, maxMemoryGiB: 312 },
      { count: 4, maxVcpu: 96, maxMemoryGiB: 624 },
    ],
  },
  "nvidia-tesla-p4": {
    family: "n1",
    label: "NVIDIA P4 8GB",
    n1Counts: [
      { count: 1, maxVcpu: 24, maxMemoryGiB: 156 },
      { count: 2, maxVcpu: 48, maxMemoryGiB: 312 },
      { count: 4, maxVcpu: 96, maxMemoryGiB: 624 },
    ],
  },
  "nvidia-tesla-v100": {
    family: "n1",
    label: "NVIDIA V100 16GB",
    n1Counts: [
      { count: 1, maxVcpu: 12, maxMemoryGiB: 78 },
      { count: 2, maxVcpu: 24, maxMemoryGiB: 156 },
      { count: 4, maxVcpu: 48, maxMemoryGiB: 312 },
      { count: 8, maxVcpu: 96, maxMemoryGiB: 624 },
    ],
  },
  "nvidia-tesla-p100": {
    family: "n1",
    label: "NVIDIA P100 16GB",
    // The 4-GPU row is 64 vCPU / 208 GB in us-east1-c, europe-west1-b and europe-west1-d (same skypilot source).
    n1Counts: [
      { count: 1, maxVcpu: 16, maxMemoryGiB: 104 },
      { count: 2, maxVcpu: 32, maxMemoryGiB: 208 },
      { count: 4, maxVcpu: 96, maxMemoryGiB: 624 },
    ],
  },
  "nvidia-l4": fixed("nvidia-l4", "g2", "NVIDIA L4 24GB"),
  "nvidia-rtx-pro-6000": fixed("nvidia-rtx-pro-6000", "g4", "NVIDIA RTX PRO 6000 Blackwell 96GB"),
  "nvidia-tesla-a100": fixed("nvidia-tesla-a100", "a2", "NVIDIA A100 40GB"),
  "nvidia-a100-80gb": fixed("nvidia-a100-80gb", "a2", "NVIDIA A100 80GB"),
  "nvidia-h100-80gb": fixed("nvidia-h100-80gb", "a3", "NVIDIA H100 80GB (A3 High/Edge)"),
  "nvidia-h100-mega-80gb": fixed("nvidia-h100-mega-80gb", "a3", "NVIDIA H100 80GB Mega (A3 Mega)"),
  "nvidia-h200-141gb": fixed("nvidia-h200-141gb", "a3", "NVIDIA H200 141GB (A3 Ultra)"),
  "nvidia-b200": fixed("nvidia-b200", "a4", "NVIDIA B200 (A4)"),
};

/**
 * Zones whose Compute API lists each GPU type, for the regions runway is likely to use; a GKE GPU node pool's
 * `nodeLocations` must be a subset. Data as of: the [skypilot] snapshot (undated, before Oct 2025), read 2026-11-23.
 * T4/P4/P100/V100/L4/H100/H100-Mega/H200/B200 come from its accelerator rows, A100 40GB and 80GB from its
 * a2-highgpu-1g / a2-ultragpu-1g rows. It agrees with Cyclenerd tools/acceleratortypezone.csv (2023) for us-central1.
 * A type missing from a region means the snapshot listed no zone there.
 * UNCONFIRMED: zones for nvidia-rtx-pro-6000 (G4). Cyclenerd tools/acceleratortyperegion.csv (2026-08-10) lists it in
 * us-central1 and europe-west4 at region level only, so it has no entries here and zonesOffering returns [].
 * Capacity changes; check `gcloud compute accelerator-types list --filter="zone~REGION"` before relying on this.
 */
export const GPU_ZONES: Readonly<Record<string, Readonly<Partial<Record<GpuType, readonly string[]>>>>> = {
  "us-central1": {
    "nvidia-tesla-t4": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
    "nvidia-tesla-p4": ["us-central1-a", "us-central1-c"],
    "nvidia-tesla-v100": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
    "nvidia-tesla-p100": ["us-central1-c", "us-central1-f"],
    "nvidia-l4": ["us-central1-a", "us-central1-b", "us-central1-c"],
    "nvidia-tesla-a100": ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"],
    "nvidia-a100-80gb": ["us-central1-a", "us-central1-c"],
    "nvidia-h100-80gb": ["us-central1-a", "us-central1-b", "us-central1-c"],
    "nvidia-h100-mega-80gb": ["us-central1-a", "us-central1-b", "us-central1-c"],
    "nvidia-h200-141gb": ["us-central1-b"],
    "nvidia-b200": ["us-central1-b"],
  },
  "us-east1": {
    "nvidia-tesla-t4": ["us-east1-b", "us-east1-c", "us-east1-d"],
    "nvidia-tesla-v100": ["us-east1-b", "us-east1-c"],
    "nvidia-tesla-p100": ["us-east1-b", "us-east1-c"],
    "nvidia-l4": ["us-east1-b", "us-east1-c", "us-east1-d"],
    "nvidia-tesla-a100": ["us-east1-b"],
    "nvidia-b200": ["us-east1-b"],
  },
  "us-east4": {
    "nvidia-tesla-t4": ["us-east4-a", "us-east4-b", "us-east4-c"],
    "nvidia-tesla-p4": ["us-east4-a", "us-east4-b", "us-east4-c"],
    "nvidia-l4": ["us-east4-a", "us-east4-c"],
    "nvidia-a100-80gb": ["us-east4-c"],
    "nvidia-h100-80gb": ["us-east4-a", "us-east4-b", "us-east4-c"],
    "nvidia-h100-mega-80gb": ["us-east4-a", "us-east4-b", "us-east4-c"],
    "nvidia-h200-141gb": ["us-east4-b"],
    "nvidia-b200": ["us-east4-b"],
  },
  "us-west1": {
    "nvidia-tesla-t4": ["us-west1-a", "us-west1-b"],
    "nvidia-tesla-v100": ["us-west1-a", "us-west1-b"],
    "nvidia-tesla-p100": ["us-west1-a", "us-west1-b"],
    "nvidia-l4": ["us-west1-a", "us-west1-b", "us-west1-c"],
    "nvidia-tesla-a100": ["us-west1-b"],
    "nvidia-h100-80gb": ["us-west1-a", "us-west1-b"],
    "nvidia-h100-mega-80gb": ["us-west1-a", "us-west1-b"],
    "nvidia-h200-141gb": ["us-west1-c"],
  },
  "europe-west1": {
    "nvidia-tesla-t4": ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
    "nvidia-tesla-p100": ["europe-west1-b", "europe-west1-d"],
    "nvidia-l4": ["europe-west1-b", "europe-west1-c"],
    "nvidia-h100-80gb": ["europe-west1-b", "europe-west1-c"],
    "nvidia-h100-mega-80gb": ["europe-west1-b", "europe-west1-c"],
    "nvidia-h200-141gb": ["europe-west1-b"],
  },
  "europe-west4": {
    "nvidia-tesla-t4": ["europe-west4-a", "europe-west4-b", "europe-west4-c"],
    "nvidia-tesla-p4": ["europe-west4-b", "europe-west4-c"],
    "nvidia-tesla-v100": ["europe-west4-a", "europe-west4-b", "europe-west4-c"],
    "nvidia-tesla-p100": ["europe-west4-a"],
    "nvidia-l4": ["europe-west4-a", "europe-west4-b", "europe-west4-c"],
    "nvidia-tesla-a100": ["europe-west4-a", "europe-west4-b"],
    "nvidia-a100-80gb": ["europe-west4-a"],
    "nvidia-h100-80gb": ["europe-west4-b", "europe-west4-c"],
    "nvidia-h100-mega-80gb": ["europe-west4-b", "europe-west4-c"],
    "nvidia-h200-141gb": ["europe-west4-a"],
    "nvidia-b200": ["europe-west4-b"],
  },
  "asia-southeast1": {
    "nvidia-tesla-t4": ["asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c"],
    "nvidia-tesla-p4": ["asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c"],
    "nvidia-l4": ["asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c"],
    "nvidia-tesla-a100": ["asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c"],
    "nvidia-a100-80gb": ["asia-southeast1-c"],
    "nvidia-h100-80gb": ["asia-southeast1-b", "asia-southeast1-c"],
    "nvidia-h100-mega-80gb": ["asia-southeast1-b", "asia-southeast1-c"],
    "nvidia-b200": ["asia-southeast1-b"],
  },
};

/** A GPU type Cloud Run can attach (`template.nodeSelector.accelerator`). */
export type CloudRunGpuType = "nvidia-l4" | "nvidia-rtx-pro-6000";

export interface CloudRunGpuInfo {
  readonly launchStage: "GA" | "PREVIEW";
  readonly minCpu: number;
  readonly minMemoryGiB: number;
  /** "You can configure one GPU per Cloud Run instance"; with sidecars it goes to one container only. */
  readonly maxPerInstance: 1;
  readonly vramGB: number;
  readonly regions: readonly string[];
  /** Regions that need an invitation from the Google account team. */
  readonly invitationOnlyRegions: readonly string[];
}

/**
 * Cloud Run GPU limits. Minimums, VRAM and the 1-per-instance rule: cloud.google.com/run/docs/configuring/services/gpu
 * (stored copies, undated, read 2026-11-23), which mark RTX PRO 6000 "Preview" for services and jobs. L4 GA since
 * June 2025 per https://brandonseppa.com/2026/04/gpu-inference-without-the-cluster-cloud-run-finally-makes-that-real.
 * L4 regions: the services page copy (via mobile.dudasite.com). The newer worker-pools page
 * (docs.cloud.google.com/run/docs/configuring/workerpools/gpu) marks us-central1 "invitation only" for L4:
 * UNCONFIRMED whether that applies to services.
 * RTX PRO 6000 regions: the worker-pools page only. UNCONFIRMED for services (the services copy was cut off).
 */
export const CLOUD_RUN_GPU: Readonly<Record<CloudRunGpuType, CloudRunGpuInfo>> = {
  "nvidia-l4": {
    launchStage: "GA",
    minCpu: 4,
    minMemoryGiB: 16,
    maxPerInstance: 1,
    vramGB: 24,
    regions: ["asia-southeast1", "europe-west1", "europe-west4", "us-central1", "us-east4"],
    invitationOnlyRegions: ["asia-south1"],
  },
  "nvidia-rtx-pro-6000": {
    launchStage: "PREVIEW",
    minCpu: 20,
    minMemoryGiB: 80,
    maxPerInstance: 1,
    vramGB: 96,
    regions: ["asia-southeast1", "europe-west4", "us-central1"],
    invitationOnlyRegions: ["asia-south2"],
  },
};

export function isGpuType(value: string): value is GpuType {
  return Object.hasOwn(GPU_TYPES, value);
}

/** The machine series, the part of the name before the first "-" ("g2-standard-4" → "g2"); undefined if malformed. */
export function machineFamily(machineType: string): string | undefined {
  return /^([a-z][a-z0-9]*)-[a-z0-9-]+$/.exec(machineType)?.[1];
}

/** vCPU, memory and built-in GPUs of a machine type in MACHINE_TYPES; undefined for any other type. */
export function machineShape(machineType: string): MachineShape | undefined {
  return Object.hasOwn(MACHINE_TYPES, machineType)
    ? (MACHINE_TYPES as Readonly<Record<string, MachineShape>>)[machineType]
    : undefined;
}

/** GPUs that come with the machine type: the fixed count, 0 for a known type without built-in GPUs, undefined if unknown. */
export function gpuCountForMachine(machineType: string): number | undefined {
  const shape = machineShape(machineType);
  return shape === undefined ? undefined : (shape.gpus?.count ?? 0);
}

/** The machine series that can carry this GPU type; [] for an unknown type. */
export function familiesForGpu(gpuType: string): GpuFamily[] {
  return isGpuType(gpuType) ? [GPU_TYPES[gpuType].family] : [];
}

/**
 * GPU counts that are valid for this GPU type on this machine type: on N1, the counts whose vCPU and memory limits
 * the machine fits; on an accelerator-optimized type, its fixed count if the GPU type matches. [] when nothing fits.
 */
export function allowedGpuCounts(gpuType: string, machineType: string): number[] {
  const shape = machineShape(machineType);
  if (!shape || !isGpuType(gpuType)) return [];
  const info = GPU_TYPES[gpuType];
  if (info.family === "n1") {
    if (shape.family !== "n1") return [];
    return info.n1Counts
      .filter((limit) => shape.vcpu <= limit.maxVcpu && shape.memoryGiB <= limit.maxMemoryGiB)
      .map((limit) => limit.count);
  }
  return shape.gpus?.type === gpuType ? [shape.gpus.count] : [];
}

/** When GPU_ZONES was observed, for messages that rest on it. */
export const GPU_ZONES_AS_OF = "zone data from before Oct 2025";

/** Zones of `region` that offer `gpuType` per GPU_ZONES; [] for an unknown region or type. */
export function zonesOffering(gpuType: string, region: string): string[] {
  const byGpu = Object.hasOwn(GPU_ZONES, region) ? GPU_ZONES[region] : undefined;
  if (!byGpu || !isGpuType(gpuType)) return [];
  return [...(byGpu[gpuType] ?? [])];
}
