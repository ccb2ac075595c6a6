/**
 * Golden inventories: the full registration record of a stack (URN, parent, dependencies, options, inputs and
 * outputs) checked in under test/golden/, so that a refactor which changes what `pulumi up` would do shows up
 * as a diff. `UPDATE_GOLDEN=1 npm run test:unit` rewrites them from the stack files; review the diff before
 * committing it. Each golden keeps the project name and stack config it was recorded from, so that a template
 * copy which renamed its service or project still checks the components on that recorded config.
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

/** What a golden was recorded from: the Pulumi project's name and the stack's config (as the tests read it). */
export interface RecordedFrom {
  readonly project: string;
  readonly config: Record<string, string>;
}

/** A golden file: the inventory in goldenForm, and the project and config it was recorded from. */
export interface Golden {
  readonly recordedFrom: RecordedFrom;
  readonly inventory: unknown;
}

/** The checked-in golden of `name`. */
export function readGolden(name: string): Golden {
  return JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, `${name}.json`), "utf8")) as Golden;
}

/** Writes the golden of `name` (UPDATE_GOLDEN=1). */
export function writeGolden(name: string, golden: Golden): void {
  fs.writeFileSync(path.join(GOLDEN_DIR, `${name}.json`), `${JSON.stringify(golden, null, 2)}\n`);
}

/** The keys whose values differ between two flat configs, and "project" when the projects differ. */
export function differingKeys(recorded: RecordedFrom, current: RecordedFrom): string[] {
  const keys = [...new Set([...Object.keys(recorded.config), ...Object.keys(current.config)])].sort();
  return [
    ...(recorded.project === current.project
      ? []
      : [`project (Pulumi.yaml name: ${recorded.project} → ${current.project})`]),
    ...keys.filter((key) => recorded.config[key] !== current.config[key]),
  ];
}
