/** The target-neutral event helpers (components/workload/events.ts) that Cloud Run's and GKE's resources share. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { problemsOf } from "../../helpers/config";
import { eventsSchema } from "../../../components/config/state-schema";
import {
  ackDeadlineSeconds,
  deadLetterTopicName,
  eventId,
  MAX_DELIVERY_ATTEMPTS,
  notificationEventTypes,
  pubsubServiceAgent,
  pushAccountId,
  RETRY_POLICY,
  storageTopicName,
  subscriptionName,
  topicName,
} from "../../../components/workload/events";

const [orders, ordersElsewhere, ordersOnOtherPath, uploads] = eventsSchema.parse([
  { source: "pubsub", topic: "orders" },
  { source: "pubsub", topic: "projects/acme-shared/topics/orders" },
  { source: "pubsub", topic: "orders", path: "/orders" },
  { source: "storage", bucket: "acme-uploads", types: ["finalized", "deleted"], path: "/uploads" },
]);
if (!orders || !ordersElsewhere || !ordersOnOtherPath || !uploads) throw new Error("four events expected");

describe("event names", () => {
  it("name each event after its topic id or bucket and a hash of source, topic or bucket, and path", () => {
    assert.deepEqual([orders, ordersElsewhere, ordersOnOtherPath, uploads].map(eventId), [
      "orders-61bc29",
      "orders-35b87c",
      "orders-d31a02",
      "acme-uploads-df6467",
    ]);
    assert.equal(subscriptionName("echo-dev", orders), "echo-dev-orders-61bc29");
    assert.equal(storageTopicName("echo-dev", uploads), "echo-dev-acme-uploads-df6467-events");
    assert.equal(deadLetterTopicName("echo-dev"), "echo-dev-dead-letter");
  });

  it("keep an event's names when other events come and go", () => {
    const [alone] = eventsSchema.parse([{ source: "pubsub", topic: "orders" }]);
    assert.ok(alone);
    assert.equal(subscriptionName("echo-dev", alone), "echo-dev-orders-61bc29");
  });

  it("give the push account the -push role suffix, cut to 30 characters like every account id", () => {
    assert.equal(pushAccountId("echo-dev"), "echo-dev-push");
    assert.equal(pushAccountId("a-very-long-service-name-for-events"), "a-very-long-service-d52e-push");
  });
});

describe("event delivery settings", () => {
  it("take the ack deadline from the request timeout, within 10..600 s", () => {
    assert.deepEqual([1, 10, 300, 600, 3600].map(ackDeadlineSeconds), [10, 10, 300, 600, 600]);
  });

  it("retry from 10 s to 600 s and dead-letter after 5 attempts", () => {
    assert.deepEqual(RETRY_POLICY, { minimumBackoff: "10s", maximumBackoff: "600s" });
    assert.equal(MAX_DELIVERY_ATTEMPTS, 5);
  });

  it("map config types to Cloud Storage's notification event types", () => {
    assert.deepEqual(notificationEventTypes(["finalized", "deleted", "archived", "metadataUpdated"]), [
      "OBJECT_FINALIZE",
      "OBJECT_DELETE",
      "OBJECT_ARCHIVE",
      "OBJECT_METADATA_UPDATE",
    ]);
  });

  it("put a bare topic id in the stack's project and keep a full name", () => {
    assert.equal(topicName("orders", "acme-dev"), "projects/acme-dev/topics/orders");
    assert.equal(topicName("projects/acme-shared/topics/orders", "acme-dev"), "projects/acme-shared/topics/orders");
  });

  it("name the Pub/Sub service agent by the project number", () => {
    assert.equal(
      pubsubServiceAgent("123456789012"),
      "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com",
    );
  });
});

describe("names with events", () => {
  it("refuses a physical name Pub/Sub would refuse as a prefix", () => {
    assert.deepEqual(
      problemsOf({
        "gcp:project": "acme-dev",
        "gcp:region": "us-central1",
        "runway:target": "cloudrun",
        "runway:physicalName": "google-echo",
        "runway:service": { name: "echo", events: [{ source: "pubsub", topic: "orders" }] },
      }),
      [
        "runway:physicalName: google-echo starts with goog, which Pub/Sub refuses in topic and subscription names; with service.events set runway:physicalName to a name that does not",
      ],
    );
  });
});
