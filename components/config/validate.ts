/**
 * Turns a stack's raw config (the flat "namespace:key" → string map Pulumi hands a program) into a
 * validated StackConfig, or into the complete list of problems, each naming its key path.
 */
import { closest } from "fastest-levenshtein";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import type { Problem } from "./problem";
import { targetProblems, type WorkloadInput } from "../targets";
import { buildInputProblems, serviceProblems, type BuildInputs } from "../workload/rules";
import { stableIsCandidateProblems } from "../workload/release";
import { tagUrlProblems } from "../targets/cloudrun/rules";
import { pubsubNameProblems } from "../workload/events";
import { DEFAULT_BUILD_CONTEXT, dockerfilePath, finalStageUser, type BuiltImage } from "../image/dockerfile";
import { stackPhysicalName } from "../workload/naming";
import { chooseTarget, decide, type Decision } from "./decide";
import {
  gcpSchema,
  runwaySchema,
  serviceFields,
  serviceSchema,
  stackConfigSchema,
  type ServiceConfig,
  type StackConfig,
} from "./schema";

export type { Problem } from "./problem";

/** A valid stack config and the target it resolves to. */
export type ValidatedConfig = StackConfig & {
  readonly decision: Decision;
  /** runway:physicalName, else derived from the service and the stack (stackPhysicalName). */
  readonly physicalName: string;
};

export type Validation = { ok: true; config: ValidatedConfig } | { ok: false; problems: Problem[] };

/** The namespaces runway reads; other providers' keys (kubernetes:, docker:, …) are theirs. */
const NAMESPACES = ["gcp", "runway"] as const;
type Namespace = (typeof NAMESPACES)[number];

/** The config runway reads, by namespace: { gcp: {...}, runway: {...} }. */
export type NestedConfig = Record<Namespace, Record<string, unknown>>;

function isNamespace(text: string | undefined): text is Namespace {
  return NAMESPACES.some((namespace) => namespace === text);
}

/**
 * Structured values arrive as JSON text and scalars as plain text ("false", "5"); parsing both the same
 * way gives the schema real booleans and numbers.
 */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Text that is exactly a number ("3", "0.5", "-1e3"): what JSON would read as one. */
const NUMBER_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * `pulumi config set --path` stores leaves as strings unless they are true, false or an integer, so
 * `runway:load.avgRequestSeconds 0.5` arrives as "0.5". Where the schema expects a number or a boolean and the
 * value is text that reads exactly as one, it becomes one; anything else is left for the schema to report.
 */
function coerceScalars(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return value;
  const expected = unwrap(schema);
  if (typeof value === "string") {
    if (expected instanceof z.ZodNumber && NUMBER_TEXT.test(value)) return Number(value);
    if (expected instanceof z.ZodBoolean && (value === "true" || value === "false")) return value === "true";
    return value;
  }
  if (Array.isArray(value)) {
    return expected instanceof z.ZodArray
      ? value.map((item) => coerceScalars(expected.element as z.ZodType, item))
      : value;
  }
  if (value !== null && typeof value === "object") {
    const fieldSchema = (key: string): z.ZodType | undefined =>
      expected instanceof z.ZodObject
        ? (expected.shape as Record<string, z.ZodType>)[key]
        : expected instanceof z.ZodRecord
          ? (expected.valueType as z.ZodType)
          : undefined;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerceScalars(fieldSchema(key), item)]));
  }
  return value;
}

/** Splits the flat config map into { gcp: {...}, runway: {...} }. */
export function nestConfig(raw: Readonly<Record<string, string>>): NestedConfig {
  const nested: NestedConfig = { gcp: {}, runway: {} };
  const runwayFields = runwaySchema.shape as Record<string, z.ZodType>;
  for (const [fullKey, text] of Object.entries(raw)) {
    const [namespace, key] = fullKey.split(":", 2);
    if (key === undefined || !isNamespace(namespace)) continue;
    // gcp:project and gcp:region are plain strings even when they look like JSON.
    nested[namespace][key] =
      namespace === "gcp"
        ? text
        : coerceScalars(Object.hasOwn(runwayFields, key) ? runwayFields[key] : undefined, parseValue(text));
  }
  return nested;
}

/** Providers whose namespaces this program's stacks configure; their keys are theirs, whatever they are named. */
const PROVIDER_NAMESPACES: readonly string[] = ["gcp", "kubernetes", "docker", "pulumi"];

/**
 * Runway keys set under another namespace: after `pulumi new` names the project something else,
 * `pulumi config set target gke` writes `<project>:target`, which runway would never read. Keys of other
 * namespaces that are not runway keys stay the business of whoever reads them.
 */
