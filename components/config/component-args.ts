/**
 * Components used from another program validate their arguments with the stack path's schema, rules and
 * messages, and refuse before they register any child.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "./problem";
import type { DecisionOf, ResolvedTarget } from "./decide";
import type { ServiceConfig } from "./schema";
import { componentProblemsMessage, parseServiceArg, validateWorkload, type WorkloadSections } from "./validate";

export function refuse(component: string, name: string, problems: readonly Problem[]): never {
  throw new pulumi.RunError(componentProblemsMessage(component, name, problems));
}

/**
 * The service and the decision for a component's arguments. A decision made earlier (by the stack's
 * validation or by an enclosing ContainerService) is used as it is; otherwise it is made here, once.
 */
export function workloadArgs<K extends ResolvedTarget>(
  component: string,
  name: string,
  target: K,
  sections: Omit<WorkloadSections, "target">,
  decision: DecisionOf<K> | undefined,
): { service: ServiceConfig; decision: DecisionOf<K> } {
  if (decision) return { service: serviceArg(component, name, sections.service), decision };
  const result = validateWorkload({ ...sections, target });
  if (!result.ok) refuse(component, name, result.problems);
  return { service: result.service, decision: result.decision as DecisionOf<K> };
}

/** The service argument parsed with its defaults, or a refusal naming every problem. */
export function serviceArg(component: string, name: string, value: unknown): ServiceConfig {
  const result = parseServiceArg(value);
  if (!result.ok) refuse(component, name, result.problems);
  return result.service;
}
