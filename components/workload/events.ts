/**
 * Events (`runway:service.events`), the same on every target. Pure: names, mappings and delivery settings that each
 * target's resources use.
 *
 * The delivery contract, on Cloud Run and on GKE alike: each event is an HTTP POST to the event's `path` on the
 * service, with the Pub/Sub push JSON envelope
 * `{"message": {"data": "<base64>", "attributes": {…}, "messageId": "…", "publishTime": "…"}, "subscription": "…"}`.
 * A 2xx reply acknowledges the event; any other reply, or none within the ack deadline, is retried with exponential
 * backoff (RETRY_POLICY), and after MAX_DELIVERY_ATTEMPTS attempts the event goes to the dead-letter topic runway owns
 * (deadLetterTopicName). A `pubsub` event delivers the messages of a topic runway does not own. A `storage` event
 * delivers a Cloud Storage bucket notification (payload JSON_API_V1, the object resource as `data`) through a topic
 * runway owns, so it arrives as the same envelope with the attributes `eventType` (OBJECT_FINALIZE, OBJECT_DELETE,
 * OBJECT_ARCHIVE, OBJECT_METADATA_UPDATE), `bucketId` and `objectId`
 * (https://cloud.google.com/storage/docs/pubsub-notifications).
 *
 * Why a bucket notification and not an Eventarc trigger: one envelope for both sources and both targets (Eventarc
 * would wrap storage events as CloudEvents, and reach GKE only through its own GKE destination setup); no
 * trigger-location constraint (a Cloud Storage trigger must be in the bucket's location, a notification works from any);
 * and fewer roles (no Eventarc event receiver grant, no Eventarc service agent).
 */
import { createHash } from "node:crypto";
import type { EventConfig, STORAGE_EVENT_TYPES } from "../config/state-schema";
import { fitName, serviceAccountId } from "./naming";
import type { Problem } from "../config/problem";
import type { ServiceConfig } from "../config/schema";

export type StorageEventType = (typeof STORAGE_EVENT_TYPES)[number];

/**
 * The notification event type of each config type: "OBJECT_FINALIZE", "OBJECT_METADATA_UPDATE", "OBJECT_DELETE",
 * "OBJECT_ARCHIVE" (https://cloud.google.com/storage/docs/pubsub-notifications#events; the provider's
 * gcp.storage.Notification eventTypes take the same values).
 */
export const NOTIFICATION_EVENT_TYPES: Readonly<Record<StorageEventType, string>> = {
  finalized: "OBJECT_FINALIZE",
  deleted: "OBJECT_DELETE",
  archived: "OBJECT_ARCHIVE",
  metadataUpdated: "OBJECT_METADATA_UPDATE",
};

/** The object resource as JSON in `data`, so the app needs no second call to read the object's metadata. */
export const NOTIFICATION_PAYLOAD_FORMAT = "JSON_API_V1";

/**
 * "The minimum custom deadline you can specify is 10 seconds. The maximum custom deadline you can specify is 600
 * seconds (10 minutes) … For push delivery, this value is also used to set the request timeout for the call to the
 * push endpoint." (Subscription.ackDeadlineSeconds, https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions)
 */
export const MIN_ACK_DEADLINE_SECONDS = 10;
export const MAX_ACK_DEADLINE_SECONDS = 600;

/**
 * Attempts before an event is dead-lettered: the value must be between 5 and 100 (DeadLetterPolicy.maxDeliveryAttempts,
 * https://cloud.google.com/pubsub/docs/dead-letter-topics). The fewest, so a poison event stops costing requests soon.
 */
export const MAX_DELIVERY_ATTEMPTS = 5;

/**
 * Backoff between attempts, each bound "between 0 and 600 seconds" (RetryPolicy,
 * https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions): Pub/Sub's own defaults (10 s, 600 s),
 * written out because without a retry policy a push subscription retries immediately.
 */
export const RETRY_POLICY = { minimumBackoff: "10s", maximumBackoff: "600s" } as const;

/**
 * Topic and subscription names: "3 to 255 characters" starting with a letter
 * (https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names).
 */
export const PUBSUB_NAME_MAX = 255;

/**
 * The push request is cut at the ack deadline, so the deadline is the service's own request timeout, within Pub/Sub's
 * bounds (a timeout above the maximum is refused by the targets' rules).
 */
export function ackDeadlineSeconds(timeoutSeconds: number): number {
  return Math.min(MAX_ACK_DEADLINE_SECONDS, Math.max(MIN_ACK_DEADLINE_SECONDS, timeoutSeconds));
}

/** The full name `projects/P/topics/T` of a `pubsub` event's topic; a bare id is in the stack's project. */
export function topicName(topic: string, project: string): string {
  return topic.startsWith("projects/") ? topic : `projects/${project}/topics/${topic}`;
}

/** What an event is delivered from: the topic of a `pubsub` event as written, the bucket of a `storage` event. */
function eventSource(event: EventConfig): string {
  return event.source === "pubsub" ? event.topic : event.bucket;
}

/**
 * A name part per event that stays the same when other events are added, removed or reordered (an index would
 * rename, hence replace, the subscriptions after it, and a new subscription does not get the old one's backlog): the
 * topic id or bucket, and a short hash of source, topic or bucket, and path, which tells apart two events of one
 * topic. Duplicates of all three are refused by the targets' rules.
 */
export function eventId(event: EventConfig): string {
  const hash = createHash("sha256")
    .update([event.source, eventSource(event), event.path].join("\n"))
    .digest("hex")
    .slice(0, 6);
  return `${eventSource(event).split("/").at(-1)}-${hash}`;
}

/** The subscription that delivers `event` to the service: `<physical>-<eventId>`. */
export function subscriptionName(physicalName: string, event: EventConfig): string {
  return fitName(physicalName, eventId(event), PUBSUB_NAME_MAX);
}

/** The topic runway owns for a `storage` event's notification: `<physical>-<eventId>-events`. */
export function storageTopicName(physicalName: string, event: EventConfig): string {
  return fitName(physicalName, `${eventId(event)}-events`, PUBSUB_NAME_MAX);
}

/** The topic every subscription of the service dead-letters to, and the subscription that keeps what it receives. */
export function deadLetterTopicName(physicalName: string): string {
  return fitName(physicalName, "dead-letter", PUBSUB_NAME_MAX);
}

/** The account whose OIDC token authenticates each push request; `-push`, beside the workload's `-run`/`-gke`. */
export function pushAccountId(physicalName: string): string {
  return serviceAccountId(physicalName, "push");
}

/** The notification event types of a `storage` event's types, in the config's order. */
export function notificationEventTypes(types: readonly StorageEventType[]): string[] {
  return types.map((type) => NOTIFICATION_EVENT_TYPES[type]);
}

/** The Pub/Sub service agent, which mints the push tokens and forwards dead letters. */
export function pubsubServiceAgent(projectNumber: string): string {
  return `serviceAccount:service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;
}

/**
 * runway's topics and subscriptions start with the physical name, and Pub/Sub refuses names that "begin with goog"
 * (https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names), so a service with events needs another base.
 */
export function pubsubNameProblems(service: ServiceConfig, physicalName: string): Problem[] {
  if (service.events.length === 0 || !physicalName.startsWith("goog")) return [];
  return [
    {
      path: "runway:physicalName",
      message: `${physicalName} starts with goog, which Pub/Sub refuses in topic and subscription names; with service.events set runway:physicalName to a name that does not`,
    },
  ];
}
