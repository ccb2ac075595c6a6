import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RawClient, request, ServerProcess } from "./helpers.js";

async function connectionRefused(port: number): Promise<boolean> {
  // The listening socket is closed on the next event-loop turn after the
  // "draining" line, so allow a few attempts before calling it still open.
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const client = await RawClient.connect(port);
      client.socket.destroy();
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "ECONNREFUSED";
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe("graceful shutdown (real server process)", () => {
  test("SIGTERM mid-body: readiness fails, new connections are refused, the in-flight request completes, exit 0", async () => {
    const server = await ServerProcess.start();
    const body = "first half, second half";

    const upload = await RawClient.connect(server.port);
    await upload.write(
      `POST /?drain=1 HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    // "100 Continue" proves the server has parsed the headers and is in the handler.
    await upload.waitFor("100 Continue");
    await upload.write(body.slice(0, 12));

    // A second connection that has begun (but not finished) a readiness probe:
    // one write carries a full request plus the start of the next, so once the
    // first is answered the server has read the second's first bytes and the
    // connection counts as busy, not idle.
    const probe = await RawClient.connect(server.port);
    await probe.write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /readyz HTTP/1.1\r\nHost: t\r\n");
    await probe.waitFor("ok\n");

    server.child.kill("SIGTERM");
    await server.waitForLog((line) => line.message === "draining: SIGTERM received");
    server.child.kill("SIGTERM");
    await server.waitForLog((line) => line.message === "SIGTERM received again; still draining");

    assert.equal(await connectionRefused(server.port), true, "new connections must be refused while draining");

    await probe.write("\r\n");
    const probeText = await probe.waitFor("draining\n");
    const readyz = probeText.slice(probeText.indexOf("HTTP/1.1", 1));
    assert.match(readyz, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.match(readyz, /\r\nConnection: close\r\n/i);

    await upload.write(body.slice(12));
    const answer = await upload.waitFor(body);
    assert.match(
      answer.slice(answer.indexOf("HTTP/1.1 200")),
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\nConnection: close\r\n[\s\S]*\r\n\r\nfirst half, second half$/i,
    );
    await upload.closed;

    const exit = await server.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    const logged = server.logs.find((line) => line.message === "POST /?drain=1 200");
    assert.ok(logged, "the drained request is logged as a 200");
    assert.ok(server.logs.some((line) => line.message === "all connections closed; exiting"));
    assert.equal(
      server.logs.some((line) => /forcing exit/.test(line.message)),
      false,
    );
  });

  test("idle keep-alive connections do not hold up SIGTERM", async () => {
    const server = await ServerProcess.start();
    const idle = await RawClient.connect(server.port);
    await idle.write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    await idle.waitFor("ok\n");
    assert.match(idle.received, /Keep-Alive: timeout=620/);

    server.child.kill("SIGTERM");
    await idle.closed;
    assert.deepEqual(await server.exited, { code: 0, signal: null });
  });

  test("SIGINT drains the same way", async () => {
    const server = await ServerProcess.start();
    assert.equal((await request(server.port, { path: "/healthz" })).status, 200);
    server.child.kill("SIGINT");
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    assert.ok(server.logs.some((line) => line.message === "draining: SIGINT received"));
  });

  test("a request that never finishes is cut at the shutdown deadline and the exit code says so", async () => {
    const server = await ServerProcess.start({ env: { SHUTDOWN_DEADLINE_MS: "300" } });
    const stuck = await RawClient.connect(server.port);
    await stuck.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
    await stuck.waitFor("100 Continue");

    server.child.kill("SIGTERM");
    assert.deepEqual(await server.exited, { code: 1, signal: null });
    await stuck.closed;
    const line = server.logs.find((l) => /forcing exit/.test(l.message));
    assert.equal(line?.severity, "ERROR");
  });
});
