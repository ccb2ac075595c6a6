/**
 * `npm run plan -- --stack NAME [--json] [--set key=value ...]`: what `pulumi up` would create for a stack,
 * with no credentials and no Pulumi CLI. Evaluates index.ts with the stack's config under the SDK's mock
 * runtime and prints the chosen target and why, the resource tree with its key settings, and the estimated
 * monthly cost. Invalid config prints the problems only and exits 1.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatProblems, validateConfig, type Problem, type ValidatedConfig } from "../../components/config/validate";
import { targetDifferences } from "../../components/targets";
import { estimateMonthlyCost, type CostEstimate } from "../../components/cost/estimate";
import { loadProgram, runUnderMocks } from "../mock-runtime";
import { applyOverride } from "./overrides";
import { readStackConfig } from "./stack-file";
import { resourceTree, treeText, type PlannedResource } from "./summary";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export interface Plan {
  readonly stack: string;
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
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: Problem[] };

/** Builds the plan of one stack, with overrides applied to its config. */
export async function planStack(stack: string, overrides: readonly string[] = []): Promise<PlanResult> {
  const config = overrides.reduce(applyOverride, readStackConfig(PROJECT_DIR, stack));
  const validation = validateConfig(config, { projectDir: PROJECT_DIR, stack });
  if (!validation.ok) return { ok: false, problems: validation.problems };
  const inventory = await runUnderMocks(() => loadProgram(path.join(PROJECT_DIR, "index.ts")), { config, stack });
  return { ok: true, plan: describePlan(stack, validation.config, inventory.outputs, resourceTree(inventory)) };
}

function describePlan(
  stack: string,
  config: ValidatedConfig,
  outputs: Record<string, unknown>,
  resources: PlannedResource[],
): Plan {
  const { kubeconfig: _secret, ...shown } = outputs; // a secret: never printed
  return {
    stack,
    target: config.decision.target,
    targetReasons: config.decision.reasons,
    physicalName: config.physicalName,
    differences: targetDifferences(config.decision.target, config.runway.service),
    resources,
    mockOutputs: shown,
    estimatedMonthlyCost: estimateMonthlyCost(config),
  };
}

function usd(value: number | undefined): string {
  return value === undefined ? "unknown" : `$${value.toFixed(2)}`;
}

function costText(cost: CostEstimate): string[] {
  if (!cost.known) return [`Estimated monthly cost: unknown`, ...cost.notes.map((n) => `  note: ${n}`)];
  const section = (title: string, part: CostEstimate["idle"]) => [
    `  ${title}: ${usd(part.usd)}`,
    ...part.lines.map((line) => `    ${usd(line.usd).padStart(10)}  ${line.item} (${line.basis})`),
  ];
  return [
    `Estimated monthly cost (USD, ${cost.region}):`,
    ...section("idle", cost.idle),
    ...(cost.underLoad
      ? section("under the runway:load profile", cost.underLoad)
      : ["  under load: set runway:load to estimate"]),
    ...cost.notes.map((n) => `  note: ${n}`),
  ];
}

export function planText(plan: Plan): string {
  return [
    `Stack ${plan.stack}: target ${plan.target}`,
    ...plan.targetReasons.map((reason) => `  because ${reason}`),
    ...plan.differences.map((difference) => `  differs here: ${difference}`),
    `  names in the project start with ${plan.physicalName} (runway:physicalName)`,
    "",
    "Resources `pulumi up` would create:",
    ...treeText(plan.resources, 1),
    "",
    ...costText(plan.estimatedMonthlyCost),
    "",
    "Outputs (mock values from the offline plan, not real):",
    ...Object.entries(plan.mockOutputs).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`),
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string" },
      json: { type: "boolean", default: false },
      set: { type: "string", multiple: true },
    },
    strict: true,
  });
  if (!values.stack) {
    console.error("usage: npm run plan -- --stack NAME [--json] [--set key=value ...]");
    return 2;
  }
  const result = await planStack(values.stack, values.set ?? []);
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
  console.log(values.json ? JSON.stringify({ ok: true, ...result.plan }, null, 2) : planText(result.plan));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      // Usage mistakes (unknown flag, missing stack file, bad --set) are the user's: one line, no trace.
      console.error(`plan: ${error.message}`);
      process.exit(2);
    },
  );
}
