/**
 * Golden inventories: the full registration record of a stack (URN, parent, dependencies, options, inputs and
 * outputs) checked in under test/golden/, so that a refactor which changes what `pulumi up` would do shows up
 * as a diff. `UPDATE_GOLDEN=1 npm run test:unit` rewrites them; review the diff before committing it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Inventory } from "../../tools/mock-runtime";

export const GOLDEN_DIR = path.join(__dirname, "..", "golden");

/** The inventory in a stable, reviewable order: resources by URN, arrays of URNs sorted. */
export function goldenForm(inventory: Inventory): unknown {
  return {
    resources: [...inventory.resources]
      .sort((a, b) => a.urn.localeCompare(b.urn))
      .map((r) => ({
        urn: r.urn,
        custom: r.custom,
        parent: r.parent ?? null,
        dependencies: [...new Set(r.dependencies)].sort(),
        protect: r.protect,
        deleteBeforeReplace: r.deleteBeforeReplace,
        ignoreChanges: r.ignoreChanges,
        provider: r.provider ?? null,
        aliases: r.aliases,
        inputs: r.inputs,
      })),
    outputs: inventory.outputs,
    secretOutputs: [...inventory.secretOutputs].sort(),
  };
}

/** The checked-in golden inventory of `name`, or writes it when UPDATE_GOLDEN is set. */
export function golden(name: string, actual: unknown): unknown {
  const file = path.join(GOLDEN_DIR, `${name}.json`);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, text);
  return JSON.parse(fs.readFileSync(file, "utf8"));
}
