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
  // The description stays on the key itself, where editors look for it, not in one of the alternatives.
  const { description, ...typed } = walked;
  const either = (text: JsonSchema): JsonSchema => ({
    ...(description === undefined ? {} : { description }),
    anyOf: [typed, text],
  });
  const type = walked.type;
  if (type === "number" || type === "integer") return either({ type: "string", pattern: NUMBER_TEXT });
  if (type === "boolean") return either({ type: "string", enum: ["true", "false"] });
  return walked;
}

function namespaced(namespace: string, schema: z.ZodType, withText: boolean): [JsonSchema, string[]] {
  const generated = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    // Each key's description stays (editors show it on hover); the config reference's own fields are not JSON Schema.
    override: ({ jsonSchema }) => {
      delete (jsonSchema as JsonSchema).appliesTo;
      delete (jsonSchema as JsonSchema).defaultText;
    },
  }) as JsonSchema;
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
  // The service is named by runway:serviceName (what `pulumi new` asks for) or by runway:service.name, exactly one of
  // them (validate.ts); and gcp:project is often set after the file exists (`pulumi config set gcp:project`).
  const service = runwayProperties["runway:service"] as JsonSchema;
  const namedInService = { required: ["runway:service"], properties: { "runway:service": { required: ["name"] } } };
  runwayProperties["runway:service"] = {
    ...service,
    required: ((service.required ?? []) as string[]).filter((key) => key !== "name"),
  };
  const optional = new Set(["gcp:project", "runway:service"]);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Pulumi stack file of a runway project (Pulumi.<stack>.yaml)",
    description: "Generated from components/config/schema.ts by `npm run schema`; do not edit.",
    type: "object",
    properties: {
      config: {
        type: "object",
        properties: { ...gcpProperties, ...runwayProperties },
        required: [...gcpRequired, ...runwayRequired].filter((key) => !optional.has(key)),
        anyOf: [{ required: ["runway:serviceName"] }, namedInService],
        not: { ...namedInService, required: ["runway:serviceName", "runway:service"] },
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
