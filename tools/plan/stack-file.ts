import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** What a stack file's config is: a mapping of "namespace:key" to a value. */
const CONFIG_SHAPE = "a mapping of namespace:key to value, e.g. `runway:target: cloudrun`";

function shapeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `the ${typeof value} ${JSON.stringify(value)}`;
}

/** The stacks with a `Pulumi.<stack>.yaml` next to the project's Pulumi.yaml. */
export function stacksIn(projectDir: string): string[] {
  const files = fs.existsSync(projectDir) ? fs.readdirSync(projectDir) : [];
  return files.flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []).sort();
}

function missingStackMessage(file: string, projectDir: string): string {
  const stacks = stacksIn(projectDir);
  const known = stacks.length > 0 ? `the stacks here are ${stacks.join(", ")}` : "there are no stacks here";
  return `${file}: no such stack file; ${known} (pulumi stack init NAME creates one)`;
}

/**
 * Reads `Pulumi.<stack>.yaml` into the flat "namespace:key" → text map that Pulumi hands a program:
 * structured values as JSON, scalars as their text. A missing, malformed or misshapen file throws an Error
 * with a one-line message naming the file.
 */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(missingStackMessage(file, projectDir));
    throw error;
  }
  return parseStackFile(text, file);
}

/** A stack file's text as the flat config map; `file` names it in the one-line errors. */
export function parseStackFile(text: string, file: string): Record<string, string> {
  let document: unknown;
  try {
    document = yaml.load(text, { filename: file });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    const where = error.mark ? ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}` : "";
    throw new Error(`${file}: not valid YAML${where}: ${error.reason}`);
  }
  if (document === undefined || document === null) return {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new Error(`${file}: expected a mapping with a config: key holding ${CONFIG_SHAPE}; got ${shapeOf(document)}`);
  }
  const config = (document as Record<string, unknown>).config;
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new Error(`${file}: config: must be ${CONFIG_SHAPE}; got ${shapeOf(config)}`);
  }
  return flattenConfig(config as Record<string, unknown>);
}

export function flattenConfig(config: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
}
