/**
 * Which boot disk types a GKE node of each machine series may use. Pure data and pure helpers.
 *
 * Sources (abbreviations used below):
 *   [accel]     Compute Engine, "Accelerator-optimized machine family", the "Supported disk types for …" section of each
 *               series (https://docs.cloud.google.com/compute/docs/accelerator-optimized-machines; stored copy,
 *               "Last updated 2026-04-13 UTC", read 2026-12-01).
 *   [hyperdisk] Compute Engine, "Google Cloud Hyperdisk overview", "Machine series support for Hyperdisk": E2, N1 and
 *               N1+GPU support no Hyperdisk type; N2 two of the five (the copy lost which; its restrictions name
 *               Hyperdisk Extreme for N2 with 80+ vCPUs); "If a machine series doesn't support Hyperdisk, use
 *               Persistent Disk" (https://docs.cloud.google.com/compute/docs/disks/hyperdisks; stored copy, read
 *               2026-12-01).
 *   [gcloud]    `gcloud container node-pools create --disk-type`: "Type of the node VM boot disk. For version 1.24 and
 *               later, defaults to pd-balanced … must be one of: pd-standard, pd-ssd, pd-balanced, hyperdisk-balanced,
 *               hyperdisk-extreme, hyperdisk-throughput" (Google Cloud SDK command_lib/container/flags.py, stored copy).
 *
 * Only types a series page names and that can boot are listed. On the Hyperdisk-only series [accel] says of Hyperdisk
 * Balanced "this is the only disk type that is supported for the boot disk". Hyperdisk Extreme and Throughput are
 * accepted by [gcloud], but no stored page says that any series boots from them, and GKE's ComputeClass CRD allows
 * only "pd-balanced", "pd-standard", "pd-ssd" and "hyperdisk-balanced" as `bootDiskType` (computeclasses.cloud.google.com
 * in tommy351/kubernetes-models-ts third-party/gke/crd @ f819b64), so no series lists them here (the README's "verify
 * on the first real deployment" list has the command that would settle it).
 */

/** The boot disk types GKE accepts for a node pool [gcloud]. */
export const BOOT_DISK_TYPES = [
  "pd-balanced",
  "pd-ssd",
  "pd-standard",
  "hyperdisk-balanced",
  "hyperdisk-extreme",
  "hyperdisk-throughput",
] as const;
export type BootDiskType = (typeof BOOT_DISK_TYPES)[number];

const PERSISTENT_DISK = ["pd-balanced", "pd-ssd", "pd-standard"] as const;

/**
 * Boot disk types by machine series, the first being runway's default. The key is the machine type's name up to its
 * second "-" for the A3 variants (whose disk support differs) and the series otherwise; see bootDiskTypesFor.
 * pd-balanced comes first wherever it is allowed: it is GKE's own default [gcloud], so pools that never set a type keep it.
 */
export const BOOT_DISKS_BY_SERIES: Readonly<Record<string, readonly BootDiskType[]>> = {
  // No Hyperdisk on E2 and N1 [hyperdisk], so Persistent Disk; N2's two Hyperdisk types are not counted as boot types
  // (the stored copy does not say which two), so it gets Persistent Disk too.
  e2: PERSISTENT_DISK,
  n2: PERSISTENT_DISK,
  n1: PERSISTENT_DISK,
  // [accel] G2: "Standard Persistent Disk (pd-standard) isn't supported"; pd-balanced, pd-ssd, Hyperdisk ML and
  // Throughput are (the last two are not boot disks).
  g2: ["pd-balanced", "pd-ssd"],
  // [accel] A2: Hyperdisk ML (not a boot disk), pd-balanced, pd-ssd, pd-standard.
  a2: PERSISTENT_DISK,
  // [accel] A3 Mega, High and Edge: pd-balanced, pd-ssd and Hyperdisk Balanced among others.
  "a3-megagpu": ["pd-balanced", "pd-ssd", "hyperdisk-balanced"],
  "a3-highgpu": ["pd-balanced", "pd-ssd", "hyperdisk-balanced"],
  "a3-edgegpu": ["pd-balanced", "pd-ssd", "hyperdisk-balanced"],
  // [accel] A3 Ultra, A4 and G4: "You can't use Persistent Disk (regional or zonal)"; Hyperdisk Balanced is "the only
  // disk type that is supported for the boot disk". The API's refusal reads "pd-balanced disk type cannot be used by
  // a4x-highgpu-4g machine type" for A4X (NVIDIA/aicr#2338, 3rd-party).
  "a3-ultragpu": ["hyperdisk-balanced"],
  a4: ["hyperdisk-balanced"],
  g4: ["hyperdisk-balanced"],
};

