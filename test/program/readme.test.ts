import assert from "node:assert/strict";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { z } from "zod";
import { stackConfigSchema } from "../../components/config/schema";
import { README_FILE, configReference, readmeConfigReference } from "../../tools/config-reference";

const README = fs.readFileSync(README_FILE, "utf8");

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (
    current instanceof z.ZodDefault ||
    current instanceof z.ZodOptional ||
    current instanceof z.ZodNullable ||
    current instanceof z.ZodPipe
  ) {
    current = (current instanceof z.ZodPipe ? current.in : current.unwrap()) as z.ZodType;
  }
  return current;
}

/**
 * Every key path the schema accepts, with its static default when it has one: walked here independently of the
 * generator, so that a generator skipping a key or misstating a default fails too.
 */
function schemaKeys(): Map<string, unknown> {
  const keys = new Map<string, unknown>();
  const walk = (schema: z.ZodType, prefix: string) => {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) {
      for (const [key, child] of Object.entries<z.ZodType>(inner.shape)) {
        const keyPath = prefix.includes(":") ? `${prefix}.${key}` : `${prefix}:${key}`;
        keys.set(keyPath, child instanceof z.ZodDefault ? child.def.defaultValue : undefined);
        walk(child, keyPath);
      }
    } else if (inner instanceof z.ZodArray) {
      walk(inner.element as z.ZodType, `${prefix}[]`);
    }
  };
  for (const [namespace, schema] of Object.entries(stackConfigSchema.shape)) walk(schema as z.ZodType, namespace);
  return keys;
}

/** Part `index` of `text` split at `separator`; throws when there is no such part. */
function part(text: string, separator: string, index: number): string {
  const found = text.split(separator)[index];
  if (found === undefined) throw new Error(`no part ${index} of the README split at ${JSON.stringify(separator)}`);
  return found;
}

const section = part(part(README, "## Config reference", 1), "\n## ", 0);

/** Rows of the README's config reference table: key → [default, applies to]. */
function readmeRows(): Map<string, [string, string]> {
  // Every group takes part in every match, so the defaults are never used.
  return new Map(
    Array.from(section.matchAll(/^\| `([^`]+)` \| (.*?) \| (.*?) \|/gm), ([, key = "", cell = "", applies = ""]) => [
      key,
      [cell, applies],
    ]),
  );
}

describe("README", () => {
  it("starts with the offline plan command and the test command", () => {
    const commands = part(part(README, "```sh\n", 1), "```", 0);
    assert.match(commands, /^npm ci && npm run plan -- --stack dev /m);
    assert.match(commands, /^npm ci && npm test /m);
  });

  it("has the config reference table between its markers, under ## Config reference", () => {
    assert.equal(readmeConfigReference(section), readmeConfigReference(README));
  });

  it("has the config reference the schema's descriptions generate (run `npm run docs` after changing them)", () => {
    assert.equal(
      readmeConfigReference(README),
      configReference(),
      "README.md's config reference is out of date: run `npm run docs`",
    );
  });

  it("documents exactly the keys the schema accepts", () => {
    assert.deepEqual([...readmeRows().keys()].sort(), [...schemaKeys().keys()].sort());
  });

  it("states the schema's static defaults", () => {
    const rows = readmeRows();
    for (const [key, value] of schemaKeys()) {
      if (value === undefined || typeof value === "object") continue; // derived or structured defaults are described in words
      assert.equal(rows.get(key)?.[0], `\`${JSON.stringify(value)}\``, key);
    }
  });

  it("says which target each key applies to", () => {
    const rows = readmeRows();
    for (const [key, [, applies]] of rows) {
      if (key.startsWith("runway:cloudrun")) assert.equal(applies, "cloudrun", key);
      else if (key.startsWith("runway:gke")) assert.equal(applies, "gke", key);
      else if (key.startsWith("gcp:")) assert.equal(applies, "both", key);
      else assert.ok(["cloudrun", "gke", "both"].includes(applies), `${key}: ${applies}`);
    }
    // Cloud Run does not probe it (components/targets/cloudrun/index.ts).
    assert.equal(rows.get("runway:service.readyPath")?.[1], "gke");
  });
});
