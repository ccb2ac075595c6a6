/**
 * The component package's schema: a fresh inference by the SDK's own analyzer (what `pulumi package get-schema
 * ./provider` prints, and what `pulumi package add` generates the Python and Go SDKs from) against the checked-in
 * provider/schema.json, so a change to a wrapper's args shows up in review as a change to the package's interface.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { componentProvider, inferSchema, providerName, schemaText, SCHEMA_FILE } from "../../provider/get-schema";
import { runUnderMocks } from "../../tools/mock-runtime";
import { find, parentOf } from "../helpers/inventory";

const REGENERATE = "the package schema changed: run `npm run provider:schema` and review provider/schema.json";

interface Resource {
  readonly isComponent: boolean;
  readonly inputProperties: Record<string, { readonly type?: string; readonly $ref?: string }>;
  readonly properties: Record<string, unknown>;
}

describe("the component package (provider/)", () => {
  // One inference (a TypeScript program over provider/ and components/, about a minute) for every test below.
  let inferred: Record<string, unknown> = {};
  let provider: ComponentProvider;
  before(async () => {
    provider = componentProvider();
    inferred = await inferSchema(provider);
  });

  it("infers the schema that provider/schema.json holds", async () => {
    const checkedIn = fs.readFileSync(SCHEMA_FILE, "utf8");
    assert.deepEqual(JSON.parse(checkedIn), inferred, REGENERATE);
    assert.equal(
      checkedIn,
      await schemaText(inferred),
      "provider/schema.json is not formatted: npm run provider:schema",
    );
  });

  it("is named runway, and its tokens are none of the components' own", () => {
    assert.equal(providerName(), "runway");
    assert.equal(inferred.name, "runway");
    const resources = inferred.resources as Record<string, Resource>;
    assert.deepEqual(Object.keys(resources).sort(), [
      "runway:index:Cluster",
      "runway:index:KubernetesWorkload",
      "runway:index:Service",
    ]);
    // The tokens the components register themselves, from their source: a wrapper with one of them would register
    // the same type twice, once as the package's component and once as its child.
    const componentTokens = new Set<string>();
    for (const file of fs.readdirSync("components", { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      const source = fs.readFileSync(`components/${file}`, "utf8");
      for (const [token] of source.matchAll(/runway:index:[A-Za-z]+/g)) componentTokens.add(token);
    }
    assert.ok(componentTokens.has("runway:index:ContainerService"));
    assert.deepEqual(
      Object.keys(resources).filter((token) => componentTokens.has(token)),
      [],
    );
    for (const resource of Object.values(resources)) assert.equal(resource.isComponent, true);
  });

  it("takes only flat, serializable inputs and depends on no other package", () => {
    const resources = inferred.resources as Record<string, Resource>;
    const allowed = new Set(["string", "number", "boolean", "object", "array"]);
    for (const [token, resource] of Object.entries(resources)) {
      for (const [key, property] of Object.entries(resource.inputProperties)) {
        assert.ok(
          property.type !== undefined && allowed.has(property.type),
          `${token} ${key}: ${JSON.stringify(property)}`,
        );
      }
    }
    assert.deepEqual(inferred.dependencies, []);
  });

  it("takes what decides the resources as plain values, and the image and kubeconfig as inputs", () => {
    const resources = inferred.resources as Record<string, Resource>;
    const inputs = (token: string) =>
      Object.entries(resources[token]?.inputProperties ?? {})
        .filter(([, property]) => !(property as { plain?: boolean }).plain)
        .map(([key]) => key)
        .sort();
    assert.deepEqual(inputs("runway:index:Service"), ["image"]);
    assert.deepEqual(inputs("runway:index:Cluster"), []);
    assert.deepEqual(inputs("runway:index:KubernetesWorkload"), ["image", "kubeconfig", "nodeServiceAccountEmail"]);
  });

  it("constructs a component by its token from inputs as the engine sends them, and returns its outputs", async () => {
    const image = "us-central1-docker.pkg.dev/acme-platform/apps/api@sha256:" + "0".repeat(64);
    // As deserialized by the host (provider/server.js): plain values as they are, an input with dependencies as an Output.
    const inputs = {
      project: "acme-platform",
      region: "us-central1",
      image: pulumi.output(image),
      name: "api",
      target: "cloudrun",
    };
    const inventory = await runUnderMocks(
      async () => (await provider.construct("api", "runway:index:Service", inputs, {})).state,
      { config: { "gcp:project": "acme-platform", "gcp:region": "us-central1" } },
    );
    const resources = inferred.resources as Record<string, Resource>;
    assert.deepEqual(
      Object.keys(inventory.outputs).sort(),
      Object.keys(resources["runway:index:Service"]?.properties ?? {}).sort(),
    );
    assert.equal(inventory.outputs.target, "cloudrun");
    assert.equal(inventory.outputs.url, "https://api-mock.a.run.app");
    assert.equal(
      parentOf(inventory, find(inventory, "runway:index:ContainerService", "api")),
      "runway:index:Service api",
    );
  });
});
