import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { formatLatency, parseCloudTraceContext, parseTraceparent, traceFromHeaders } from "../src/logging.js";
import { RawClient, request, ServerProcess, type LogLine } from "./helpers.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

describe("trace header parsing", () => {
  test("traceparent: trace id, span id and sampled flag", () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE_ID}-00f067aa0ba902b7-01`), {
      traceId: TRACE_ID,
      spanId: "00f067aa0ba902b7",
      sampled: true,
    });
    assert.equal(parseTraceparent(`00-${TRACE_ID}-00f067aa0ba902b7-00`)?.sampled, false);
  });

  test("traceparent: invalid values are ignored rather than logged", () => {
    for (const bad of [
      "",
      "garbage",
      `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
      `00-${"0".repeat(32)}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-${"0".repeat(16)}-01`,
      `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`,
      `00-${TRACE_ID}-00f067aa0ba902b7`,
    ]) {
      assert.equal(parseTraceparent(bad), undefined, bad);
    }
  });

  test("X-Cloud-Trace-Context: the decimal span id becomes 16 hex digits", () => {
    assert.deepEqual(parseCloudTraceContext(`${TRACE_ID}/1;o=1`), {
      traceId: TRACE_ID,
      spanId: "0000000000000001",
      sampled: true,
    });
    assert.deepEqual(parseCloudTraceContext(`${TRACE_ID}/18446744073709551615;o=0`), {
      traceId: TRACE_ID,
      spanId: "ffffffffffffffff",
      sampled: false,
    });
  });

  test("X-Cloud-Trace-Context: span and option are optional; out-of-range spans are dropped", () => {
    assert.deepEqual(parseCloudTraceContext(TRACE_ID), { traceId: TRACE_ID, spanId: undefined, sampled: false });
    assert.equal(parseCloudTraceContext(`${TRACE_ID}/18446744073709551616;o=1`)?.spanId, undefined);
    assert.equal(parseCloudTraceContext("not-a-trace/1;o=1"), undefined);
  });

  test("traceparent is preferred when both headers are present; a bad one falls back", () => {
    const other = "a".repeat(32);
    const both = { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, "x-cloud-trace-context": `${other}/5;o=1` };
    assert.equal(traceFromHeaders(both)?.traceId, TRACE_ID);
    assert.equal(traceFromHeaders({ ...both, traceparent: "broken" })?.traceId, other);
    assert.equal(traceFromHeaders({}), undefined);
  });

  test("latency uses the protobuf Duration form Cloud Logging expects", () => {
    assert.equal(formatLatency(12_345_678n), "0.012345678s");
    assert.equal(formatLatency(2_000_000_000n), "2.000000000s");
  });
});

describe("request log lines (real server process)", () => {
  let server: ServerProcess;
  before(async () => {
    server = await ServerProcess.start({ env: { GOOGLE_CLOUD_PROJECT: "runway-demo" } });
  });
  after(async () => {
    assert.equal((await server.stop()).code, 0);
  });

  async function logFor(path: string, options: Parameters<typeof request>[1] = {}): Promise<LogLine> {
    await request(server.port, { path, ...options });
    return server.waitForLog(
      (line) => (line.httpRequest as { requestUrl?: string } | undefined)?.requestUrl?.endsWith(path) ?? false,
    );
  }

  test("one line per request with the httpRequest fields Cloud Logging knows", async () => {
    const line = await logFor("/?log=fields", {
      headers: { "user-agent": "runway-test/1.0", referer: "https://example.test/" },
    });
    assert.equal(line.severity, "INFO");
    assert.equal(line.message, "GET /?log=fields 200");
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const http = line.httpRequest as Record<string, unknown>;
    assert.equal(http.requestMethod, "GET");
    assert.equal(http.requestUrl, `http://127.0.0.1:${server.port}/?log=fields`);
    assert.equal(http.status, 200);
    assert.equal(http.responseSize, String("log=fields\n".length));
    assert.equal(http.userAgent, "runway-test/1.0");
    assert.equal(http.referer, "https://example.test/");
    assert.match(String(http.remoteIp), /127\.0\.0\.1$/);
    assert.match(String(http.latency), /^\d+\.\d{9}s$/);
    assert.equal(http.protocol, "HTTP/1.1");
    assert.equal(server.requestLogs("/?log=fields").length, 1);
  });

  test("X-Cloud-Trace-Context is linked to the project trace", async () => {
    const line = await logFor("/?log=cloudtrace", {
      headers: { "x-cloud-trace-context": `${TRACE_ID}/123456789;o=1` },
    });
    assert.equal(line["logging.googleapis.com/trace"], `projects/runway-demo/traces/${TRACE_ID}`);
    assert.equal(line["logging.googleapis.com/spanId"], (123456789).toString(16).padStart(16, "0"));
    assert.equal(line["logging.googleapis.com/trace_sampled"], true);
  });

  test("W3C traceparent is linked the same way", async () => {
    const line = await logFor("/?log=w3c", { headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-00` } });
    assert.equal(line["logging.googleapis.com/trace"], `projects/runway-demo/traces/${TRACE_ID}`);
    assert.equal(line["logging.googleapis.com/spanId"], "00f067aa0ba902b7");
    assert.equal(line["logging.googleapis.com/trace_sampled"], false);
  });

  test("no trace fields without a trace header", async () => {
    const line = await logFor("/?log=untraced");
    assert.equal("logging.googleapis.com/trace" in line, false);
  });

  test("the client address comes from X-Forwarded-For when a proxy set it", async () => {
    const line = await logFor("/?log=xff", {
      headers: { "x-forwarded-for": "203.0.113.7, 10.1.2.3", "x-forwarded-proto": "https" },
    });
    const http = line.httpRequest as Record<string, unknown>;
    assert.equal(http.remoteIp, "203.0.113.7");
    assert.match(String(http.requestUrl), /^https:\/\//);
  });

  test("4xx is logged as WARNING", async () => {
    const line = await logFor("/missing-page");
    assert.equal(line.severity, "WARNING");
    assert.equal((line.httpRequest as { status: number }).status, 404);
  });

  test("a client that hangs up mid-body is logged as an ERROR with status 499, and nothing crashes", async () => {
    const client = await RawClient.connect(server.port);
    await client.write("POST /?log=hangup HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\npartial");
    client.socket.destroy();
    const line = await server.waitForLog(
      (l) => (l.httpRequest as { requestUrl?: string } | undefined)?.requestUrl?.endsWith("/?log=hangup") ?? false,
    );
    assert.equal(line.severity, "ERROR");
    assert.equal((line.httpRequest as { status: number }).status, 499);
    assert.equal((await request(server.port, { path: "/healthz" })).status, 200);
  });

  test("every stdout line is a JSON object with a severity and a message", () => {
    assert.deepEqual(server.nonJsonStdout, []);
    for (const line of server.logs) {
      assert.match(line.severity, /^(DEBUG|INFO|NOTICE|WARNING|ERROR|CRITICAL)$/);
      assert.equal(typeof line.message, "string");
    }
  });

  test("the trace goes in bare when GOOGLE_CLOUD_PROJECT is unknown", async () => {
    const bare = await ServerProcess.start();
    try {
      await request(bare.port, { path: "/?log=bare", headers: { "x-cloud-trace-context": `${TRACE_ID}/7;o=1` } });
      const line = await bare.waitForLog((l) => l.message.startsWith("GET /?log=bare"));
      assert.equal(line["logging.googleapis.com/trace"], TRACE_ID);
    } finally {
      await bare.stop();
    }
  });
});
