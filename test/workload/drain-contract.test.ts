/**
 * The seam between the platform and the sample app: the drain deadline the platform sets (service.drainSeconds,
 * passed as SHUTDOWN_DEADLINE_MS) is the one the app honours, and the grace before SIGKILL that each target
 * gives covers it. The app runs as a real process with exactly the environment each target's builder produces.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { connect } from "node:net";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { serviceSchema, type ServiceConfig } from "../../components/config/schema";
import { SHUTDOWN_GRACE_SECONDS } from "../../components/targets/cloudrun/rules";
import { containerEnvs } from "../../components/targets/cloudrun/spec";
import { containerEnv, deploymentArgs, PRE_STOP_SLEEP_SECONDS } from "../../components/targets/gke/workload-spec";
import { plain } from "../helpers/plain";

const APP_MAIN = path.join(__dirname, "..", "..", "app", "src", "main.ts");

/** The app with `env`, one request held open; resolves with how long it took to exit after SIGTERM. */
async function drainTime(env: Record<string, string>): Promise<{ ms: number; code: number | null }> {
  // PORT 0: a kernel-chosen port instead of the service's 8080, which may be taken on this machine.
  const child = spawn(process.execPath, ["--import", "tsx", APP_MAIN], {
    env: { PATH: process.env.PATH, ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve) =>
    lines.on("line", (line) => {
      const entry = JSON.parse(line) as { message?: string; port?: number };
      if (entry.message?.startsWith("listening") && typeof entry.port === "number") resolve(entry.port);
    }),
  );
  const socket = connect({ host: "127.0.0.1", port });
  socket.on("error", () => {});
  // A request whose body never arrives: only the drain deadline ends it.
  await new Promise<void>((resolve) =>
    socket.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n", () => resolve()),
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const start = Date.now();
  child.kill("SIGTERM");
  const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));
  socket.destroy();
  return { ms: Date.now() - start, code };
}

const plainEnv = (variables: readonly { name: unknown; value?: unknown }[]) =>
  Object.fromEntries(
    variables.filter((v) => typeof v.value === "string").map((v) => [String(v.name), v.value as string]),
  );

const service = (drainSeconds: number): ServiceConfig => serviceSchema.parse({ name: "echo", drainSeconds });

describe("drain contract between the platform and the sample app", () => {
  it("the app's own default deadline is the contract's default drainSeconds", () => {
    const result = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import(${JSON.stringify(path.join(__dirname, "..", "..", "app", "src", "config.ts"))}).then((m) => console.log(m.loadConfig({}).shutdownDeadlineMs))`,
      ],
      { encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(Number(result.stdout.trim()), service(8).drainSeconds * 1000);
    assert.equal(serviceSchema.parse({ name: "echo" }).drainSeconds, 8);
  });

  it("GKE: the app ends its drain when the pod's env says, inside the grace the pod spec gives after preStop", async () => {
    const svc = service(1);
    const deployment = plain(
      deploymentArgs({ service: svc, namespace: "echo", project: "p", image: "i", rolloutDeadlineSeconds: 600 }),
    );
    const grace = deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? Number.NaN;
    const { ms, code } = await drainTime(plainEnv(containerEnv(svc, "p")));
    assert.equal(code, 1); // the held request was cut at the deadline
    assert.ok(ms >= 1000, `exited after ${ms} ms, before its 1 s deadline`);
    // SIGTERM comes after the preStop sleep, and the grace period counts from before it.
    assert.ok(ms < (grace - PRE_STOP_SLEEP_SECONDS) * 1000, `took ${ms} ms of ${grace - PRE_STOP_SLEEP_SECONDS} s`);
  });

  it("Cloud Run: the same deadline from the revision's env, inside Cloud Run's fixed 10 s", async () => {
    const svc = service(1);
    const { ms, code } = await drainTime(plainEnv(containerEnvs(svc, "p")));
    assert.equal(code, 1);
    assert.ok(ms >= 1000 && ms < SHUTDOWN_GRACE_SECONDS * 1000, `took ${ms} ms`);
  });
});
