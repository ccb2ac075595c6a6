/**
 * `npm run plan -- --stack NAME [--json] [--verbose] [--set key=value ...] [--unset key ...]`: what `pulumi up`
 * would create for a stack, with no credentials and no Pulumi CLI. Evaluates index.ts with the stack's config
 * under the SDK's mock runtime and prints a one-line summary (target, resource count, idle cost), the chosen
 * target and why, the resource tree with its key settings, and the estimated monthly cost with short notes;
 * --verbose adds the notes' whole text and the price sources, --json prints everything as one document. Invalid
 * config prints the problems only and exits 1; a usage mistake (unknown flag, unknown stack, bad --set or
 * --unset) prints one line and exits 2. `--export knative|cloudrun` prints the service as a Knative Serving v1
 * Service in YAML instead (components/export/), with what it cannot carry on stderr (or all of it with --json).
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatProblems, validateConfig, type Problem, type ValidatedConfig } from "../../components/config/validate";
import { targetDifferences } from "../../components/targets";
import { estimateMonthlyCost, type CostEstimate, type CostLine } from "../../components/cost/estimate";
import { noteText } from "../../components/cost/line";
import { exportService, isExportFlavour, type ExportFlavour, type ExportResult } from "../../components/export";
import { dockerHost } from "../../components/workload/naming";
import { dump as yamlDump } from "js-yaml";
import { loadProgram, runUnderMocks } from "../mock-runtime";
import { applyOverride, applyUnset } from "./overrides";
import {
  impossibleStableProblems,
  previousStackConfig,
  trafficChange,
  trafficText,
  type TrafficChange,
} from "./release";
import { dataSafetyProblems, replacements } from "./data-safety";
import { readStackConfig, stacksIn } from "./stack-file";
import { resourceCount, resourceTree, treeText, type PlannedResource } from "./summary";
import { fit, money, shortDigests, wrap } from "./text";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** The project `npm run plan` plans in when the stack file sets no gcp:project; the plan says so (Plan.placeholder). */
export const PLACEHOLDER_PROJECT = "placeholder-project";

export interface Plan {
  readonly stack: string;
  /** Set when the plan used PLACEHOLDER_PROJECT: what was assumed, and what to set before `pulumi up`. */
  readonly placeholder?: string;
  /** The line the text output starts with: target, resource count, idle and under-load $/month. */
  readonly summary: string;
  readonly target: string;
  readonly targetReasons: readonly string[];
  /** The base of the names in the project (runway:physicalName or `<service>-<stack>`). */
  readonly physicalName: string;
  /** What the service description means differently on this target. */
  readonly differences: readonly string[];
  readonly resources: readonly PlannedResource[];
  /** Stack outputs as the mock runtime computed them: shaped like real values, never real. */
  readonly mockOutputs: Record<string, unknown>;
  readonly estimatedMonthlyCost: CostEstimate;
  /** The traffic split before this change (the committed stack file) and after it. */
  readonly traffic: TrafficChange;
  /** What the change replaces rather than updates, against the previous config. */
  readonly replaces: readonly string[];
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: Problem[] };

/** A what-if change to the stack's config: `--set key=value` or `--unset key`, applied in command-line order. */
export type Override = string | { readonly set: string } | { readonly unset: string };

function applyChange(config: Record<string, string>, change: Override): Record<string, string> {
  if (typeof change === "string") return applyOverride(config, change);
  return "set" in change ? applyOverride(config, change.set) : applyUnset(config, change.unset);
}

/** A stack that has no stack file: a usage mistake, told with the stacks there are. */
function checkStack(stack: string): void {
  const stacks = stacksIn(PROJECT_DIR);
  if (stacks.includes(stack)) return;
  const known = stacks.length > 0 ? `the stacks here are ${stacks.join(", ")}` : "there are no stacks here";
  throw new Error(`no stack ${stack} (no Pulumi.${stack}.yaml); ${known} (pulumi stack init ${stack} creates one)`);
}