export function misplacedKeyProblems(raw: Readonly<Record<string, string>>): Problem[] {
  const runwayKeys = Object.keys(runwaySchema.shape);
  return Object.keys(raw).flatMap((fullKey) => {
    const [namespace, key] = fullKey.split(":", 2);
    if (namespace === undefined || key === undefined) return [];
    if (isNamespace(namespace) || PROVIDER_NAMESPACES.includes(namespace) || !runwayKeys.includes(key)) return [];
    return [
      {
        path: fullKey,
        message: `runway reads runway:${key}, not ${fullKey}; run pulumi config set runway:${key} <value> (and pulumi config rm ${fullKey})`,
      },
    ];
  });
}

/** "runway:service.gpu.count", "runway:gke.authorizedNetworks[0].cidr". */
export function keyPath(path: readonly PropertyKey[]): string {
  const [namespace, key, ...rest] = path.map(String);
  let text = key === undefined ? (namespace ?? "") : `${namespace}:${key}`;
  for (const segment of rest) text += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  return text;
}

/** The keys an object schema declares at `path`, looking through defaults, optionals and arrays. */
function validKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (let i = 0; ; i++) {
    current = unwrap(current);
    if (i === path.length) break;
    const segment = path[i];
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(segment)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return [];
    if (!current) return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

function unknownKeyProblems(issue: z.core.$ZodIssueUnrecognizedKeys): Problem[] {
  const valid = validKeysAt(stackConfigSchema, issue.path);
  return issue.keys.map((key) => {
    const suggestion = valid.length > 0 ? closest(key, valid) : undefined;
    const hint = suggestion ? `did you mean ${keyPath([...issue.path, suggestion])}? ` : "";
    return {
      path: keyPath([...issue.path, key]),
      message: `unknown key; ${hint}valid keys here: ${valid.join(", ")}`,
    };
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) => (value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined),
    input,
  );
}

function issueProblems(issue: z.core.$ZodIssue, input: unknown): Problem[] {
  if (issue.code === "unrecognized_keys") return unknownKeyProblems(issue);
  // A bad key inside a record (env, secrets, labels) is reported at the key itself.
  if (issue.code === "invalid_key") {
    return issue.issues.map((inner) => ({ path: keyPath([...issue.path]), message: inner.message }));
  }
  const missing = issue.code === "invalid_type" && valueAt(input, issue.path) === undefined;
  if (missing && !/required/.test(issue.message)) {
    return [{ path: keyPath(issue.path), message: "is required" }];
  }
  return [{ path: keyPath(issue.path), message: issue.message }];
}

function parsedOrUndefined<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/**
 * The service as far as it is valid: fields the schema rejected fall back to their defaults (the
 * schema already reported them), so limit rules can still judge the fields that are fine.
 */
function validPartOfService(value: unknown): ServiceConfig | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const result = serviceSchema.safeParse(value);
  if (result.success) return result.data;
  const rejected = new Set(result.error.issues.map((issue) => issue.path[0]));
  const rest = Object.fromEntries(
    Object.entries(value).filter(([key]) => !rejected.has(key) && key in serviceFields.shape),
  );
  // A placeholder name: no limit rule reads the name, and a bad one is already reported.
  return parsedOrUndefined(serviceSchema, { ...rest, name: "placeholder" });
}

interface RuleOutcome {
  readonly problems: Problem[];
  readonly decision?: Decision;
}

/**
 * Chooses the target, then runs that target's limit rules on every section that is valid on its own, so
 * that a single run reports the shape mistakes of one section together with the limit mistakes of another.
 * With no problem at all, the decision carries the target's resolved settings.
 */
function applyRules(nested: NestedConfig, image?: BuiltImage): RuleOutcome {
  const { shape } = runwaySchema;
  const service = validPartOfService(nested.runway.service);
  // An invalid section is reported by the schema; the rules then see it as unset.
  const cloudrun = parsedOrUndefined(shape.cloudrun, nested.runway.cloudrun);
  const target = parsedOrUndefined(shape.target, nested.runway.target);
  const region = parsedOrUndefined(gcpSchema.shape.region, nested.gcp.region);
  const gke = parsedOrUndefined(shape.gke, nested.runway.gke);
  const protect = parsedOrUndefined(shape.protect, nested.runway.protect) ?? false;
  if (!service) return { problems: [] };
  const ref = parsedOrUndefined(shape.image, nested.runway.image)?.ref;
  const problems: Problem[] = [...serviceProblems(service), ...stableIsCandidateProblems(service, ref)];
  if (!target || !region) return { problems };
  const invalidSections = [
    ...(nested.runway.cloudrun !== undefined && !cloudrun ? ["cloudrun" as const] : []),
    ...(nested.runway.gke !== undefined && !gke ? ["gke" as const] : []),
  ];
  const input: WorkloadInput = {
    service,
    cloudrun: cloudrun ?? shape.cloudrun.parse(undefined),
    gke,
    region,
    protect,
    invalidSections,
    image,
  };
  const chosen = chooseTarget({ target, service, cloudrun: input.cloudrun, region, gke });
  problems.push(...targetProblems(chosen.target, input));
  return problems.length > 0 ? { problems } : { problems, decision: decide(chosen, input) };
}

