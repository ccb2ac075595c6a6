import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../src/config.js";
import { BUILT_MAIN, exitOf, parseLogLine, ServerProcess } from "./helpers.js";

describe("loadConfig", () => {
  test("defaults: port 8080, 1 MiB body limit, deadline inside Cloud Run grace period", () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
    assert.equal(config.shutdownDeadlineMs, 8_000);
    assert.ok(config.headersTimeoutMs <= config.requestTimeoutMs);
    assert.equal(config.googleCloudProject, undefined);
  });

  test("reads every setting from the environment", () => {
    const config = loadConfig({
      PORT: "9090",
      BODY_LIMIT_BYTES: "10",
      HEADERS_TIMEOUT_MS: "100",
      REQUEST_TIMEOUT_MS: "200",
      KEEP_ALIVE_TIMEOUT_MS: "300",
      SHUTDOWN_DEADLINE_MS: "400",
      GOOGLE_CLOUD_PROJECT: " my-project ",
    });
    assert.deepEqual(config, {
      port: 9090,
      bodyLimitBytes: 10,
      headersTimeoutMs: 100,
      requestTimeoutMs: 200,
      keepAliveTimeoutMs: 300,
      shutdownDeadlineMs: 400,
      googleCloudProject: "my-project",
    });
  });

  test("rejects values that are not integers in range", () => {
    for (const env of [
      { PORT: "http" },
      { PORT: "70000" },
      { BODY_LIMIT_BYTES: "1.5" },
      { SHUTDOWN_DEADLINE_MS: "0" },
    ]) {
      assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
    }
  });

  test("rejects a headers timeout longer than the request timeout", () => {
    assert.throws(() => loadConfig({ HEADERS_TIMEOUT_MS: "5000", REQUEST_TIMEOUT_MS: "1000" }), /HEADERS_TIMEOUT_MS/);
  });
});

describe("startup with bad configuration (real process)", () => {
  test("exits 1 with one CRITICAL JSON line naming the variable", async () => {
    const child = spawn(process.execPath, [BUILT_MAIN], {
      env: { PATH: process.env.PATH ?? "", PORT: "eighty" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const { code } = await exitOf(child);
    assert.equal(code, 1);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => parseLogLine(line));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.severity, "CRITICAL");
    assert.match(lines[0]!.message, /PORT must be an integer/);
  });

  test("a port already in use is a CRITICAL exit, not a hang", async () => {
    const first = await ServerProcess.start();
    try {
      const child = spawn(process.execPath, [BUILT_MAIN], {
        env: { PATH: process.env.PATH ?? "", PORT: String(first.port) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      const { code } = await exitOf(child);
      assert.equal(code, 1);
      assert.match(stdout, /"severity":"CRITICAL","message":"server error"/);
      assert.match(stdout, /EADDRINUSE/);
    } finally {
      await first.stop();
    }
  });
});
