import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadProgram, runUnderMocks } from "../../tools/mock-runtime";
import { readStackConfig } from "../../tools/plan/stack-file";
import { golden, goldenForm } from "../helpers/golden";

const ROOT = path.join(__dirname, "..", "..");

describe("golden inventories of the shipped stacks", () => {
  for (const stack of ["dev", "prod"]) {
    it(`${stack}: every registration, option and input is what test/golden/${stack}.json says`, async () => {
      const config = readStackConfig(ROOT, stack);
      const inventory = await runUnderMocks(() => loadProgram(path.join(ROOT, "index.ts")), { config, stack });
      const actual: unknown = JSON.parse(JSON.stringify(goldenForm(inventory)));
      assert.deepEqual(actual, golden(stack, actual));
    });
  }
});
