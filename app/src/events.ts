import { HttpError, type Reply } from "./echo.js";
import { log } from "./logging.js";

// runway delivers Pub/Sub and Cloud Storage events as Pub/Sub push requests:
// https://cloud.google.com/pubsub/docs/push#receive_push
// Cloud Storage notifications are Pub/Sub messages whose attributes name the
// object: https://cloud.google.com/storage/docs/pubsub-notifications
interface PushEvent {
  messageId: string;
  subscription: string;
  attributes: Record<string, string>;
  dataBytes: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === "string");
}

/** The event in a push request body, or the reason the body is not one. */
function parseEnvelope(body: Buffer): PushEvent | string {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body.toString("utf8"));
  } catch {
    return "body is not JSON";
  }
  if (!isRecord(envelope) || !isRecord(envelope.message)) return "no message";
  const { subscription } = envelope;
  // A message without data is valid as long as it has attributes; Pub/Sub then leaves "data" out.
  const { messageId, data = "", attributes = {} } = envelope.message;
  if (typeof messageId !== "string" || messageId === "") return "no message.messageId";
  if (typeof subscription !== "string" || subscription === "") return "no subscription";
  if (!isStringMap(attributes)) return "message.attributes is not an object of strings";
  if (typeof data !== "string") return "message.data is not base64";
  // Buffer.from() skips characters it cannot decode; Pub/Sub sends standard,
  // padded base64, which is exactly what re-encoding gives back.
  const decoded = Buffer.from(data, "base64");
  if (decoded.toString("base64") !== data) return "message.data is not base64";
  return { messageId, subscription, attributes, dataBytes: decoded.length };
}

/** Handles one push request: a 2xx reply acknowledges the message. */
export function receiveEvent(body: Buffer): Reply {
  const event = parseEnvelope(body);
  if (typeof event === "string") {
    log("WARNING", `rejected event: ${event}`);
    // Pub/Sub treats every non-2xx reply alike: it redelivers the message with
    // backoff and, after the maximum delivery attempts (5 on runway's
    // subscriptions), moves it to the dead-letter topic. That is what a poison message should
    // get: a 2xx would acknowledge and silently drop it, and no retry can fix it.
    throw new HttpError(400, `malformed event envelope: ${event}`);
  }
  const { eventType, bucketId, objectId } = event.attributes;
  const storage =
    eventType !== undefined && bucketId !== undefined && objectId !== undefined
      ? { eventType, bucket: bucketId, object: objectId }
      : undefined;
  const what = storage ? `${eventType} gs://${bucketId}/${objectId}` : `${event.dataBytes} bytes`;
  log("INFO", `event ${event.messageId}: ${what}`, { event: { ...event, storage } });
  return { status: 204, body: "" };
}
