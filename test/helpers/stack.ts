/**
 * The shipped stacks as the program tests see them: the config of `Pulumi.<stack>.yaml` (with the placeholder
 * project `npm run plan` uses when the file sets no gcp:project) and the names the program derives from it. Tests
 * build their expectations from these, so a template copy that renames the project (Pulumi.yaml) or the service
 * (runway:serviceName) keeps its CI green; test/template/ checks that it does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { loadProgram, runUnderMocks, type Inventory } from "../../tools/mock-runtime";
import { PLACEHOLDER_PROJECT } from "../../tools/plan/cli";
import { readStackConfig } from "../../tools/plan/stack-file";
import { validConfig } from "./config";

export const ROOT = path.join(__dirname, "..", "..");
export const PROGRAM = path.join(ROOT, "index.ts");
export { PLACEHOLDER_PROJECT };

/** The Pulumi project's name (Pulumi.yaml `name`): the project part of every URN. */
export function projectName(root = ROOT): string {
  const project = yaml.load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name?: unknown };
  if (typeof project.name !== "string") throw new Error("Pulumi.yaml has no name");
  return project.name;
}

/** `Pulumi.<stack>.yaml`'s config, with gcp:project set to PLACEHOLDER_PROJECT when the file has none. */
export function stackConfig(stack: string, root = ROOT): Record<string, string> {
  const config = readStackConfig(root, stack);
  return { "gcp:project": PLACEHOLDER_PROJECT, ...config };
}

/** What the program names after a stack's config. */
export interface StackNames {
  /** Pulumi.yaml's name. */
  readonly project: string;
  readonly stack: string;
  /** runway:serviceName or runway:service.name: the logical name (URNs) of everything. */
  readonly service: string;
  /** runway:physicalName or `<service>-<stack>`: the base of the names in the cloud project. */
  readonly physical: string;
  readonly gcpProject: string;
  readonly region: string;
}

/** The names of `config` (by default the stack file's) as the program derives them. */
export function stackNames(stack: string, config = stackConfig(stack)): StackNames {
  const valid = validConfig(config, { projectDir: ROOT, stack });
  return {
    project: projectName(),
    stack,
    service: valid.runway.service.name,
    physical: valid.physicalName,
    gcpProject: valid.gcp.project,
    region: valid.gcp.region,
  };
}

/** index.ts evaluated on `config` under the mock runtime, as the project Pulumi.yaml names. */
export function runStack(config: Record<string, string>, stack: string): Promise<Inventory> {
  return runUnderMocks(() => loadProgram(PROGRAM), { config, stack, project: projectName() });
}

/** Text safe inside a RegExp. */
export function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `config` with runway:service replaced by `fields` and the stack's service name kept where the stack keeps it:
 * in runway:serviceName, or else in runway:service.name.
 */
export function withService(config: Record<string, string>, fields: Record<string, unknown>): Record<string, string> {
  const current = JSON.parse(config["runway:service"] ?? "{}") as { name?: unknown };
  const name = config["runway:serviceName"] === undefined && current.name !== undefined ? { name: current.name } : {};
  return { ...config, "runway:service": JSON.stringify({ ...name, ...fields }) };
}