/** The schema's problems and the rules' problems of one nested config, or the parsed value and its decision. */
function check<T>(
  schema: z.ZodType<T>,
  nested: NestedConfig,
  image?: BuiltImage,
): { ok: true; data: T; decision: Decision } | { ok: false; problems: Problem[] } {
  const parsed = schema.safeParse(nested);
  const rules = applyRules(nested, image);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => issueProblems(issue, nested))),
    ...rules.problems,
  ];
  if (problems.length > 0 || !parsed.success || !rules.decision) return { ok: false, problems };
  return { ok: true, data: parsed.data, decision: rules.decision };
}

/** Where the stack path reads the files its config names. */
export interface ValidateOptions {
  /**
   * The directory runway:image.context is relative to: the Pulumi project's. Default: process.cwd(), which
   * is that directory when Pulumi runs the program (the docker provider resolves the build against it too).
   */
  readonly projectDir?: string;
  /** The stack whose config this is; physical names default to `<service>-<stack>`. Default: none (the service's). */
  readonly stack?: string;
}

/**
 * The image runway builds, as its Dockerfile says: the one file validation reads, so that the rules stay pure.
 * Undefined for a prebuilt ref, an invalid runway:image (the schema reports it) or a Dockerfile that cannot be
 * read (not this check's concern: the build reports it).
 */
function builtImage(nested: NestedConfig, projectDir: string): BuiltImage | undefined {
  const image = parsedOrUndefined(runwaySchema.shape.image, nested.runway.image);
  if (!image || image.ref !== undefined) return undefined;
  const dockerfile = dockerfilePath(image);
  try {
    return { dockerfile, user: finalStageUser(fs.readFileSync(path.resolve(projectDir, dockerfile), "utf8")) };
  } catch {
    return undefined;
  }
}

/** Whether `file` is a directory (isDirectory) or a file; false when it is not there or cannot be read. */
function isKind(file: string, kind: "directory" | "file"): boolean {
  try {
    const stat = fs.statSync(file);
    return kind === "directory" ? stat.isDirectory() : stat.isFile();
  } catch {
    return false;
  }
}

/**
 * The build context and Dockerfile of the image runway builds, as found in the project directory (the same
 * files builtImage reads). Undefined for a prebuilt ref or an invalid runway:image (the schema reports it).
 */
function buildInputs(nested: NestedConfig, projectDir: string): BuildInputs | undefined {
  const image = parsedOrUndefined(runwaySchema.shape.image, nested.runway.image);
  if (!image || image.ref !== undefined) return undefined;
  const context = image.context ?? DEFAULT_BUILD_CONTEXT;
  const dockerfile = dockerfilePath(image);
  const contextResolved = path.resolve(projectDir, context);
  const dockerfileResolved = path.resolve(projectDir, dockerfile);
  return {
    context,
    contextResolved,
    contextIsDirectory: isKind(contextResolved, "directory"),
    dockerfile,
    dockerfileResolved,
    dockerfileIsFile: isKind(dockerfileResolved, "file"),
  };
}

/**
 * runway:serviceName is runway:service.name as a plain key (schema.ts): it fills in the name, and a stack that sets
 * both is refused rather than one silently winning. A bad serviceName is reported once, at its own key.
 */
function withServiceName(nested: NestedConfig): { nested: NestedConfig; problems: Problem[]; folded: boolean } {
  const { serviceName, service } = nested.runway;
  if (typeof serviceName !== "string") return { nested, problems: [], folded: false };
  if (service !== undefined && (service === null || typeof service !== "object" || Array.isArray(service))) {
    return { nested, problems: [], folded: false }; // the schema reports runway:service itself
  }
  const fields = (service ?? {}) as Record<string, unknown>;
  if (fields.name !== undefined) {
    const message = `and runway:service.name (${JSON.stringify(fields.name)}) both name the service; keep one: pulumi config rm runway:serviceName, or remove name from runway:service`;
    return { nested, problems: [{ path: "runway:serviceName", message }], folded: false };
  }
  return {
    nested: { ...nested, runway: { ...nested.runway, service: { ...fields, name: serviceName } } },
    problems: [],
    folded: true,
  };
}

