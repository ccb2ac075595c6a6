/**
 * The service description as flat, serializable arguments: what a Python or Go program can pass through the package's
 * generated SDK (strings, numbers, booleans and string maps; no unions, functions or class instances). Each field is
 * one key of runway:service (components/config/schema.ts serviceFields), except the GPU, which is split into
 * gpuType and gpuCount, and the release, split into releaseStable, releaseCandidatePercent, releaseCandidateTag and
 * releaseStableTag; test/provider/flat-args.test.ts holds the two together.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Problem, ServiceInput } from "../components";

/** The service, as runway:service describes it; every field but name has runway's default. */
export interface ServiceFields {
  /** Service name: lowercase letters, digits and hyphens, starting with a letter, at most 49 characters. Required. */
  name: string;
  /** Port the container listens on. Default 8080. */
  port?: number;
  /** vCPUs per instance, e.g. "1", "0.5" or "4". Default "1". */
  cpu?: string;
  /** Memory per instance, e.g. "512Mi" or "4Gi". Default "512Mi". */
  memory?: string;
  /** Accelerator type per instance, e.g. "nvidia-l4" (runway:service.gpu.type). Default none. */
  gpuType?: string;
  /** GPUs per instance (runway:service.gpu.count). Default 1 when gpuType is set. */
  gpuCount?: number;
  /** Instances kept running when idle. Default 0 (scale to zero). */
  minInstances?: number;
  /** Upper bound on instances. Default 5. */
  maxInstances?: number;
  /** Requests one instance serves at once. Default 80, or 1 below 1 vCPU. */
  concurrency?: number;
  /** Longest a request may take, in seconds. Default 300. */
  timeoutSeconds?: number;
  /** true lets anyone invoke the service. Default false. */
  public?: boolean;
  /** HTTP path of the startup, liveness and readiness probes. Default "/healthz". */
  healthPath?: string;
  /** HTTP path of the readiness probe (GKE only). Default: healthPath. */
  readyPath?: string;
  /** Seconds the app may take to finish its requests after SIGTERM. Default 8. */
  drainSeconds?: number;
  /** Plain environment variables. Default none. Never put secrets here: use secrets. */
  env?: Record<string, string>;
  /** Environment variable → Secret Manager secret id, with an optional ":version". Default none. */
  secrets?: Record<string, string>;
  /** Labels on every resource runway creates for the service. Default none. */
  labels?: Record<string, string>;
  /**
   * The image that keeps the traffic the candidate (the image this deploy runs) does not get: "sha256:…" (an earlier
   * image of the service's repository) or "NAME@sha256:…" (runway:service.release.stable). Default none.
   */
  releaseStable?: string;
  /**
   * Percent of requests for the candidate, 0 to 100; releaseStable gets the rest. 0 rolls back, 100 promotes; GKE: 0
   * or 100 only (runway:service.release.candidatePercent). Default 100.
   */
  releaseCandidatePercent?: number;
  /** A URL of the candidate's own, e.g. "canary" (runway:service.release.candidateTag). Default none. */
  releaseCandidateTag?: string;
  /** A URL of the stable image's own; needs releaseStable (runway:service.release.stableTag). Default none. */
  releaseStableTag?: string;
}

type FlatKey = keyof ServiceFields;
type SchemaKey = keyof ServiceInput;

/**
 * The runway:service key each flat field sets. Typed over every key of ServiceFields, so a flat field without a
 * schema key does not compile; the test checks that every schema key is reached.
 */
export const SERVICE_FIELD_KEYS: { readonly [K in FlatKey]-?: SchemaKey } = {
  name: "name",
  port: "port",
  cpu: "cpu",
  memory: "memory",
  gpuType: "gpu",
  gpuCount: "gpu",
  minInstances: "minInstances",
  maxInstances: "maxInstances",
  concurrency: "concurrency",
  timeoutSeconds: "timeoutSeconds",
  public: "public",
  healthPath: "healthPath",
  readyPath: "readyPath",
  drainSeconds: "drainSeconds",
  env: "env",
  secrets: "secrets",
  labels: "labels",
  releaseStable: "release",
  releaseCandidatePercent: "release",
  releaseCandidateTag: "release",
  releaseStableTag: "release",
};

