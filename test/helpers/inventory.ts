/** Small queries over a mock-runtime inventory, so tests read as statements about the plan. */
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