/** The boot disk types of a machine type's series (BOOT_DISKS_BY_SERIES), most specific key first; undefined if unknown. */
export function bootDiskTypesFor(machineType: string): readonly BootDiskType[] | undefined {
  const [series, variant] = machineType.split("-");
  const specific = `${series}-${variant}`;
  if (Object.hasOwn(BOOT_DISKS_BY_SERIES, specific)) return BOOT_DISKS_BY_SERIES[specific];
  return series !== undefined && Object.hasOwn(BOOT_DISKS_BY_SERIES, series) ? BOOT_DISKS_BY_SERIES[series] : undefined;
}

/** runway's boot disk type for a machine type: the first its series allows, or GKE's own default for an unknown series. */
export function defaultBootDiskType(machineType: string): BootDiskType {
  return bootDiskTypesFor(machineType)?.[0] ?? "pd-balanced";
}

/**
 * The disk type of a `disk` volume's StorageClass (the `type` parameter of GKE's Compute Engine Persistent Disk CSI
 * driver, pd.csi.storage.gke.io): pd-balanced or pd-ssd as the volume's class asks, or hyperdisk-balanced on a series
 * that takes no Persistent Disk at all (the series whose boot types are Hyperdisk only, BOOT_DISKS_BY_SERIES: [accel]
 * says of A3 Ultra, A4 and G4 "You can't use Persistent Disk (regional or zonal)", boot or data). GKE's Hyperdisk
 * StorageClasses take `type: hyperdisk-balanced` ("Scale your storage performance with Hyperdisk",
 * https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/hyperdisk, read 2026-12-01). Hyperdisk
 * Balanced has no "ssd" tier: it is the one type such a node attaches, so `ssd` gets it too.
 */
export const DATA_DISK_TYPES = ["pd-balanced", "pd-ssd", "hyperdisk-balanced"] as const;
export type DataDiskType = (typeof DATA_DISK_TYPES)[number];

export function dataDiskType(diskClass: "balanced" | "ssd", machineType: string | undefined): DataDiskType {
  const boots = machineType ? bootDiskTypesFor(machineType) : undefined;
  if (boots && !boots.some((type) => type.startsWith("pd-"))) return "hyperdisk-balanced";
  return diskClass === "ssd" ? "pd-ssd" : "pd-balanced";
}

const GIB = 1;
const TIB = 1024 * GIB;

/**
 * Size limits of one disk, in GiB. Persistent Disk (pd-balanced, pd-ssd): 10 GiB to 64 TiB per zonal disk; Hyperdisk
 * Balanced: 4 GiB to 64 TiB (Compute Engine "Persistent Disk" and "Hyperdisk" overviews' capacity sections,
 * https://cloud.google.com/compute/docs/disks/persistent-disks and https://cloud.google.com/compute/docs/disks/hyperdisks;
 * the stored copies read 2026-12-01 did not render the tables, so these are the figures as Google publishes them
 * elsewhere, e.g. Cloud SQL's "minimum value is 10GB for PD_SSD", pulumi_gcp sql DatabaseInstance settings.diskSize).
 */
export const DATA_DISK_SIZE_GIB: Readonly<Record<DataDiskType, { readonly min: number; readonly max: number }>> = {
  "pd-balanced": { min: 10 * GIB, max: 64 * TIB },
  "pd-ssd": { min: 10 * GIB, max: 64 * TIB },
  "hyperdisk-balanced": { min: 4 * GIB, max: 64 * TIB },
};