const FLAT_KEYS = Object.keys(SERVICE_FIELD_KEYS) as FlatKey[];

/** The flat fields that are parts of one nested schema key, by their key inside it. */
const GPU_PARTS = { type: "gpuType", count: "gpuCount" } as const;
const RELEASE_PARTS = {
  stable: "releaseStable",
  candidatePercent: "releaseCandidatePercent",
  candidateTag: "releaseCandidateTag",
  stableTag: "releaseStableTag",
} as const;
const NESTED: readonly FlatKey[] = [...Object.values(GPU_PARTS), ...Object.values(RELEASE_PARTS)];

/** The parts of `args` that are given, by their key inside the nested object; undefined when none is. */
function nested(args: ServiceFields, parts: Readonly<Record<string, FlatKey>>): Record<string, unknown> | undefined {
  const entries = Object.entries(parts).filter(([, flat]) => args[flat] !== undefined);
  return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([key, flat]) => [key, args[flat]]));
}

/**
 * The service description the components take, from the flat fields of `args` (other keys are ignored). Fields
 * left out stay out, so the schema's defaults apply; the zod schema validates the result.
 */
export function toServiceInput(args: ServiceFields): ServiceInput {
  const service: Record<string, unknown> = {};
  for (const key of FLAT_KEYS) {
    const value = args[key];
    if (value === undefined || NESTED.includes(key)) continue;
    service[SERVICE_FIELD_KEYS[key]] = value;
  }
  const gpu = nested(args, GPU_PARTS);
  if (gpu) service.gpu = gpu;
  const release = nested(args, RELEASE_PARTS);
  if (release) service.release = release;
  return service as ServiceInput;
}

/**
 * A problem's key path as the flat arguments name it: "service.gpu.type" is gpuType, "service.release.stable" is
 * releaseStable, "service.memory" is memory; `sections` names the flat fields of other sections ("gke.location" →
 * "location").
 */
export function flatPath(problemPath: string, sections: Readonly<Record<string, string>> = {}): string {
  const path = problemPath.replace(/^(runway|gcp):/, "");
  if (path in sections) return sections[path] as string;
  if (path === "service.gpu.type" || path === "service.gpu") return "gpuType";
  if (path === "service.gpu.count") return "gpuCount";
  const release = /^service\.release\.(\w+)$/.exec(path)?.[1];
  if (release !== undefined && Object.hasOwn(RELEASE_PARTS, release)) {
    return RELEASE_PARTS[release as keyof typeof RELEASE_PARTS];
  }
  if (path.startsWith("service.")) return path.slice("service.".length);
  if (path === "service") return "name";
  return path;
}

/** Refuses, before anything is registered, with every problem named by its flat argument. */
export function refuseFlat(
  component: string,
  name: string,
  problems: readonly Problem[],
  sections: Readonly<Record<string, string>> = {},
): never {
  const noun = problems.length === 1 ? "problem" : "problems";
  const strip = (text: string) => text.replace(/\b(runway|gcp):/g, "");
  throw new pulumi.RunError(
    [
      `${component} ${name}: the arguments have ${problems.length} ${noun}:`,
      ...problems.map((p) => `  ${flatPath(p.path, sections)}: ${strip(p.message)}`),
    ].join("\n"),
  );
}

/**
 * The arguments as the wrappers read them. Those that decide what is created (names, sizes, target) must be known
 * when the component runs, as in a TypeScript program: the SDKs send them as plain values, and this refuses one that
 * arrived as an Output (`inputs` lists the arguments that may be Outputs). An SDK may send an unset optional argument
 * as null; it is left out here, so the schema's default applies.
 */
export function plainArgs<T extends object>(component: string, name: string, args: T, inputs: readonly string[]): T {
  const entries = Object.entries(args).filter(([, value]) => value !== undefined && value !== null);
  const outputs = entries
    .filter(([key, value]) => !inputs.includes(key) && pulumi.Output.isInstance(value))
    .map(([key]) => ({ path: key, message: "must be a plain value, known before deployment, not an Output" }));
  if (outputs.length > 0) refuseFlat(component, name, outputs);
  return Object.fromEntries(entries) as T;
}
