/**
 * The JSON Schema of a `Pulumi.<stack>.yaml`, generated from runway's zod schema (z.toJSONSchema) so that editors
 * check a stack file as runway would. `npm run schema` writes it to schema/stack.schema.json; a test keeps the
 * checked-in copy equal to what this generates.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { gcpSchema, runwaySchema } from "../components/config/schema";

export const STACK_SCHEMA_FILE = path.join(__dirname, "..", "schema", "stack.schema.json");

type JsonSchema = { [key: string]: unknown };

/** Text that reads exactly as a number, as runway accepts it (validate.ts NUMBER_TEXT). */
const NUMBER_TEXT = "^-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?$";

/**
 * `pulumi config set --path` stores leaves other than true, false and integers as strings ("0.5"), and runway reads
 * such text as the number or boolean it spells, so the file schema accepts that text too.
 */
function acceptScalarText(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(acceptScalarText);
  if (!node || typeof node !== "object") return node;
  const walked: JsonSchema = Object.fromEntries(
    Object.entries(node as JsonSchema).map(([key, value]) => [key, acceptScalarText(value)]),
  );
  const type = walked.type;
  if (type === "number" || type === "integer") return { anyOf: [walked, { type: "string", pattern: NUMBER_TEXT }] };
  if (type === "boolean") return { anyOf: [walked, { type: "string", enum: ["true", "false"] }] };
  return walked;
}

function namespaced(namespace: string, schema: z.ZodType, withText: boolean): [JsonSchema, string[]] {
  const generated = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const properties = (generated.properties ?? {}) as Record<string, unknown>;
  const required = (generated.required ?? []) as string[];
  return [
    Object.fromEntries(
      Object.entries(properties).map(([key, value]) => [
        `${namespace}:${key}`,
        withText ? acceptScalarText(value) : value,
      ]),
    ),
    required.map((key) => `${namespace}:${key}`),
  ];
}

/** The schema of a whole stack file: runway's and gcp's keys checked, other providers' keys left to them. */
export function stackFileSchema(): JsonSchema {
  const [gcpProperties, gcpRequired] = namespaced("gcp", gcpSchema, false);
  const [runwayProperties, runwayRequired] = namespaced("runway", runwaySchema, true);
  const runwayKeys = Object.keys(runwaySchema.shape).join("|");
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Pulumi stack file of a runway project (Pulumi.<stack>.yaml)",
    description: "Generated from components/config/schema.ts by `npm run schema`; do not edit.",
    type: "object",
    properties: {
      config: {
        type: "object",
        properties: { ...gcpProperties, ...runwayProperties },
        required: [...gcpRequired, ...runwayRequired],
        // runway refuses a runway: key it does not read; other namespaces belong to their providers.
        patternProperties: { [`^runway:(?!(${runwayKeys})$)`]: false },
      },
    },
  };
}

export function stackFileSchemaText(): string {
  return `${JSON.stringify(stackFileSchema(), null, 2)}\n`;
}

if (require.main === module) {
  fs.writeFileSync(STACK_SCHEMA_FILE, stackFileSchemaText());
  console.log(`wrote ${path.relative(process.cwd(), STACK_SCHEMA_FILE)}`);
}
