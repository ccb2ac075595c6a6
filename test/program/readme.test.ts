import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { z } from "zod";
import { stackConfigSchema } from "../../components/config/schema";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

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

/** Every key path the schema accepts, with its static default when it has one. */
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

/** Rows of the README's config reference table: key → default cell. */
function readmeRows(): Map<string, string> {
  const section = part(part(README, "## Config reference", 1), "\n## ", 0);
  // Both groups take part in every match, so the defaults are never used.
  return new Map(Array.from(section.matchAll(/^\| `([^`]+)` \| (.*?) \|/gm), ([, key = "", cell = ""]) => [key, cell]));
}

describe("README", () => {
  it("starts with the offline plan command and the test command", () => {
    const commands = part(part(README, "```sh\n", 1), "```", 0);
    assert.match(commands, /^npm ci && npm run plan -- --stack dev /m);
    assert.match(commands, /^npm ci && npm test /m);
  });

  it("documents exactly the keys the schema accepts", () => {
    assert.deepEqual([...readmeRows().keys()].sort(), [...schemaKeys().keys()].sort());
  });

  it("states the schema's static defaults", () => {
    const rows = readmeRows();
    for (const [key, value] of schemaKeys()) {
      if (value === undefined || typeof value === "object") continue; // derived or structured defaults are described in words
      assert.equal(rows.get(key), `\`${JSON.stringify(value)}\``, key);
    }
  });
});
