/**
 * `npm run bench`: wall time of the offline plan against a bare `require('@pulumi/pulumi')` on the same
 * machine (goal: at most 2x). Medians of several runs of each, as separate processes.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** What `npm run plan` runs (package.json), without npm's own start-up. */
const PLAN = ["--require", "./tools/plan/ts-require.js", "tools/plan/cli.ts"];

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN; // no values, no median
}

function measure(label: string, args: string[]): number {
  wallMs(args); // warm the file cache and tsx's compile cache, as a user's second run would be
  const times = Array.from({ length: RUNS }, () => wallMs(args));
  const value = median(times);
  console.log(
    `${label.padEnd(48)} median ${value.toFixed(0)} ms  (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${RUNS} runs)`,
  );
  return value;
}

const bare = measure("node -e \"require('@pulumi/pulumi')\"", ["-e", "require('@pulumi/pulumi')"]);
const dev = measure("plan --stack dev (Cloud Run)", [...PLAN, "--stack", "dev"]);
const prod = measure("plan --stack prod (GKE)", [...PLAN, "--stack", "prod"]);
console.log(`ratio dev/bare ${(dev / bare).toFixed(2)}x, prod/bare ${(prod / bare).toFixed(2)}x (goal: at most 2x)`);