/** The stack's config with the overrides applied, and the placeholder note when gcp:project was not set. */
function stackConfig(stack: string, overrides: readonly Override[], file?: Record<string, string>) {
  checkStack(stack);
  const read = file ?? readStackConfig(PROJECT_DIR, stack);
  // A template's stack file has no gcp:project until `pulumi new` or `pulumi config set` gives it one.
  const unset = read["gcp:project"] === undefined;
  const config = overrides.reduce(applyChange, unset ? { ...read, "gcp:project": PLACEHOLDER_PROJECT } : read);
  const placeholder =
    unset && config["gcp:project"] === PLACEHOLDER_PROJECT
      ? `gcp:project is not set, so this plan uses the placeholder project ${PLACEHOLDER_PROJECT}; set yours before pulumi up: pulumi config set gcp:project <id>`
      : undefined;
  return { config, placeholder, validation: validateConfig(config, { projectDir: PROJECT_DIR, stack }) };
}

export interface PlanOptions {
  /**
   * The previous config as the stack file with these overrides, instead of the committed stack file: a sequence of
   * plans (a release walk-through) compares each step with the one before.
   */
  readonly previous?: readonly Override[];
}

/** The previous config, validated: the committed stack file (or options.previous applied to the file on disk). */
function previousConfig(stack: string, options: PlanOptions): { from: string; config: ValidatedConfig | undefined } {
  const source = options.previous
    ? { from: "the previous step", config: readStackConfig(PROJECT_DIR, stack) }
    : previousStackConfig(PROJECT_DIR, stack);
  const { validation } = stackConfig(stack, options.previous ?? [], source.config);
  return { from: source.from, config: validation.ok ? validation.config : undefined };
}

/** Builds the plan of one stack, with overrides (a plain string is a `--set`) applied to its config in order. */
export async function planStack(
  stack: string,
  overrides: readonly Override[] = [],
  options: PlanOptions = {},
): Promise<PlanResult> {
  const { config, placeholder, validation } = stackConfig(stack, overrides);
  if (!validation.ok) return { ok: false, problems: validation.problems };
  const previous = previousConfig(stack, options);
  const refused = [
    ...impossibleStableProblems(previous.config, validation.config),
    ...dataSafetyProblems(previous.config, validation.config),
  ];
  if (refused.length > 0) return { ok: false, problems: refused };
  const inventory = await runUnderMocks(() => loadProgram(path.join(PROJECT_DIR, "index.ts")), { config, stack });
  const plan = describePlan(stack, validation.config, inventory.outputs, resourceTree(inventory), {
    traffic: trafficChange(previous.from, previous.config, validation.config),
    replaces: replacements(previous.config, validation.config),
  });
  return { ok: true, plan: placeholder ? { ...plan, placeholder } : plan };
}

/** What `pulumi up` builds and pushes: the digest is known only then, so the export shows where it goes. */
export const IMAGE_DIGEST_PLACEHOLDER = "sha256:IMAGE_DIGEST";

export type ExportStackResult =
  { ok: true; export: ExportResult; placeholder?: string } | { ok: false; problems: Problem[] };

/** The stack's service as a Knative Serving v1 Service of one flavour, from the same validated config as the plan. */
export function exportStack(
  stack: string,
  flavour: ExportFlavour,
  overrides: readonly Override[] = [],
): ExportStackResult {
  const { placeholder, validation } = stackConfig(stack, overrides);
  if (!validation.ok) return { ok: false, problems: validation.problems };
  const { gcp, runway, physicalName } = validation.config;
  const image =
    runway.image.ref ??
    `${dockerHost(gcp.region)}/${gcp.project}/${physicalName}/${physicalName}@${IMAGE_DIGEST_PLACEHOLDER}`;
  const result = exportService(flavour, { config: validation.config, image });
  const built = runway.image.ref === undefined;
  const withImage = built
    ? {
        ...result,
        prerequisites: [
          ...result.prerequisites,
          `the image: pulumi up builds and pushes it; replace ${IMAGE_DIGEST_PLACEHOLDER} with its digest (stack output image)`,
        ],
      }
    : result;
  return placeholder ? { ok: true, export: withImage, placeholder } : { ok: true, export: withImage };
}

/** The export as YAML: a comment header (placeholders, prerequisites, config-features flags), then the manifest. */
export function exportYaml(result: ExportResult, placeholder?: string): string {
  const comment = (text: string) => `# ${text}`;
  const header = [
    comment(
      result.flavour === "cloudrun"
        ? "Cloud Run Admin API v1 Service: gcloud run services replace FILE --region REGION"
        : "Knative Serving v1 Service: kubectl apply -f FILE",
    ),
    ...(placeholder ? [comment(`placeholder: ${placeholder}`)] : []),
    ...result.prerequisites.map((line) => comment(`needs: ${line}`)),
    ...(result.features.length > 0
      ? [
          comment("config-features (namespace knative-serving) must enable:"),
          ...result.features.map((flag) => comment(`  ${flag}: "enabled"`)),
        ]
      : []),
  ];
  return `${header.join("\n")}\n${yamlDump(result.manifest, { lineWidth: 120, noRefs: true })}`;
}

