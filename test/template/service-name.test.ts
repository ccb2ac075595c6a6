/**
 * runway:serviceName, the plain-key form of runway:service.name that `pulumi new` prompts for (Pulumi.yaml), and a
 * stack without gcp:project, as the shipped stack files are until `pulumi new` or `pulumi config set` gives one.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { problemsOf, validConfig } from "../helpers/config";

const base = { "gcp:project": "my-project-1", "gcp:region": "us-central1", "runway:target": "cloudrun" };

describe("runway:serviceName", () => {
  it("names the service when runway:service has no name", () => {
    const config = validConfig(
      { ...base, "runway:serviceName": "api", "runway:service": { cpu: "1" } },
      { stack: "dev" },
    );
    assert.equal(config.runway.service.name, "api");
    assert.equal(config.physicalName, "api-dev");
  });

  it("is enough on its own: runway:service may be left out", () => {
    assert.equal(validConfig({ ...base, "runway:serviceName": "api" }).runway.service.name, "api");
  });

  it("is refused next to runway:service.name, even with the same value", () => {
    for (const name of ["echo", "api"]) {
      assert.deepEqual(problemsOf({ ...base, "runway:serviceName": "api", "runway:service": { name } }), [
        `runway:serviceName: and runway:service.name (${JSON.stringify(name)}) both name the service; keep one: ` +
          "pulumi config rm runway:serviceName, or remove name from runway:service",
      ]);
    }
  });

  it("reports a bad name once, at runway:serviceName", () => {
    assert.deepEqual(problemsOf({ ...base, "runway:serviceName": "Api_1", "runway:service": { cpu: "1" } }), [
      "runway:serviceName: must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 49 characters",
    ]);
  });

  it("leaves the name required when neither key gives it", () => {
    assert.deepEqual(problemsOf({ ...base, "runway:service": { cpu: "1" } }), [
      'runway:service.name: is required: a name such as "echo"',
    ]);
  });
});

describe("a stack without gcp:project", () => {
  it("is refused with the command that sets it", () => {
    const { "gcp:project": _project, ...rest } = base;
    assert.deepEqual(problemsOf({ ...rest, "runway:serviceName": "api" }), [
      "gcp:project: is required: pulumi config set gcp:project <project-id>",
    ]);
  });
});
