import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { parseJsonObject, RawClient, request, ServerProcess } from "./helpers.js";

describe("echo over HTTP (real server process)", () => {
  let server: ServerProcess;
  before(async () => {
    server = await ServerProcess.start({ env: { BODY_LIMIT_BYTES: "1024" } });
  });
  after(async () => {
    const exit = await server.stop();
    assert.equal(exit.code, 0);
  });

  test("GET / echoes the query parameters as text", async () => {
    const res = await request(server.port, { path: "/?name=runway&tag=a&tag=b&empty=" });
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain/);
    assert.equal(res.body, "name=runway\ntag=a\ntag=b\nempty=\n");
  });

  test("GET / echoes the query parameters as JSON when asked, repeated keys as arrays", async () => {
    const res = await request(server.port, {
      path: "/?name=run%20way&tag=a&tag=b&__proto__=kept",
      headers: { accept: "text/html;q=0.9, application/json" },
    });
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    assert.deepEqual(JSON.parse(res.body), JSON.parse('{"name":"run way","tag":["a","b"],"__proto__":"kept"}'));
  });

  test("GET with Accept: application/json;q=0 is not treated as asking for JSON", async () => {
    const res = await request(server.port, { path: "/?a=1", headers: { accept: "application/json;q=0, text/plain" } });
    assert.equal(res.body, "a=1\n");
  });

  test("GET / with no query answers 200 with an empty body", async () => {
    const res = await request(server.port, { path: "/" });
    assert.equal(res.status, 200);
    assert.equal(res.body, "");
  });

  test("POST / echoes a text body byte for byte", async () => {
    const body = "hello, runway\nsecond line ünïcödé";
    const res = await request(server.port, { method: "POST", body, headers: { "content-type": "text/plain" } });
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain/);
    assert.equal(res.body, body);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
  });

  test("POST / with a JSON body answers the parsed JSON", async () => {
    const value = { message: "hi", nested: { list: [1, 2.5, null, true] } };
    const res = await request(server.port, {
      method: "POST",
      body: JSON.stringify(value, null, 2),
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    assert.deepEqual(JSON.parse(res.body), value);
    assert.equal(res.body, `${JSON.stringify(value)}\n`, "JSON is re-serialised, not passed through");
  });

  test("POST / with a text body and Accept: application/json wraps the text in JSON", async () => {
    const res = await request(server.port, { method: "POST", body: "plain", headers: { accept: "application/json" } });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { body: "plain" });
  });

  test("malformed JSON answers 400 with a reason, as JSON when the client wants JSON", async () => {
    const res = await request(server.port, {
      method: "POST",
      body: '{"unterminated": ',
      headers: { "content-type": "application/json", accept: "application/json" },
    });
    assert.equal(res.status, 400);
    assert.match(String(parseJsonObject(res.body).error), /^malformed JSON body/);
  });

  test("an empty body declared as JSON is malformed too", async () => {
    const res = await request(server.port, {
      method: "POST",
      body: "",
      headers: { "content-type": "application/json" },
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /malformed JSON/);
  });

  test("a body at exactly the limit is accepted", async () => {
    const body = "x".repeat(1024);
    const res = await request(server.port, { method: "POST", body });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 1024);
  });

  test("a body over the limit with Content-Length answers 413 and closes the connection", async () => {
    const res = await request(server.port, { method: "POST", body: "x".repeat(1025) });
    assert.equal(res.status, 413);
    assert.equal(res.headers.connection, "close");
    assert.match(res.body, /exceeds the limit of 1024 bytes/);
  });

  test("a chunked body that grows over the limit answers 413", async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: server.port, method: "POST", path: "/", agent: false },
        (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      // No Content-Length: the server only finds out while the bytes arrive.
      req.write("y".repeat(1000));
      req.write("y".repeat(1000));
      req.end();
    });
    assert.equal(res.status, 413);
  });

  test("Expect: 100-continue with an oversize body gets 413 without the 100", async () => {
    const client = await RawClient.connect(server.port);
    await client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
    const received = await client.waitFor("\r\n\r\n");
    assert.match(received, /^HTTP\/1\.1 413 /);
    assert.doesNotMatch(received, /100 Continue/);
    client.socket.destroy();
  });

  test("an unsupported method answers 405 with the allowed methods", async () => {
    for (const [method, path, allow] of [
      ["PUT", "/", "GET, HEAD, POST"],
      ["DELETE", "/", "GET, HEAD, POST"],
      ["POST", "/healthz", "GET, HEAD"],
      ["PATCH", "/info", "GET, HEAD"],
    ] as const) {
      const res = await request(server.port, { method, path });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.allow, allow, `${method} ${path}`);
    }
  });

  test("a method HTTP does not define answers 501 and the server stays up", async () => {
    const client = await RawClient.connect(server.port);
    await client.write("BREW / HTTP/1.1\r\nHost: t\r\n\r\n");
    await client.closed;
    assert.match(client.received, /^HTTP\/1\.1 501 Not Implemented/);
    assert.equal((await request(server.port, { path: "/healthz" })).status, 200);
  });

  test("a malformed header answers 400 and the server stays up", async () => {
    const client = await RawClient.connect(server.port);
    await client.write("GET / HTTP/1.1\r\nHost: t\r\nno colon here\r\n\r\n");
    await client.closed;
    assert.match(client.received, /^HTTP\/1\.1 400 Bad Request/);
    assert.equal((await request(server.port, { path: "/healthz" })).status, 200);
  });

  test("headers over Node's 16 KiB limit answer 431", async () => {
    const client = await RawClient.connect(server.port);
    await client.write(`GET / HTTP/1.1\r\nHost: t\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`);
    await client.closed;
    assert.match(client.received, /^HTTP\/1\.1 431 Request Header Fields Too Large/);
  });

  test("structured-syntax JSON types (+json) count as JSON", async () => {
    const res = await request(server.port, {
      method: "POST",
      body: '{"data":{"id":"1"}}',
      headers: { "content-type": "application/vnd.api+json" },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { data: { id: "1" } });
  });

  test("an unknown path answers 404", async () => {
    const res = await request(server.port, { path: "/nope?x=1" });
    assert.equal(res.status, 404);
    assert.match(res.body, /no route for \/nope/);
  });

  test("a path that looks like a URL authority is still treated as a path", async () => {
    const client = await RawClient.connect(server.port);
    await client.write("GET //evil.example/?a=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    await client.closed;
    assert.match(client.received, /^HTTP\/1\.1 404 /);
  });

  test("HEAD answers headers only", async () => {
    const res = await request(server.port, { method: "HEAD", path: "/?a=1" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-length"], "4");
    assert.equal(res.body, "");
  });

  test("no output on stderr and every stdout line is JSON", () => {
    assert.equal(server.stderr, "");
    assert.deepEqual(server.nonJsonStdout, []);
  });
});

describe("slow clients (real server process, short timeouts)", () => {
  let server: ServerProcess;
  before(async () => {
    server = await ServerProcess.start({ env: { HEADERS_TIMEOUT_MS: "300", REQUEST_TIMEOUT_MS: "600" } });
  });
  after(async () => {
    assert.equal((await server.stop()).code, 0);
  });

  test("headers that never finish are answered 408 and the socket is closed", async () => {
    const client = await RawClient.connect(server.port);
    await client.write("GET / HTTP/1.1\r\nHost: t\r\n");
    await client.closed;
    assert.match(client.received, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    await server.waitForLog((line) => line.severity === "WARNING" && /Request Timeout/.test(line.message));
  });

  test("a body that trickles in past the request timeout is cut off with 408", async () => {
    const client = await RawClient.connect(server.port);
    await client.write("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly a little");
    await client.closed;
    assert.match(client.received, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  test("the server keeps serving after timing clients out", async () => {
    const res = await request(server.port, { path: "/?still=up" });
    assert.equal(res.status, 200);
    assert.equal(res.body, "still=up\n");
  });

  test("a slow body never produced an error log", () => {
    assert.deepEqual(
      server.logs.filter((line) => line.severity === "ERROR" && !("httpRequest" in line)),
      [],
    );
  });
});