/** The stderr report of an export: each setting it does not carry. */
export function exportReport(result: ExportResult): string {
  return [
    `not carried by the ${result.flavour} export (${result.unsupported.length}):`,
    ...result.unsupported.map((line) => `  ${line}`),
  ].join("\n");
}

/** "prod: gke · 42 resources · idle $745.08/month (under load $745.08)". */
function summaryLine(stack: string, target: string, resources: readonly PlannedResource[], cost: CostEstimate): string {
  const count = resourceCount(resources);
  const idle =
    cost.known && cost.idle.usd !== undefined
      ? `idle ${money(cost.idle.usd)}/month`
      : `idle cost unknown${cost.known ? "" : ` (no price table for ${cost.region})`}`;
  const underLoad = !cost.known
    ? ""
    : cost.underLoad
      ? ` (under load ${money(cost.underLoad.usd)})`
      : " (set runway:load for under load)";
  return `${stack}: ${target} · ${count} resource${count === 1 ? "" : "s"} · ${idle}${underLoad}`;
}

function describePlan(
  stack: string,
  config: ValidatedConfig,
  outputs: Record<string, unknown>,
  resources: PlannedResource[],
  release: { traffic: TrafficChange; replaces: readonly string[] },
): Plan {
  const { kubeconfig: _secret, ...shown } = outputs; // a secret: never printed
  const cost = estimateMonthlyCost(config);
  return {
    stack,
    summary: summaryLine(stack, config.decision.target, resources, cost),
    target: config.decision.target,
    targetReasons: config.decision.reasons,
    physicalName: config.physicalName,
    differences: targetDifferences(config.decision.target, config.runway.service),
    resources,
    mockOutputs: shown,
    estimatedMonthlyCost: cost,
    traffic: release.traffic,
    replaces: release.replaces,
  };
}

export interface TextOptions {
  /** The notes' whole text, every price source and unconfirmed price, and settings unshortened. */
  readonly verbose?: boolean;
}

/** A cost line: the amount (a credit says "off"), what it is, and the arithmetic. */
function costLineText(line: CostLine): string[] {
  const amount = money(line.usd === undefined ? undefined : Math.abs(line.usd)).padStart(10);
  const label = line.usd !== undefined && line.usd < 0 ? " off" : "    ";
  return wrap(`${line.item} (${line.basis})`, `    ${amount}${label}  `, " ".repeat(20));
}

