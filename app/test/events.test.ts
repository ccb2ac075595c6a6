import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RawClient, request, ServerProcess, type LogLine } from "./helpers.js";

const SUBSCRIPTION = "projects/runway-demo/subscriptions/runway-echo-orders";

// The push request body from https://cloud.google.com/pubsub/docs/push#receive_push,
// which carries both camelCase and snake_case copies of the message fields.
const PUBSUB_ENVELOPE = {
  message: {
    attributes: { key: "value" },
    data: "SGVsbG8gQ2xvdWQgUHViL1N1YiEgSGVyZSBpcyBteSBtZXNzYWdlIQ==",
    messageId: "2070443601311540",
    message_id: "2070443601311540",
    publishTime: "2021-02-26T19:13:55.749Z",
    publish_time: "2021-02-26T19:13:55.749Z",
  },
  subscription: SUBSCRIPTION,
};

// A Cloud Storage notification (https://cloud.google.com/storage/docs/pubsub-notifications):
// the attributes name the event and the object, and with payload format
// JSON_API_V1 the data is the object's resource from the JSON API.
const OBJECT = {
  kind: "storage#object",
  id: "runway-uploads/photos/cat.jpg/1764590400123456",
  selfLink: "https://www.googleapis.com/storage/v1/b/runway-uploads/o/photos%2Fcat.jpg",
  name: "photos/cat.jpg",
  bucket: "runway-uploads",
  generation: "1764590400123456",
  metageneration: "1",
  contentType: "image/jpeg",
  timeCreated: "2025-12-01T12:00:00.123Z",
  updated: "2025-12-01T12:00:00.123Z",
  storageClass: "STANDARD",
  timeStorageClassUpdated: "2025-12-01T12:00:00.123Z",
  size: "48213",
  md5Hash: "1B2M2Y8AsgTpgAmY7PhCfg==",
  mediaLink:
    "https://storage.googleapis.com/download/storage/v1/b/runway-uploads/o/photos%2Fcat.jpg?generation=1764590400123456&alt=media",
  crc32c: "AAAAAA==",
  etag: "CMDY4pWHi5EDEAE=",
};
const OBJECT_JSON = JSON.stringify(OBJECT);
const STORAGE_ATTRIBUTES = {
  notificationConfig: "projects/_/buckets/runway-uploads/notificationConfigs/1",
  eventType: "OBJECT_FINALIZE",
  payloadFormat: "JSON_API_V1",
  bucketId: "runway-uploads",
  objectId: "photos/cat.jpg",
  objectGeneration: "1764590400123456",
  eventTime: "2025-12-01T12:00:00.123Z",
};
const STORAGE_ENVELOPE = {
  message: {
    attributes: STORAGE_ATTRIBUTES,
    data: Buffer.from(OBJECT_JSON).toString("base64"),
    messageId: "13370001",
    publishTime: "2025-12-01T12:00:00.456Z",
  },
  subscription: "projects/runway-demo/subscriptions/runway-echo-uploads",
};

function post(port: number, body: string) {
  return request(port, { method: "POST", path: "/events", body, headers: { "content-type": "application/json" } });
}

