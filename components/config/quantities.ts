/**
 * Kubernetes-style quantities as Cloud Run and GKE take them ("512Mi", "4Gi", "0.5").
 * Both APIs parse memory and CPU as Kubernetes resource quantities:
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const MEMORY_SUFFIX_BYTES: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

const MEMORY_PATTERN = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** Memory in MiB, or undefined when the text is not a memory quantity. */
export function memoryMiB(quantity: string): number | undefined {
  const match = MEMORY_PATTERN.exec(quantity);
  if (!match) return undefined;
  // The pattern admits only the suffixes in the table.
  const unit = MEMORY_SUFFIX_BYTES[match[2] ?? ""];
  if (unit === undefined) return undefined;
  return (Number(match[1]) * unit) / 2 ** 20;
}

/** Formats MiB the way the docs quote limits: whole GiB as "4Gi", the rest as "512Mi". */
export function formatMiB(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

const CPU_PATTERN = /^\d+(?:\.\d+)?$/;

/** vCPUs as a number, or undefined when the text is not a plain decimal ("1", "0.5"). */
export function cpuCount(quantity: string): number | undefined {
  return CPU_PATTERN.test(quantity) ? Number(quantity) : undefined;
}
