/**
 * Pulls Pub/Sub messages and delivers each to the app as the push request Cloud Run gets, so the app sees one event
 * contract on both targets. GKE clusters runway creates have no public endpoint, and a push subscription needs a
 * public HTTPS one; a pull subscription needs only egress to pubsub.googleapis.com.
 *
 * Configuration (environment):
 * - FORWARD: JSON list of {subscription: "projects/P/subscriptions/S", url, host}; each message of `subscription` is
 *   POSTed to `url` with that Host header.
 * - ACK_DEADLINE_SECONDS: the subscriptions' ack deadline, which bounds each delivery as it bounds a push request.
 * - PUBSUB_ENDPOINT: Default https://pubsub.googleapis.com (tests point it at a fake).
 * - GCE_METADATA_HOST: the metadata server, the variable Google's auth libraries read for it. Default
 *   metadata.google.internal.
 *
 * No dependencies: node:http for the delivery (fetch may not set Host, a forbidden request header in the Fetch
 * standard), fetch for Google's APIs.
 */
import * as http from "node:http";

/**
 * Up to 10 messages per pull: each is delivered concurrently, and the next pull waits for the slowest, so a larger
 * batch would hold more messages past their deadline behind one slow delivery.
 */
const MAX_MESSAGES = 10;
/** A token is fetched again this long before it expires, so no request leaves with one that expires on the way. */
const TOKEN_MARGIN_MS = 60_000;
/** Failed pulls (quota, outage, missing permission while IAM propagates) back off from 1 s up to 60 s. */
const BACKOFF_MS = { first: 1_000, max: 60_000 };

/**
 * One JSON object per line: GKE ships container stdout to Cloud Logging, which reads `severity` and `message` from
 * it (https://cloud.google.com/logging/docs/structured-logging).
 */
function log(severity, message, fields = {}) {
  process.stdout.write(`${JSON.stringify({ severity, message, ...fields })}\n`);
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const forwards = JSON.parse(required("FORWARD"));
const ackDeadlineMs = Number(required("ACK_DEADLINE_SECONDS")) * 1000;
const pubsubEndpoint = process.env.PUBSUB_ENDPOINT || "https://pubsub.googleapis.com";
const metadataHost = process.env.GCE_METADATA_HOST || "metadata.google.internal";

let token;
/**
 * An access token of the Google service account the pod's Kubernetes service account is bound to. On a node with
 * Workload Identity (GKE_METADATA) "the GKE Metadata Server exposes a metadata API to workloads that is compatible with
 * the V1 Compute Metadata APIs" (GKE API, WorkloadMetadataConfig.Mode), so the Compute Engine token endpoint answers
 * for that account with {access_token, expires_in, token_type}
 * (https://cloud.google.com/compute/docs/access/authenticate-workloads#applications).
 */
async function accessToken() {
  if (token && Date.now() < token.refreshAt) return token.value;
  const response = await fetch(`http://${metadataHost}/computeMetadata/v1/instance/service-accounts/default/token`, {
    headers: { "Metadata-Flavor": "Google" },
  });
  if (!response.ok) throw new Error(`metadata server answered ${response.status}`);
  const body = await response.json();
  token = { value: body.access_token, refreshAt: Date.now() + body.expires_in * 1000 - TOKEN_MARGIN_MS };
  return token.value;
}

/**
 * POST https://pubsub.googleapis.com/v1/{subscription}:{verb} with a JSON body, as the REST reference defines
 * pull, acknowledge and modifyAckDeadline (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions).
 */
async function pubsub(subscription, verb, body, signal) {
  const response = await fetch(`${pubsubEndpoint}/v1/${subscription}:${verb}`, {
    method: "POST",
    headers: { authorization: `Bearer ${await accessToken()}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw new Error(`${verb} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The status the app answers a push request with, or undefined when it did not answer within the deadline. */
function deliver(target, envelope) {
  const url = new URL(target.url);
  const body = JSON.stringify(envelope);
  return new Promise((resolve) => {
    const request = http.request(
      url,
      {
        method: "POST",
        headers: { host: target.host, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        signal: AbortSignal.timeout(ackDeadlineMs),
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
        response.on("error", () => resolve(undefined));
      },
    );
    request.on("error", () => resolve(undefined));
    request.end(body);
  });
}

/**
 * One message: the wrapped JSON body Pub/Sub POSTs to a push endpoint, {message, subscription}
 * (https://cloud.google.com/pubsub/docs/push, "How push endpoints receive messages"), with the PubsubMessage as pulled
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/PubsubMessage): both APIs use the same JSON form of it, and
 * a message without data has no `data` in either, so it passes unchanged. A 2xx acknowledges it; anything else, or no answer within the deadline, sets its deadline to
 * 0, a NACK, which counts as a delivery attempt towards the dead-letter policy's maxDeliveryAttempts: "The number of
 * delivery attempts is defined as 1 + (the sum of number of NACKs and number of times the acknowledgement deadline
 * has been exceeded for the message). A NACK is any call to ModifyAckDeadline with a 0 deadline."
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions#deadletterpolicy). Pub/Sub then
 * redelivers it after the subscription's retry policy's backoff.
 */
async function handle(target, received) {
  const { ackId, message } = received;
  const envelope = { message, subscription: target.subscription };
  const status = await deliver(target, envelope);
  const fields = { subscription: target.subscription, messageId: message.messageId, status: status ?? null };
  if (status !== undefined && status >= 200 && status < 300) {
    await pubsub(target.subscription, "acknowledge", { ackIds: [ackId] });
    log("INFO", "delivered", fields);
  } else {
    await pubsub(target.subscription, "modifyAckDeadline", { ackIds: [ackId], ackDeadlineSeconds: 0 });
    log("WARNING", "delivery failed; message returned for retry", fields);
  }
}

const stopping = new AbortController();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Pulls until SIGTERM. A pull without messages is held open by Pub/Sub (returnImmediately is not set, as the reference
 * recommends), so an idle loop costs one request at a time. SIGTERM aborts the waiting pull (messages Pub/Sub sent on
 * it just then come back after their deadline); deliveries already running finish and are acknowledged or returned.
 */
async function run(target) {
  let backoff = BACKOFF_MS.first;
  while (!stopping.signal.aborted) {
    let received;
    try {
      ({ receivedMessages: received = [] } = await pubsub(
        target.subscription,
        "pull",
        { maxMessages: MAX_MESSAGES },
        stopping.signal,
      ));
      backoff = BACKOFF_MS.first;
    } catch (error) {
      if (stopping.signal.aborted) break;
      log("ERROR", "pull failed", { subscription: target.subscription, error: String(error), retryInMs: backoff });
      await sleep(backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MS.max);
      continue;
    }
    const results = await Promise.allSettled(received.map((message) => handle(target, message)));
    for (const result of results) {
      // An acknowledge or NACK that failed leaves the message to its deadline, after which Pub/Sub redelivers it.
      if (result.status === "rejected") {
        log("ERROR", "acknowledgement failed", { subscription: target.subscription, error: String(result.reason) });
      }
    }
  }
}

process.on("SIGTERM", () => {
  log("INFO", "SIGTERM: no more pulls, finishing deliveries in flight");
  stopping.abort();
});

log("INFO", "forwarding", { subscriptions: forwards.map((f) => f.subscription), ackDeadlineMs });
await Promise.all(forwards.map(run));
log("INFO", "stopped");
