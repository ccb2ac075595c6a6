/**
 * The README's config reference, generated from the metadata every key of runway's zod schema carries
 * (`.meta({ description, appliesTo?, defaultText? })` in components/config/schema.ts): the same descriptions
 * schema/stack.schema.json shows on hover. `npm run docs` writes the table between the markers in README.md;
 * test/program/readme.test.ts keeps the checked-in table equal to what this generates.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { stackConfigSchema, type AppliesTo } from "../components/config/schema";

export const README_FILE = path.join(__dirname, "..", "README.md");
export const START_MARKER = "<!-- config-reference:start -->";
export const END_MARKER = "<!-- config-reference:end -->";

/** One row of the config reference. */
export interface ConfigKey {
  /** The key path as a stack file spells it: `runway:gke.gpuPool.spot`, `runway:gke.authorizedNetworks[].cidr`. */
  key: string;
  /** The default column: "required", a static default as JSON in backticks, or the key's `defaultText`. */
  default: string;
  appliesTo: AppliesTo;
  description: string;
}

const WRAPPERS = [z.ZodDefault, z.ZodOptional, z.ZodNullable, z.ZodPipe] as const;

/** The schema a key's wrappers (default, optional, nullable, transforms) hold. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (WRAPPERS.some((wrapper) => current instanceof wrapper)) {
    current = (current instanceof z.ZodPipe ? current.in : (current as z.ZodOptional).unwrap()) as z.ZodType;
  }
  return current;
}

/** The metadata of a key: the outermost registered in zod's global registry, through the key's wrappers. */
function metaOf(schema: z.ZodType): z.GlobalMeta | undefined {
  for (let current = schema; ;) {
    const meta = z.globalRegistry.get(current);
    if (meta) return meta;
    if (!WRAPPERS.some((wrapper) => current instanceof wrapper)) return undefined;
    current = (current instanceof z.ZodPipe ? current.in : (current as z.ZodOptional).unwrap()) as z.ZodType;
  }
}

/** What a key's namespace implies it applies to: runway:cloudrun.* is Cloud Run's, runway:gke.* GKE's. */
export function namespaceAppliesTo(key: string): AppliesTo | undefined {
  if (/^runway:cloudrun([.[]|$)/.test(key)) return "cloudrun";
  if (/^runway:gke([.[]|$)/.test(key)) return "gke";
  return undefined;
}

/** A static default the table can state as JSON: a scalar, null, or an empty object or list. */
function isPlainDefault(value: unknown): boolean {
  if (value === null || typeof value !== "object") return true;
  return Object.keys(value).length === 0;
}

function defaultCell(key: string, schema: z.ZodType, meta: z.GlobalMeta): string {
  const isDefault = schema instanceof z.ZodDefault;
  const value: unknown = isDefault ? schema.def.defaultValue : undefined;
  if (meta.defaultText !== undefined) {
    if (isDefault && isPlainDefault(value)) {
      throw new Error(`${key}: its default ${JSON.stringify(value)} is static; drop defaultText, the table states it`);
    }
    return meta.defaultText;
  }
  if (isDefault) {
    if (isPlainDefault(value)) return `\`${JSON.stringify(value)}\``;
    throw new Error(`${key}: a structured default needs defaultText (such as "see keys")`);
  }
  if (schema.safeParse(undefined).success) {
    throw new Error(`${key}: an optional key needs defaultText saying what happens without it ("none", a derivation)`);
  }
  return "required";
}

/**
 * Every key path the schemas accept, depth first in declaration order, with its row. Throws when a key has no
 * description, a default the table cannot state, or an `appliesTo` its namespace contradicts.
 */
export function configKeys(namespaces: Record<string, z.ZodType> = stackConfigSchema.shape): ConfigKey[] {
  const keys: ConfigKey[] = [];
  const walk = (schema: z.ZodType, prefix: string) => {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) {
      for (const [name, child] of Object.entries<z.ZodType>(inner.shape)) {
        const key = prefix.includes(":") ? `${prefix}.${name}` : `${prefix}:${name}`;
        const meta = metaOf(child);
        if (!meta?.description) throw new Error(`${key}: no description (.meta({ description }) in its schema)`);
        const implied = namespaceAppliesTo(key);
        if (implied && meta.appliesTo && meta.appliesTo !== implied) {
          throw new Error(`${key}: appliesTo "${meta.appliesTo}", but every ${implied} key applies to ${implied}`);
        }
        keys.push({
          key,
          default: defaultCell(key, child, meta),
          appliesTo: meta.appliesTo ?? implied ?? "both",
          description: meta.description,
        });
        walk(child, key);
      }
    } else if (inner instanceof z.ZodArray) {
      walk(inner.element as z.ZodType, `${prefix}[]`);
    }
  };
  for (const [namespace, schema] of Object.entries(namespaces)) walk(schema, namespace);
  return keys;
}

/** Text for one table cell: on one line, with the column separator escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

/** The config reference table, as it stands between the README's markers. */
export function configReference(keys: ConfigKey[] = configKeys()): string {
  const rows = keys.map(
    (row) => `| \`${row.key}\` | ${cell(row.default)} | ${row.appliesTo} | ${cell(row.description)} |`,
  );
  return ["| key | default | applies to | what it is |", "| --- | --- | --- | --- |", ...rows].join("\n") + "\n";
}

/** What stands between the markers of `readme`; throws when they are missing or out of order. */
export function readmeConfigReference(readme: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md needs ${START_MARKER} and then ${END_MARKER}`);
  return readme
    .slice(start + START_MARKER.length, end)
    .replace(/^\n+/, "")
    .replace(/\n+$/, "\n");
}

/** `readme` with the table between its markers replaced by `reference`. */
export function withConfigReference(readme: string, reference: string = configReference()): string {
  readmeConfigReference(readme); // checks the markers
  const start = readme.indexOf(START_MARKER) + START_MARKER.length;
  // Blank lines around the table, so that no Markdown renderer reads a marker as part of it.
  return `${readme.slice(0, start)}\n\n${reference}\n${readme.slice(readme.indexOf(END_MARKER))}`;
}

if (require.main === module) {
  const readme = fs.readFileSync(README_FILE, "utf8");
  const updated = withConfigReference(readme);
  fs.writeFileSync(README_FILE, updated);
  console.log(
    `${updated === readme ? "unchanged" : "wrote"} ${path.relative(process.cwd(), README_FILE)} (${configKeys().length} keys)`,
  );
}
