/**
 * `runway:target: auto`: use the least powerful platform that does the job. Cloud Run unless the service
 * needs something only GKE has. The reasons GKE is needed are exactly Cloud Run's limits that GKE lifts
 * (the `needsGke` problems of targets/cloudrun/rules.ts, each with its source), plus settings only GKE has.
 */
import type { ResolvedCloudRun } from "../targets/cloudrun/settings";
import {
  cloudRunGpu,
  MAX_CPU,
  MAX_MEMORY_MIB,
  MAX_TIMEOUT_SECONDS,
  cloudRunProblems,
  type CloudRunInput,
} from "../targets/cloudrun/rules";
import type { ResolvedGke } from "../targets/gke/sizing";
import { resolveSettings, type WorkloadInput } from "../targets";
import { partialSplit } from "../workload/release";
import { formatMiB } from "./quantities";
import type { GkeConfig, Target } from "./schema";

export type ResolvedTarget = Exclude<Target, "auto">;

/**
 * The resolved settings of each target. A new value of `Target` that is missing here fails to compile at
 * `Decision` below ("cannot be used to index type 'TargetSettings'"), and then at the registry
 * (targets/index.ts), which is where its rules, defaults, cost and components go.
 */
export interface TargetSettings {
  readonly cloudrun: ResolvedCloudRun;
  readonly gke: ResolvedGke;
}

/** Where a service runs and why, with the settings of that target resolved once for everyone downstream. */
export type DecisionOf<K extends ResolvedTarget> = {
  readonly [T in K]: {
    readonly target: T;
    /** Why, for people: for GKE what Cloud Run cannot do; for Cloud Run why GKE was not needed. */
    readonly reasons: readonly string[];
    readonly settings: TargetSettings[T];
  };
}[K];

export type Decision = DecisionOf<ResolvedTarget>;

/** The target and its reasons, before its settings are resolved. */
export interface TargetDecision {
  readonly target: ResolvedTarget;
  readonly reasons: readonly string[];
}

export interface TargetInput extends CloudRunInput {
  readonly target: Target;
  /** The runway:gke section as the stack wrote it, undefined when absent. */
  readonly gke: GkeConfig | undefined;
}

/** Cloud Run limits this service exceeds that GKE does not have. */
export function cloudRunCeilings(input: CloudRunInput): string[] {
  return cloudRunProblems(input)
    .filter((problem) => problem.needsGke)
    .map((problem) => `${problem.path}: ${problem.message}`);
}

/** Settings that exist only on GKE: a runway:gke section means the stack wants a cluster. */
export function gkeOnlySettings(gke: GkeConfig | undefined): string[] {
  return gke ? ["runway:gke is set: cluster settings exist only on GKE"] : [];
}

/** Why Cloud Run is enough: each limit checked, in words, and what only Cloud Run does that the service asks for. */
export function cloudRunSufficesBecause({ service, region }: CloudRunInput): string[] {
  const gpu = service.gpu;
  const split = partialSplit(service);
  return [
    ...(split === undefined
      ? []
      : [`runway:service.release.candidatePercent is ${split}: a split by percentage, which only Cloud Run routes`]),
    gpu
      ? `${gpu.count} ${gpu.type} GPU: Cloud Run offers ${cloudRunGpu(gpu.type) ? "it" : "no such GPU"} in ${region}`
      : "no GPU requested",
    `cpu ${service.cpu} and memory ${service.memory} are within Cloud Run's ${MAX_CPU} vCPU / ${formatMiB(MAX_MEMORY_MIB)}`,
    `timeout ${service.timeoutSeconds} s is within Cloud Run's ${MAX_TIMEOUT_SECONDS} s`,
    "no GKE-only settings (runway:gke)",
  ];
}

export function chooseTarget(input: TargetInput): TargetDecision {
  if (input.target !== "auto") {
    return { target: input.target, reasons: [`runway:target is ${input.target}: an explicit target always wins`] };
  }
  const needsGke = [...cloudRunCeilings(input), ...gkeOnlySettings(input.gke)];
  return needsGke.length > 0
    ? { target: "gke", reasons: needsGke }
    : { target: "cloudrun", reasons: cloudRunSufficesBecause(input) };
}

/** The decision with the chosen target's settings resolved: the one place defaults are filled in. */
export function decide(chosen: TargetDecision, input: WorkloadInput): Decision {
  return decisionFor(chosen.target, chosen.reasons, input);
}

function decisionFor<K extends ResolvedTarget>(
  target: K,
  reasons: readonly string[],
  input: WorkloadInput,
): DecisionOf<K> {
  return { target, reasons, settings: resolveSettings(target, input) };
}
