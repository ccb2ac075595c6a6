/**
 * The exports of the shipped stacks, pinned as YAML under test/golden/export-<stack>-<flavour>.yaml, and each checked
 * against the Knative Serving v1 Service model (@kubernetes-models/knative 2.4.4, pinned devDependency; 2.4.x is its
 * last CommonJS line, 4.0.0 is ESM only and needs Node 22). `UPDATE_GOLDEN=1 node --import tsx --test
 * test/export/golden.test.ts` rewrites them; review the diff.
 */
import { Service } from "@kubernetes-models/knative/serving.knative.dev/v1/Service";
import { load as parseYaml } from "js-yaml";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { exportStack, exportYaml } from "../../tools/plan/cli";
import { GOLDEN_DIR } from "../helpers/golden";

const CASES = [
  ["dev", "knative"],
  ["dev", "cloudrun"],
  ["prod", "knative"],
  ["prod", "cloudrun"],
] as const;

function rendered(stack: string, flavour: "knative" | "cloudrun"): string {
  const result = exportStack(stack, flavour);
  assert.ok(result.ok, JSON.stringify(result));
  return exportYaml(result.export, result.placeholder);
}

describe("export goldens", () => {
  for (const [stack, flavour] of CASES) {
    const file = path.join(GOLDEN_DIR, `export-${stack}-${flavour}.yaml`);
    it(`${stack} as ${flavour} matches ${path.basename(file)}`, () => {
      const text = rendered(stack, flavour);
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, text);
      assert.equal(text, fs.readFileSync(file, "utf8"));
    });
    it(`${path.basename(file)} is a valid Knative Serving v1 Service`, () => {
      const manifest = parseYaml(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      assert.equal(manifest.apiVersion, "serving.knative.dev/v1");
      assert.equal(manifest.kind, "Service");
      assert.doesNotThrow(() => new Service(manifest).validate());
    });
  }

  it("the model refuses a Service that breaks its schema, so the check above can fail", () => {
    const broken = {
      apiVersion: "serving.knative.dev/v1",
      kind: "Service",
      metadata: { name: "echo" },
      spec: { template: { spec: { containerConcurrency: "eighty", containers: [{ image: "x" }] } } },
    };
    assert.throws(() => new Service(broken as unknown as ConstructorParameters<typeof Service>[0]).validate());
  });
});
