/**
 * The one registry of targets. Everything that differs by target (rules, defaults, APIs, cost, plan summary)
 * is looked up here; a target missing from it is a compile error, never a silent fall-through.
 */
import type { DecisionOf, ResolvedTarget, TargetSettings } from "../config/decide";
import type { Problem } from "../config/problem";
import type { ServiceConfig } from "../config/schema";
import type { ValidatedConfig } from "../config/validate";
import type { Contribution } from "../cost/line";
import type { RegionPrices } from "../facts/prices";
import { cloudRunTarget } from "./cloudrun";
import { gkeTarget } from "./gke";
import type { Inputs, TargetModule, WorkloadInput } from "./target";

export type { Inputs, KeySettings, TargetModule, WorkloadInput } from "./target";
export { keySettingsOf } from "./target";

export const TARGETS: { readonly [K in ResolvedTarget]: TargetModule<K> } = {
  cloudrun: cloudRunTarget,
  gke: gkeTarget,
};

export function targetProblems(target: ResolvedTarget, input: WorkloadInput): Problem[] {
  return TARGETS[target].problems(input);
}

export function resolveSettings<K extends ResolvedTarget>(target: K, input: WorkloadInput): TargetSettings[K] {
  return TARGETS[target].resolve(input);
}

/** What the description means differently on the decision's target; the plan prints it. */
export function targetDifferences(target: ResolvedTarget, service: ServiceConfig): string[] {
  return TARGETS[target].differences(service);
}

export function targetApis<K extends ResolvedTarget>(
  decision: DecisionOf<K>,
  service: ServiceConfig,
): readonly string[] {
  const module: TargetModule<K> = TARGETS[decision.target];
  return module.apis(service, decision.settings);
}

export function targetCost<K extends ResolvedTarget>(
  config: ValidatedConfig,
  decision: DecisionOf<K>,
  prices: RegionPrices,
): Contribution {
  const module: TargetModule<K> = TARGETS[decision.target];
  return module.cost(config, decision.settings, prices);
}

/** The key settings of a resource type that some target creates; undefined for types no target owns. */
export function targetKeySettings(type: string, inputs: Inputs): string[] | undefined {
  for (const module of Object.values(TARGETS) as TargetModule<ResolvedTarget>[]) {
    const keySettings = Object.hasOwn(module.keySettings, type) ? module.keySettings[type] : undefined;
    if (keySettings) return keySettings(inputs);
  }
  return undefined;
}
