import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import * as yaml from "js-yaml";
import { stacksIn } from "../../tools/plan/stack-file";
import { STACK_SCHEMA_FILE, stackFileSchemaText } from "../../tools/stack-schema";

const ROOT = path.join(__dirname, "..", "..");
const checkedIn = fs.readFileSync(STACK_SCHEMA_FILE, "utf8");
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(checkedIn) as object);

/** A stack file's document with `changes` applied to its config. */
function stackFile(config: Record<string, unknown>): unknown {
  return {
    config: { "gcp:project": "acme-dev", "gcp:region": "us-central1", "runway:service": { name: "echo" }, ...config },
  };
}

const errorsOf = (document: unknown): string[] =>
  validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);

describe("the stack file JSON Schema", () => {
  it("is what the zod schema generates (run `npm run schema` after changing it)", () => {
    assert.equal(checkedIn, stackFileSchemaText());
  });

  it("describes every runway and gcp key, for editors to show on hover", () => {
    const properties = (JSON.parse(checkedIn) as { properties: { config: { properties: object } } }).properties.config
      .properties as Record<string, { description?: string; appliesTo?: unknown; defaultText?: unknown }>;
    for (const [key, property] of Object.entries(properties)) {
      assert.ok(property.description, key);
      assert.equal(property.appliesTo, undefined, `${key}: appliesTo is the config reference's, not JSON Schema`);
      assert.equal(property.defaultText, undefined, `${key}: defaultText is the config reference's, not JSON Schema`);
    }
  });

  for (const stack of stacksIn(ROOT)) {
    it(`accepts the shipped Pulumi.${stack}.yaml`, () => {
      const document = yaml.load(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
      assert.deepEqual(errorsOf(document), []);
    });
  }

  it("accepts numbers and booleans as `pulumi config set --path` stores them, as text", () => {
    assert.deepEqual(
      errorsOf(
        stackFile({
          "runway:load": { requestsPerMonth: 1000, avgRequestSeconds: "0.5" },
          "runway:protect": "true",
          "kubernetes:enableServerSideApply": "true",
        }),
      ),
      [],
    );
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["an unknown runway key", { "runway:targt": "gke" }, /\/config\/runway:targt boolean schema is false/],
    [
      "a target runway does not have",
      { "runway:target": "kubernetes" },
      /\/config\/runway:target must be equal to one of/,
    ],
    ["a service without its name", { "runway:service": { cpu: "1" } }, /must have required property 'name'/],
    [
      "an unknown service key",
      { "runway:service": { name: "echo", memroy: "1Gi" } },
      /must NOT have additional properties/,
    ],
    [
      "memory as a number",
      { "runway:service": { name: "echo", memory: 512 } },
      /\/config\/runway:service\/memory must be string/,
    ],
    ["a GPU count as words", { "runway:service": { name: "echo", gpu: { type: "nvidia-l4", count: "two" } } }, /count/],
    ["protect as yes", { "runway:protect": "yes" }, /\/config\/runway:protect/],
  ];
  for (const [what, config, expected] of bad) {
    it(`rejects ${what}`, () => {
      const errors = errorsOf(stackFile(config));
      assert.ok(
        errors.some((e) => expected.test(e)),
        errors.join("\n"),
      );
    });
  }

  it("accepts a stack file without gcp:project, which `pulumi config set gcp:project` adds later", () => {
    assert.deepEqual(errorsOf({ config: { "gcp:region": "us-central1", "runway:service": { name: "echo" } } }), []);
  });

  it("takes the service name from runway:serviceName or runway:service.name, not both and not neither", () => {
    const config = (extra: Record<string, unknown>) => ({ config: { "gcp:region": "us-central1", ...extra } });
    assert.deepEqual(errorsOf(config({ "runway:serviceName": "echo", "runway:service": { cpu: "2" } })), []);
    assert.ok(errorsOf(config({ "runway:service": { cpu: "2" } })).length > 0);
    assert.ok(errorsOf(config({ "runway:serviceName": "echo", "runway:service": { name: "echo" } })).length > 0);
  });
});