const sameLines = (a: CostEstimate["idle"], b: CostEstimate["idle"]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The notes: one short line each; the price sources and unconfirmed prices as one line that points to --verbose.
 * Verbose: every note's whole text, wrapped.
 */
function notesText(cost: CostEstimate, options: TextOptions): string[] {
  const note = (text: string) => wrap(text, "  note: ", "        ");
  if (options.verbose) return cost.briefNotes.flatMap((n) => note(noteText(n)));
  const plain = cost.briefNotes.filter((n) => n.source === undefined);
  const sources = new Set(cost.briefNotes.flatMap((n) => n.source ?? []));
  const unconfirmed = cost.briefNotes.filter((n) => n.source !== undefined && n.text.startsWith("Unconfirmed"));
  const sourced =
    sources.size === 0
      ? []
      : [
          `Prices from ${sources.size} source${sources.size === 1 ? "" : "s"}` +
            (unconfirmed.length > 0
              ? `, ${unconfirmed.length} price${unconfirmed.length === 1 ? "" : "s"} unconfirmed by Google`
              : "") +
            ": --verbose or --json lists them.",
        ];
  return [...new Set([...plain.map((n) => n.text), ...sourced])].flatMap((text) => note(text));
}

function costText(cost: CostEstimate, options: TextOptions): string[] {
  if (!cost.known) return [`Estimated monthly cost: unknown`, ...notesText(cost, options)];
  const section = (title: string, part: CostEstimate["idle"]) => [
    `  ${title}: ${money(part.usd)}`,
    ...part.lines.flatMap(costLineText),
  ];
  const loadTitle = "under the runway:load profile";
  return [
    `Estimated monthly cost (USD, ${cost.region}):`,
    ...section("idle", cost.idle),
    ...(!cost.underLoad
      ? ["  under load: set runway:load to estimate"]
      : sameLines(cost.underLoad, cost.idle)
        ? [`  ${loadTitle}: ${money(cost.underLoad.usd)}, the same lines as idle`]
        : section(loadTitle, cost.underLoad)),
    ...notesText(cost, options),
  ];
}

export function planText(plan: Plan, options: TextOptions = {}): string {
  const data = (text: string) => (options.verbose ? text : shortDigests(text));
  const prose = (text: string, prefix: string) => wrap(data(text), prefix, "      ");
  return [
    fit(plan.summary),
    ...(plan.placeholder ? prose(plan.placeholder, "  note: ") : []),
    "",
    `Target ${plan.target}`,
    ...plan.targetReasons.flatMap((reason) => prose(reason, "  because ")),
    ...plan.differences.flatMap((difference) => prose(difference, "  differs here: ")),
    ...prose(`${plan.physicalName} (runway:physicalName)`, "  names in the project start with "),
    "",
    ...trafficText(plan.traffic).map(data),
    ...plan.replaces.flatMap((line) => prose(line, "  replaces: ")),
    "",
    "Resources `pulumi up` would create:",
    ...treeText(plan.resources, 1, options),
    "",
    ...costText(plan.estimatedMonthlyCost, options),
    "",
    "Outputs (mock values from the offline plan, not real):",
    ...Object.entries(plan.mockOutputs).flatMap(([key, value]) => prose(JSON.stringify(value), `  ${key}: `)),
  ].join("\n");
}

const USAGE =
  "usage: npm run plan -- --stack NAME [--json] [--verbose] [--set key=value ...] [--unset key ...] [--export knative|cloudrun]";

function printProblems(problems: readonly Problem[], json: boolean): void {
  if (json)
    console.log(
      JSON.stringify({ ok: false, problems: problems.map(({ path, message }) => ({ path, message })) }, null, 2),
    );
  else console.error(formatProblems(problems));
}

/** `--export`: YAML on stdout and the unsupported list on stderr, or one JSON document with --json. */
function printExport(stack: string, flavour: string, overrides: readonly Override[], json: boolean): number {
  if (!isExportFlavour(flavour)) throw new Error(`--export takes knative or cloudrun, not ${JSON.stringify(flavour)}`);
  const result = exportStack(stack, flavour, overrides);
  if (!result.ok) {
    printProblems(result.problems, json);
    return 1;
  }
  if (json) {
    const { placeholder } = result;
    console.log(JSON.stringify({ ok: true, ...(placeholder ? { placeholder } : {}), ...result.export }, null, 2));
    return 0;
  }
  process.stdout.write(exportYaml(result.export, result.placeholder));
  console.error(exportReport(result.export));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, tokens } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string" },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      set: { type: "string", multiple: true },
      unset: { type: "string", multiple: true },
      export: { type: "string" },
    },
    strict: true,
    tokens: true,
  });
  if (!values.stack) {
    const stacks = stacksIn(PROJECT_DIR);
    console.error(`${USAGE}\n${stacks.length > 0 ? `stacks here: ${stacks.join(", ")}` : "no stacks here"}`);
    return 2;
  }
  // --set and --unset in the order given, so that `--unset runway:gke --set runway:gke.location=…` starts afresh.
  const overrides = tokens.flatMap((token): Override[] =>
    token.kind === "option" && token.value !== undefined && (token.name === "set" || token.name === "unset")
      ? [token.name === "set" ? { set: token.value } : { unset: token.value }]
      : [],
  );
  if (values.export !== undefined) return printExport(values.stack, values.export, overrides, values.json);
  const result = await planStack(values.stack, overrides);
  if (!result.ok) {
    if (values.json)
      console.log(
        JSON.stringify(
          { ok: false, problems: result.problems.map(({ path, message }) => ({ path, message })) },
          null,
          2,
        ),
      );
    else console.error(formatProblems(result.problems));
    return 1;
  }
  console.log(
    values.json
      ? JSON.stringify({ ok: true, ...result.plan }, null, 2)
      : planText(result.plan, { verbose: values.verbose }),
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      // Usage mistakes (unknown flag, unknown stack, bad --set or --unset) are the user's: one line, no trace.
      console.error(`plan: ${error.message}`);
      process.exit(2);
    },
  );
}
