/**
 * Runs the policy pack's own validateResource/validateStack functions (policy/policies.ts) on an inventory the
 * mock runtime recorded, as the engine would hand them a resource: its type, its inputs as props, its URN, and the
 * policy's config from getConfig (only what the pack config gives: policies.ts fills in the defaults). The mock
 * runtime runs no policies itself, so this is how the shipped stacks are checked against the guardrails.
 */
import { POLICIES, type ResourceValidationArgs, type StackValidationArgs } from "../../policy/policies";
import type { Inventory, Registration } from "../../tools/mock-runtime";
import { applyOverride } from "../../tools/plan/overrides";
import { inputsOf, type InputsByType } from "../helpers/inventory";
import { runStack, stackConfig } from "../helpers/stack";

/** Pack config as `--policy-pack-config` gives it: policy name → that policy's config. */
export type PackConfig = Readonly<Record<string, object>>;

/**
 * The inventory of index.ts on Pulumi.<stack>.yaml (test/helpers/stack.ts: the placeholder project when it sets
 * none) with `--set`-style overrides (tools/plan/overrides.ts).
 */
export async function stackInventory(stack: "dev" | "prod", ...overrides: string[]): Promise<Inventory> {
  return runStack(overrides.reduce(applyOverride, stackConfig(stack)), stack);
}

/** The resources policies judge: every registration but the root stack. */
function judged(inventory: Inventory): Registration[] {
  return inventory.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
}

/** Every violation the pack reports, as "policy resource-name: message", sorted. */
export function violations(resources: readonly Registration[] | Inventory, config: PackConfig = {}): string[] {
  const registrations = "resources" in resources ? judged(resources) : resources;
  const found: string[] = [];
  const notApplicable = (reason?: string): never => {
    throw new Error(`notApplicable(${reason ?? ""}) is not used by the pack`);
  };
  for (const policy of POLICIES) {
    const getConfig = <T extends object>() => (config[policy.name] ?? {}) as T;
    if ("validateResource" in policy && policy.validateResource) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const r of registrations) {
        const args = { type: r.type, props: r.inputs, urn: r.urn, name: r.name, getConfig, notApplicable };
        for (const validate of validations) {
          void validate(args as unknown as ResourceValidationArgs, (message) =>
            found.push(`${policy.name} ${r.name}: ${message}`),
          );
        }
      }
    }
    if ("validateStack" in policy) {
      const byUrn = new Map(registrations.map((r) => [r.urn, r.name]));
      const args = {
        resources: registrations.map((r) => ({ type: r.type, props: r.inputs, urn: r.urn, name: r.name })),
        getConfig,
        notApplicable,
      };
      void policy.validateStack(args as unknown as StackValidationArgs, (message, urn) =>
        found.push(`${policy.name} ${urn === undefined ? "(stack)" : (byUrn.get(urn) ?? urn)}: ${message}`),
      );
    }
  }
  return found.sort();
}

/** A copy of `registration`, of `type`, with its inputs changed by `edit` (which mutates a deep copy). */
export function withInputs<T extends keyof InputsByType>(
  registration: Registration,
  type: T,
  edit: (inputs: InputsByType[T]) => void,
): Registration {
  const inputs = structuredClone(inputsOf(registration, type));
  edit(inputs);
  return { ...registration, inputs: inputs as Record<string, unknown> };
}

/** The one registration of `type` named `name`. */
export function registration(inventory: Inventory, type: string, name: string): Registration {
  const found = inventory.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`${found.length} registrations of ${type} ${name}`);
  return found[0]!;
}

/** The inventory's resources with `replacement` in place of the registration of the same URN. */
export function replaced(inventory: Inventory, ...replacements: Registration[]): Registration[] {
  const byUrn = new Map(replacements.map((r) => [r.urn, r]));
  return judged(inventory).map((r) => byUrn.get(r.urn) ?? r);
}

/** The pack's policies as the README lists them, in order, written out by hand. */
export const POLICY_NAMES = [
  "runway-no-public-services",
  "runway-images-by-digest",
  "runway-dedicated-service-accounts",
  "runway-no-basic-roles",
  "runway-gke-workload-identity",
  "runway-gke-shielded-nodes",
  "runway-gke-private-nodes",
  "runway-gke-deletion-protection",
  "runway-gpu-cap",
];
