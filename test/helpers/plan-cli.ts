import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/** Runs what `npm run plan -- …` runs (package.json), as a separate process. */
export function runPlanCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ["--require", "./tools/plan/ts-require.js", "tools/plan/cli.ts", ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
