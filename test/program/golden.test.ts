/**
 * Golden inventories. Each golden records the project name and stack config it was taken from, and two things are
 * checked: the components still register exactly the golden's inventory for that recorded config (a refactor that
 * changes what `pulumi up` would do shows up as a diff, whatever the stack files now say), and the stack file is still
 * that config. In this repository, which carries Pulumi.yaml's `template:` section, a stack file that moved on fails
 * until its golden is re-recorded and reviewed. In a project made from it by `pulumi new` (which removes that
 * section) renaming the service or the project is the expected first edit, so that check is skipped and says so; the
 * components are still checked on the recorded config, and `UPDATE_GOLDEN=1` records the project's own stacks.
 * Substituting names into the goldens instead would be unsound: long names are cut and hashed, and a new region
 * changes zones and prices.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as yaml from "js-yaml";
import { loadProgram, runUnderMocks } from "../../tools/mock-runtime";
import { differingKeys, goldenForm, readGolden, writeGolden, type RecordedFrom } from "../helpers/golden";
import { PROGRAM, ROOT, projectName, stackConfig } from "../helpers/stack";

/** Pulumi.yaml still has its `template:` section: this is the template itself, not a project made from it. */
const IS_TEMPLATE = Object.hasOwn(
  yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as object,
  "template",
);

async function inventoryOf(recorded: RecordedFrom, stack: string): Promise<unknown> {
  const inventory = await runUnderMocks(() => loadProgram(PROGRAM), { ...recorded, stack });
  return JSON.parse(JSON.stringify(goldenForm(inventory))) as unknown;
}

describe("golden inventories of the shipped stacks", () => {
  for (const stack of ["dev", "prod"]) {
    const current: RecordedFrom = { project: projectName(), config: stackConfig(stack) };
    if (process.env.UPDATE_GOLDEN) {
      it(`${stack}: records test/golden/${stack}.json from Pulumi.${stack}.yaml`, async () => {
        writeGolden(stack, { recordedFrom: current, inventory: await inventoryOf(current, stack) });
      });
    }

    it(`${stack}: the program registers for the golden's recorded config exactly what test/golden/${stack}.json says`, async () => {
      const golden = readGolden(stack);
      assert.deepEqual(await inventoryOf(golden.recordedFrom, stack), golden.inventory);
    });

    it(`${stack}: Pulumi.${stack}.yaml is the config test/golden/${stack}.json was recorded from`, (t) => {
      const differs = differingKeys(readGolden(stack).recordedFrom, current);
      if (differs.length === 0) return;
      const message =
        `Pulumi.${stack}.yaml differs from the config test/golden/${stack}.json was recorded from (${differs.join(", ")}); ` +
        "the components are still checked on the recorded config. `UPDATE_GOLDEN=1 npm run test:unit` records this " +
        "stack's own inventory: review the diff and commit it.";
      if (!IS_TEMPLATE) return t.skip(message);
      assert.fail(message);
    });
  }
});
