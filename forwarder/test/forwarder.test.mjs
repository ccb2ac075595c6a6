/**
 * The forwarder as a process, against fakes of what it calls: the Pub/Sub REST API, the metadata server and the app.
 * The fakes answer only the documented shapes: pull takes {maxMessages} and returns {receivedMessages: [{ackId,
 * message, deliveryAttempt}]}, or an empty body when there is nothing (projects.subscriptions/pull); acknowledge takes
 * {ackIds} and modifyAckDeadline {ackIds, ackDeadlineSeconds}, both returning an empty body
 * (projects.subscriptions/acknowledge, /modifyAckDeadline, https://cloud.google.com/pubsub/docs/reference/rest/v1/
 * projects.subscriptions); the token endpoint wants `Metadata-Flavor: Google` and returns {access_token, expires_in,
 * token_type} (https://cloud.google.com/compute/docs/access/authenticate-workloads#applications).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import * as http from "node:http";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const FORWARDER = fileURLToPath(new URL("../forwarder.mjs", import.meta.url));
const SUBSCRIPTION = "projects/demo-project/subscriptions/echo-orders";
const LOAD_BALANCER = "203.0.113.10";
const MESSAGE = {
  data: Buffer.from("hello").toString("base64"),
  attributes: { kind: "order" },
  messageId: "1234567890",
  publishTime: "2026-12-01T10:00:00.123Z",
};

function readBody(request) {
  return new Promise((resolve) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => resolve(text));
  });
}

async function listen(handler) {
  const server = http.createServer((request, response) => {
    void readBody(request).then((body) => handler(request, body, response));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: server.address().port };
}

function json(response, status, body) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** Waits until `check` returns something truthy, for at most 5 s. */
async function eventually(check) {
  for (let waited = 0; waited < 5000; waited += 10) {
    const value = check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("timed out");
}

/** Runs the forwarder with one subscription holding one message until `stop`; the app answers `status` after `delayMs`. */
async function start(status, delayMs = 0) {
  const calls = { token: [], pubsub: [], app: [] };
  let delivered = false;
  const metadata = await listen((request, _body, response) => {
    calls.token.push({ url: request.url, flavor: request.headers["metadata-flavor"] });
    if (request.headers["metadata-flavor"] !== "Google") return json(response, 403, {});
    json(response, 200, { access_token: "ya29.fake-token", expires_in: 3599, token_type: "Bearer" });
  });
  const pubsub = await listen((request, body, response) => {
    calls.pubsub.push({ url: request.url, authorization: request.headers.authorization, body: JSON.parse(body) });
    if (request.url.endsWith(":pull") && !delivered) {
      delivered = true;
      return json(response, 200, { receivedMessages: [{ ackId: "ack-1", message: MESSAGE, deliveryAttempt: 1 }] });
    }
    // An empty backlog: Pub/Sub holds the pull for a while and then answers an empty object.
    if (request.url.endsWith(":pull")) return setTimeout(() => json(response, 200, {}), 50);
    json(response, 200, {});
  });
  const app = await listen((request, body, response) => {
    calls.app.push({ method: request.method, url: request.url, host: request.headers.host, body: JSON.parse(body) });
    setTimeout(() => {
      response.writeHead(status);
      response.end();
    }, delayMs);
  });
  const child = spawn(process.execPath, [FORWARDER], {
    env: {
      FORWARD: JSON.stringify([
        { subscription: SUBSCRIPTION, url: `http://127.0.0.1:${app.port}/events/orders`, host: LOAD_BALANCER },
      ]),
      ACK_DEADLINE_SECONDS: "60",
      PUBSUB_ENDPOINT: `http://127.0.0.1:${pubsub.port}`,
      GCE_METADATA_HOST: `127.0.0.1:${metadata.port}`,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  const stop = async () => {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = await exited;
    for (const { server } of [metadata, pubsub, app]) server.close();
    return {
      code,
      logs: stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    };
  };
  return { calls, stop };
}

const verb = (call) => call.url.slice(call.url.lastIndexOf(":") + 1);

describe("forwarder", () => {
  it("POSTs each message to the app as a push request with the route's Host, then acknowledges it", async () => {
    const { calls, stop } = await start(204);
    await eventually(() => calls.pubsub.find((call) => verb(call) === "acknowledge"));
    const { code, logs } = await stop();

    assert.deepEqual(calls.app, [
      {
        method: "POST",
        url: "/events/orders",
        host: LOAD_BALANCER,
        body: { message: MESSAGE, subscription: SUBSCRIPTION },
      },
    ]);
    assert.deepEqual(calls.pubsub[0], {
      url: `/v1/${SUBSCRIPTION}:pull`,
      authorization: "Bearer ya29.fake-token",
      body: { maxMessages: 10 },
    });
    assert.deepEqual(
      calls.pubsub.find((call) => verb(call) === "acknowledge"),
      { url: `/v1/${SUBSCRIPTION}:acknowledge`, authorization: "Bearer ya29.fake-token", body: { ackIds: ["ack-1"] } },
    );
    assert.equal(
      calls.pubsub.some((call) => verb(call) === "modifyAckDeadline"),
      false,
    );
    // One token for every call: it is cached until a minute before its expiry.
    assert.deepEqual(calls.token, [
      { url: "/computeMetadata/v1/instance/service-accounts/default/token", flavor: "Google" },
    ]);
    assert.equal(code, 0);
    assert.deepEqual(
      logs.find((line) => line.message === "delivered"),
      { severity: "INFO", message: "delivered", subscription: SUBSCRIPTION, messageId: "1234567890", status: 204 },
    );
    assert.deepEqual(logs.at(-1), { severity: "INFO", message: "stopped" });
  });

  it("returns a message the app answers 500 to with a 0 s deadline (a NACK), and does not acknowledge it", async () => {
    const { calls, stop } = await start(500);
    await eventually(() => calls.pubsub.find((call) => verb(call) === "modifyAckDeadline"));
    const { code, logs } = await stop();

    assert.equal(calls.app.length, 1);
    assert.deepEqual(
      calls.pubsub.filter((call) => verb(call) !== "pull"),
      [
        {
          url: `/v1/${SUBSCRIPTION}:modifyAckDeadline`,
          authorization: "Bearer ya29.fake-token",
          body: { ackIds: ["ack-1"], ackDeadlineSeconds: 0 },
        },
      ],
    );
    assert.deepEqual(
      logs.find((line) => line.severity === "WARNING"),
      {
        severity: "WARNING",
        message: "delivery failed; message returned for retry",
        subscription: SUBSCRIPTION,
        messageId: "1234567890",
        status: 500,
      },
    );
    assert.equal(code, 0);
  });

  it("on SIGTERM stops pulling but finishes the delivery in flight and acknowledges it", async () => {
    const { calls, stop } = await start(200, 300);
    await eventually(() => calls.app.length === 1);
    const { code, logs } = await stop();

    const verbs = calls.pubsub.map(verb);
    assert.equal(verbs.at(-1), "acknowledge");
    assert.deepEqual(
      logs.map((line) => line.message),
      ["forwarding", "SIGTERM: no more pulls, finishing deliveries in flight", "delivered", "stopped"],
    );
    assert.equal(code, 0);
  });
});