/** Validates the raw config of one stack. Every problem is reported; none stops the others. */
export function validateConfig(raw: Readonly<Record<string, string>>, options: ValidateOptions = {}): Validation {
  const named = withServiceName(nestConfig(raw));
  const { nested } = named;
  const misplaced = [...misplacedKeyProblems(raw), ...named.problems];
  const projectDir = options.projectDir ?? process.cwd();
  const checked = check(stackConfigSchema, nested, builtImage(nested, projectDir));
  // A folded serviceName that breaks the name rule is reported at runway:serviceName, not again at service.name.
  const result = checked.ok
    ? checked
    : { ...checked, problems: checked.problems.filter((p) => !(named.folded && p.path === "runway:service.name")) };
  const inputs = buildInputProblems(buildInputs(nested, projectDir));
  if (!result.ok) return { ok: false, problems: [...misplaced, ...result.problems, ...inputs] };
  if (misplaced.length > 0 || inputs.length > 0) return { ok: false, problems: [...misplaced, ...inputs] };
  const { runway } = result.data;
  const physicalName =
    runway.physicalName ??
    (options.stack === undefined ? runway.service.name : stackPhysicalName(runway.service.name, options.stack));
  const nameProblems = [
    ...(result.decision.target === "cloudrun" ? tagUrlProblems(runway.service, physicalName) : []),
    ...pubsubNameProblems(runway.service, physicalName),
  ];
  if (nameProblems.length > 0) return { ok: false, problems: nameProblems };
  return { ok: true, config: { ...result.data, decision: result.decision, physicalName } };
}

/** The sections of a component's arguments that the stack path reads from runway:* (and gcp:region). */
export interface WorkloadSections {
  readonly target?: unknown;
  readonly service: unknown;
  readonly cloudrun?: unknown;
  readonly gke?: unknown;
  readonly region: unknown;
  readonly protect?: unknown;
}

const workloadSchema = z.object({
  gcp: gcpSchema.pick({ region: true }),
  runway: runwaySchema.pick({ target: true, service: true, cloudrun: true, gke: true, protect: true }),
});

/**
 * The component path: the same schema, rules and decision as a stack, for arguments given in code.
 */
export function validateWorkload(
  sections: WorkloadSections,
): { ok: true; service: ServiceConfig; decision: Decision } | { ok: false; problems: Problem[] } {
  const runway = Object.fromEntries(
    Object.entries({
      target: sections.target,
      service: sections.service,
      cloudrun: sections.cloudrun,
      gke: sections.gke,
      protect: sections.protect,
    }).filter(([, value]) => value !== undefined),
  );
  const result = check(workloadSchema, { gcp: { region: sections.region }, runway });
  return result.ok ? { ok: true, service: result.data.runway.service, decision: result.decision } : result;
}

/** The service argument of a component, parsed with its defaults, or its problems (paths as in validateWorkload). */
export function parseServiceArg(
  value: unknown,
): { ok: true; service: ServiceConfig } | { ok: false; problems: Problem[] } {
  const nested = { runway: { service: value } };
  const parsed = z.object({ runway: runwaySchema.pick({ service: true }) }).safeParse(nested);
  if (parsed.success) return { ok: true, service: parsed.data.runway.service };
  return { ok: false, problems: parsed.error.issues.flatMap((issue) => issueProblems(issue, nested)) };
}

/**
 * The problems of a component's arguments, each named by its argument (`service.memory`) rather than by the
 * stack key (`runway:service.memory`), since the arguments mirror the stack's sections.
 */
export function componentProblemsMessage(component: string, name: string, problems: readonly Problem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  const argument = (text: string) => text.replace(/\b(runway|gcp):/g, "");
  return [
    `${component} ${name}: the arguments have ${problems.length} ${noun}:`,
    ...problems.map((p) => `  ${argument(p.path)}: ${argument(p.message)}`),
  ].join("\n");
}

/** The message a user sees: one line per problem, nothing else. */
export function formatProblems(problems: readonly Problem[]): string {
  const noun = problems.length === 1 ? "problem" : "problems";
  return [
    `The stack config has ${problems.length} ${noun}:`,
    ...problems.map((problem) => `  ${problem.path}: ${problem.message}`),
  ].join("\n");
}