/** A log line without its timestamp, which is checked for shape instead. */
function untimed(line: LogLine): Omit<LogLine, "time"> {
  const { time, ...rest } = line;
  assert.match(String(time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  return rest;
}

describe("events over HTTP (real server process)", () => {
  let server: ServerProcess;
  before(async () => {
    server = await ServerProcess.start();
  });
  after(async () => {
    assert.equal((await server.stop()).code, 0);
  });

  test("a Pub/Sub push message is acknowledged with 204 and logged once", async () => {
    const res = await post(server.port, JSON.stringify(PUBSUB_ENVELOPE));
    assert.equal(res.status, 204);
    assert.equal(res.body, "");
    assert.equal(res.headers["content-length"], undefined);
    assert.equal(res.headers["content-type"], undefined);

    const line = await server.waitForLog((l) => l.message.startsWith("event 2070443601311540"));
    assert.deepEqual(untimed(line), {
      severity: "INFO",
      message: "event 2070443601311540: 40 bytes",
      event: {
        messageId: "2070443601311540",
        subscription: SUBSCRIPTION,
        attributes: { key: "value" },
        dataBytes: 40,
      },
    });
    assert.equal(server.logs.filter((l) => l.event !== undefined).length, 1);
    const requestLine = await server.waitForLog((l) => l.message === "POST /events 204");
    assert.equal(requestLine.severity, "INFO");
    assert.equal((requestLine.httpRequest as { responseSize: string }).responseSize, "0");
  });

  test("a Cloud Storage notification is logged with its bucket, object and event type", async () => {
    const res = await post(server.port, JSON.stringify(STORAGE_ENVELOPE));
    assert.equal(res.status, 204);

    const line = await server.waitForLog((l) => l.message.startsWith("event 13370001"));
    assert.deepEqual(untimed(line), {
      severity: "INFO",
      message: "event 13370001: OBJECT_FINALIZE gs://runway-uploads/photos/cat.jpg",
      event: {
        messageId: "13370001",
        subscription: "projects/runway-demo/subscriptions/runway-echo-uploads",
        attributes: STORAGE_ATTRIBUTES,
        dataBytes: Buffer.byteLength(OBJECT_JSON),
        storage: { eventType: "OBJECT_FINALIZE", bucket: "runway-uploads", object: "photos/cat.jpg" },
      },
    });
  });

  test("a message with attributes and no data is an event of 0 bytes", async () => {
    const envelope = { message: { attributes: { kind: "ping" }, messageId: "42" }, subscription: SUBSCRIPTION };
    const res = await post(server.port, JSON.stringify(envelope));
    assert.equal(res.status, 204);
    const line = await server.waitForLog((l) => l.message.startsWith("event 42:"));
    assert.deepEqual(untimed(line), {
      severity: "INFO",
      message: "event 42: 0 bytes",
      event: { messageId: "42", subscription: SUBSCRIPTION, attributes: { kind: "ping" }, dataBytes: 0 },
    });
  });

  test("a malformed envelope answers 400 with the reason and logs it as a WARNING", async () => {
    const message = PUBSUB_ENVELOPE.message;
    for (const [body, reason] of [
      ["not json", "body is not JSON"],
      ["[]", "no message"],
      [JSON.stringify({ subscription: SUBSCRIPTION }), "no message"],
      [JSON.stringify({ message: { ...message, messageId: "" }, subscription: SUBSCRIPTION }), "no message.messageId"],
      [JSON.stringify({ message }), "no subscription"],
      [
        JSON.stringify({ message: { ...message, attributes: { n: 1 } }, subscription: SUBSCRIPTION }),
        "message.attributes is not an object of strings",
      ],
      [
        JSON.stringify({ message: { ...message, data: "not base64!" }, subscription: SUBSCRIPTION }),
        "message.data is not base64",
      ],
      [JSON.stringify({ message: { ...message, data: 7 }, subscription: SUBSCRIPTION }), "message.data is not base64"],
    ] as const) {
      const before = server.logs.length;
      const res = await post(server.port, body);
      assert.equal(res.status, 400, body);
      assert.equal(res.body, `malformed event envelope: ${reason}\n`, body);
      await server.waitForLog((l) => server.logs.indexOf(l) >= before && l.message === "POST /events 400");
      // The slice may also hold the request line of an earlier 204, logged once its socket closed.
      const logged = server.logs
        .slice(before)
        .filter((l) => l.message.startsWith("rejected event") || l.message === "POST /events 400")
        .map(untimed);
      assert.deepEqual(logged[0], { severity: "WARNING", message: `rejected event: ${reason}` }, body);
      assert.equal(logged[1]?.severity, "WARNING", body);
      assert.equal(logged.length, 2, body);
    }
  });

  test("/events only accepts POST", async () => {
    const res = await request(server.port, { path: "/events" });
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, "POST");
  });

  test("no output on stderr and every stdout line is JSON", () => {
    assert.equal(server.stderr, "");
    assert.deepEqual(server.nonJsonStdout, []);
  });
});

describe("events during shutdown (real server process)", () => {
  test("an event in flight at SIGTERM is still acknowledged, with Connection: close, before exit 0", async () => {
    const server = await ServerProcess.start();
    const body = JSON.stringify(PUBSUB_ENVELOPE);
    const client = await RawClient.connect(server.port);
    await client.write(
      `POST /events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await client.waitFor("100 Continue");

    server.child.kill("SIGTERM");
    await server.waitForLog((line) => line.message === "draining: SIGTERM received");
    await client.write(body);
    await client.closed;

    const answer = client.received.slice(client.received.indexOf("HTTP/1.1 204"));
    assert.match(answer, /^HTTP\/1\.1 204 No Content\r\n/);
    assert.match(answer, /\r\nConnection: close\r\n/i);
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    assert.ok(server.logs.some((line) => line.message === "event 2070443601311540: 40 bytes"));
    assert.ok(server.logs.some((line) => line.message === "POST /events 204"));
  });
});
