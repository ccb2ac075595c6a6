/** Small queries over a mock-runtime inventory, so tests read as statements about the plan. */
import assert from "node:assert/strict";
import type { Inventory, Registration } from "../../tools/mock-runtime";

/** "type name" of every resource but the root stack, in registration-independent (sorted) order. */
export function listing(inventory: Inventory): string[] {
  return inventory.resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => `${r.type} ${r.name}`)
    .sort();
}

export function find(inventory: Inventory, type: string, name: string): Registration {
  const found = inventory.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0];
}

/** The "type name" of the resource a URN names. */
export function describeUrn(inventory: Inventory, urn: string | undefined): string | undefined {
  const resource = inventory.resources.find((r) => r.urn === urn);
  return resource && `${resource.type} ${resource.name}`;
}

export function parentOf(inventory: Inventory, resource: Registration): string | undefined {
  return describeUrn(inventory, resource.parent);
}

/**
 * Asserts a component's tree: each of `resources` is a child of `component` ("type name"), except the project APIs,
 * which are children of the component's ProjectApis, itself a child of `component`.
 */
export function assertChildrenOf(inventory: Inventory, component: string, resources: readonly Registration[]): void {
  const apis = find(inventory, "runway:index:ProjectApis", component.split(" ")[1]);
  for (const r of resources) {
    const parent = r.type === "gcp:projects/service:Service" ? `${apis.type} ${apis.name}` : component;
    assert.equal(parentOf(inventory, r), parent, r.name);
  }
  assert.equal(parentOf(inventory, apis), component);
}

export function dependenciesOf(inventory: Inventory, resource: Registration): string[] {
  return resource.dependencies.map((urn) => describeUrn(inventory, urn) ?? urn).sort();
}

/** Secret values arrive as { 4dabf18193072939515e22adb298388d: "1b47061264138c4ac30d75fd1eb44270", value }. */
export function isSecretValue(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270"
  );
}
