/**
 * What `service.volumes` means on every target: the volumes of a kind, the secrets they read and the memory they take.
 * Pure and target-neutral; each target's spec.ts maps the volumes, its rules.ts judges them.
 */
import type { Problem } from "../config/problem";
import { formatMiB, memoryMiB } from "../config/quantities";
import type { ServiceConfig } from "../config/schema";
import type { VolumeConfig } from "../config/state-schema";
import { parseSecretRef } from "./contract";

export type VolumeKind = VolumeConfig["kind"];

/** A volume of one kind with its name (the key in `service.volumes`). */
export type NamedVolume<K extends VolumeKind = VolumeKind> = Extract<VolumeConfig, { kind: K }> & {
  readonly name: string;
};

/** The service's volumes, sorted by name so a template does not change with key order. */
export function namedVolumes(service: ServiceConfig): NamedVolume[] {
  return Object.entries(service.volumes)
    .map(([name, volume]) => ({ ...volume, name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The service's volumes of one kind, sorted by name. */
export function volumesOf<K extends VolumeKind>(service: ServiceConfig, kind: K): NamedVolume<K>[] {
  return namedVolumes(service).filter((v): v is NamedVolume<K> => v.kind === kind);
}

/**
 * The `secret` field of the secret volumes ("ID" or "ID:VERSION"), for workload/contract.ts secretIds: the one
 * service account reads them like the service's own secrets.
 */
export function volumeSecretRefs(service: ServiceConfig): string[] {
  return volumesOf(service, "secret").map((v) => v.secret);
}

/** The file a secret volume holds, relative to its mountPath: `file`, else the secret's id. */
export function secretVolumeFile(volume: NamedVolume<"secret">): string {
  return volume.file ?? parseSecretRef(volume.secret).secretId;
}

/**
 * The memory the memory volumes may take, in MiB: their sizes summed. Writes to an in-memory volume use the memory of
 * the instance's (pod's) containers on both targets, so this is memory the app does not have.
 */
export function memoryVolumesMiB(service: ServiceConfig): number {
  return volumesOf(service, "memory").reduce((sum, v) => sum + (memoryMiB(v.size) ?? 0), 0);
}

/**
 * The memory volumes must leave the app memory of its own. "your in-memory volume consumes the memory you configured
 * for your containers … the memory used by each write to the volume counts as memory usage for the container that
 * wrote the data" (https://docs.cloud.google.com/run/docs/configuring/services/in-memory-volume-mounts); on
 * Kubernetes a memory-backed emptyDir's files "count against your container's memory limit"
 * (https://kubernetes.io/docs/concepts/storage/volumes/#emptydir). Full volumes would leave the app nothing, so
 * their sum must stay below the app container's memory.
 */
export function memoryVolumeProblems(service: ServiceConfig): Problem[] {
  const volumes = volumesOf(service, "memory");
  const total = memoryVolumesMiB(service);
  const app = memoryMiB(service.memory) ?? 0;
  if (volumes.length === 0 || total < app) return [];
  const sizes = volumes.map((v) => `${v.name} ${v.size}`).join(" + ");
  return [
    {
      path: "runway:service.volumes",
      message: `the memory volumes (${sizes} = ${formatMiB(total)}) must stay below the app's memory (${service.memory}): what they hold counts against it; raise runway:service.memory or shrink the volumes`,
    },
  ];
}
