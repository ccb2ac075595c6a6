/**
 * Events on Cloud Run: the resources CloudRunService adds for one pubsub and one storage event (run under Pulumi's
 * mocks), their grants and subscription inputs, and the rules, cost line and plan text that go with them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import { estimateMonthlyCost } from "../../../components/cost/estimate";
import { cloudRunApis } from "../../../components/targets/cloudrun/apis";
import { CloudRunService } from "../../../components/targets/cloudrun/service";
import { cloudRunKeySettings } from "../../../components/targets/cloudrun/summary";
import { runUnderMocks, type Inventory } from "../../../tools/mock-runtime";
import { problemsOf, validConfig } from "../../helpers/config";
import { dependenciesOf, find, listing, parentOf } from "../../helpers/inventory";

const IMAGE = `us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:${"c".repeat(64)}`;
const COMPONENT = "runway:index:CloudRunService echo";
const EVENTS = [
  { source: "pubsub", topic: "orders" },
  { source: "storage", bucket: "acme-uploads", types: ["finalized", "deleted"], path: "/uploads" },
];

// The mock runtime's stand-in Cloud Storage agent (tools/mock-runtime.ts).
const STORAGE_AGENT = "service-123456789012@gs-project-accounts.iam.gserviceaccount.com";

async function inventoryOf(events: readonly unknown[], extra: Record<string, unknown> = {}): Promise<Inventory> {
  return runUnderMocks(
    () => {
      const run = new CloudRunService("echo", {
        project: "acme-dev",
        region: "us-central1",
        service: serviceSchema.parse({ name: "echo", events, ...extra }),
        image: IMAGE,
      });
      return { url: run.url };
    },
    { config: { "gcp:project": "acme-dev", "gcp:region": "us-central1" } },
  );
}

const APIS = [
  "gcp:projects/service:Service echo-iam-api",
  "gcp:projects/service:Service echo-pubsub-api",
  "gcp:projects/service:Service echo-run-api",
  "gcp:projects/service:Service echo-storage-api",
];
const PUBSUB_AGENT = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
const PUSH_EMAIL = "echo-push@acme-dev.iam.gserviceaccount.com";

describe("CloudRunService with a pubsub and a storage event", () => {
  it("adds exactly the delivery resources, all children of the component", async () => {
    const inventory = await inventoryOf(EVENTS);
    assert.deepEqual(listing(inventory), [
      "gcp:cloudrunv2/service:Service echo-service",
      "gcp:cloudrunv2/serviceIamMember:ServiceIamMember echo-push-invoker",
      "gcp:projects/iAMMember:IAMMember echo-logging-logWriter",
      "gcp:projects/iAMMember:IAMMember echo-monitoring-metricWriter",
      "gcp:projects/service:Service echo-cloudresourcemanager-api",
      "gcp:projects/service:Service echo-iam-api",
      "gcp:projects/service:Service echo-pubsub-api",
      "gcp:projects/service:Service echo-run-api",
      "gcp:projects/service:Service echo-storage-api",
      "gcp:pubsub/subscription:Subscription echo-acme-uploads-df6467",
      "gcp:pubsub/subscription:Subscription echo-dead-letter-sub",
      "gcp:pubsub/subscription:Subscription echo-orders-61bc29",
      "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember echo-acme-uploads-df6467-subscriber",
      "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember echo-orders-61bc29-subscriber",
      "gcp:pubsub/topic:Topic echo-acme-uploads-df6467-topic",
      "gcp:pubsub/topic:Topic echo-dead-letter",
      "gcp:pubsub/topicIAMMember:TopicIAMMember echo-acme-uploads-df6467-storage-publisher",
      "gcp:pubsub/topicIAMMember:TopicIAMMember echo-dead-letter-publisher",
      "gcp:serviceaccount/account:Account echo-push-sa",
      "gcp:serviceaccount/account:Account echo-sa",
      "gcp:serviceaccount/iAMMember:IAMMember echo-push-token-creator",
      "gcp:storage/notification:Notification echo-acme-uploads-df6467-notification",
      COMPONENT,
      "runway:index:ProjectApis echo",
    ]);
    for (const r of inventory.resources.filter((r) => r.custom && r.type !== "gcp:projects/service:Service")) {
      assert.equal(parentOf(inventory, r), COMPONENT, r.name);
    }
    assert.ok(inventory.calls.includes("gcp:organizations/getProject:getProject"));
    assert.ok(inventory.calls.includes("gcp:storage/getProjectServiceAccount:getProjectServiceAccount"));
  });

  it("orders each resource after exactly what it needs", async () => {
    const inventory = await inventoryOf(EVENTS);
    const deps = (type: string, name: string) => dependenciesOf(inventory, find(inventory, type, name));
    assert.deepEqual(deps("gcp:storage/notification:Notification", "echo-acme-uploads-df6467-notification"), [
      ...APIS,
      "gcp:pubsub/topic:Topic echo-acme-uploads-df6467-topic",
      "gcp:pubsub/topicIAMMember:TopicIAMMember echo-acme-uploads-df6467-storage-publisher",
    ]);
    assert.deepEqual(deps("gcp:pubsub/subscription:Subscription", "echo-orders-61bc29"), [
      "gcp:cloudrunv2/service:Service echo-service",
      "gcp:cloudrunv2/serviceIamMember:ServiceIamMember echo-push-invoker",
      ...APIS,
      "gcp:pubsub/topic:Topic echo-dead-letter",
      "gcp:pubsub/topicIAMMember:TopicIAMMember echo-dead-letter-publisher",
      "gcp:serviceaccount/account:Account echo-push-sa",
      "gcp:serviceaccount/iAMMember:IAMMember echo-push-token-creator",
    ]);
    assert.deepEqual(deps("gcp:pubsub/subscription:Subscription", "echo-acme-uploads-df6467"), [
      "gcp:cloudrunv2/service:Service echo-service",
      "gcp:cloudrunv2/serviceIamMember:ServiceIamMember echo-push-invoker",
      ...APIS,
      "gcp:pubsub/topic:Topic echo-acme-uploads-df6467-topic",
      "gcp:pubsub/topic:Topic echo-dead-letter",
      "gcp:pubsub/topicIAMMember:TopicIAMMember echo-dead-letter-publisher",
      "gcp:serviceaccount/account:Account echo-push-sa",
      "gcp:serviceaccount/iAMMember:IAMMember echo-push-token-creator",
    ]);
    assert.deepEqual(deps("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "echo-push-invoker"), [
      "gcp:cloudrunv2/service:Service echo-service",
      ...APIS,
      "gcp:serviceaccount/account:Account echo-push-sa",
    ]);
    assert.deepEqual(deps("gcp:serviceaccount/account:Account", "echo-push-sa"), APIS);
    assert.deepEqual(deps("gcp:pubsub/topic:Topic", "echo-dead-letter"), APIS);
  });

  it("grants each role on one resource to one member", async () => {
    const inventory = await inventoryOf(EVENTS);
    const grants = inventory.resources
      .filter((r) => /IamMember|IAMMember/.test(r.type) && r.type !== "gcp:projects/iAMMember:IAMMember")
      .map((r) => ({ resource: r.name, ...r.inputs }))
      .sort((a, b) => a.resource.localeCompare(b.resource));
    assert.deepEqual(grants, [
      {
        resource: "echo-acme-uploads-df6467-storage-publisher",
        project: "acme-dev",
        topic: "echo-push-acme-uploads-df6467-events",
        role: "roles/pubsub.publisher",
        member: `serviceAccount:${STORAGE_AGENT}`,
      },
      {
        resource: "echo-acme-uploads-df6467-subscriber",
        project: "acme-dev",
        subscription: "echo-push-acme-uploads-df6467",
        role: "roles/pubsub.subscriber",
        member: PUBSUB_AGENT,
      },
      {
        resource: "echo-dead-letter-publisher",
        project: "acme-dev",
        topic: "echo-push-dead-letter",
        role: "roles/pubsub.publisher",
        member: PUBSUB_AGENT,
      },
      {
        resource: "echo-orders-61bc29-subscriber",
        project: "acme-dev",
        subscription: "echo-push-orders-61bc29",
        role: "roles/pubsub.subscriber",
        member: PUBSUB_AGENT,
      },
      {
        resource: "echo-push-invoker",
        project: "acme-dev",
        location: "us-central1",
        name: "echo",
        role: "roles/run.invoker",
        member: `serviceAccount:${PUSH_EMAIL}`,
      },
      {
        resource: "echo-push-token-creator",
        serviceAccountId: `projects/acme-dev/serviceAccounts/${PUSH_EMAIL}`,
        role: "roles/iam.serviceAccountTokenCreator",
        member: PUBSUB_AGENT,
      },
    ]);
  });

  it("pushes each event to its path with the invoker's token, dead-lettering after 5 attempts", async () => {
    const inventory = await inventoryOf(EVENTS);
    const push = (path: string) => ({
      pushEndpoint: `https://echo-mock.a.run.app${path}`,
      oidcToken: { serviceAccountEmail: PUSH_EMAIL, audience: "https://echo-mock.a.run.app" },
    });
    const common = {
      project: "acme-dev",
      ackDeadlineSeconds: 300, // the default timeoutSeconds
      retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
      deadLetterPolicy: { deadLetterTopic: "projects/acme-dev/topics/echo-push-dead-letter", maxDeliveryAttempts: 5 },
      expirationPolicy: { ttl: "" },
    };
    assert.deepEqual(find(inventory, "gcp:pubsub/subscription:Subscription", "echo-orders-61bc29").inputs, {
      ...common,
      name: "echo-push-orders-61bc29",
      topic: "projects/acme-dev/topics/orders",
      pushConfig: push("/events"),
    });
    assert.deepEqual(find(inventory, "gcp:pubsub/subscription:Subscription", "echo-acme-uploads-df6467").inputs, {
      ...common,
      name: "echo-push-acme-uploads-df6467",
      topic: "projects/acme-dev/topics/echo-push-acme-uploads-df6467-events",
      pushConfig: push("/uploads"),
    });
    assert.deepEqual(find(inventory, "gcp:pubsub/subscription:Subscription", "echo-dead-letter-sub").inputs, {
      project: "acme-dev",
      name: "echo-push-dead-letter",
      topic: "projects/acme-dev/topics/echo-push-dead-letter",
      expirationPolicy: { ttl: "" },
    });
    assert.deepEqual(find(inventory, "gcp:pubsub/topic:Topic", "echo-dead-letter").inputs, {
      project: "acme-dev",
      name: "echo-push-dead-letter",
    });
  });

  it("notifies the storage event's topic of exactly its object events, as JSON_API_V1", async () => {
    const inventory = await inventoryOf(EVENTS);
    assert.deepEqual(
      find(inventory, "gcp:storage/notification:Notification", "echo-acme-uploads-df6467-notification").inputs,
      {
        bucket: "acme-uploads",
        topic: "projects/acme-dev/topics/echo-push-acme-uploads-df6467-events",
        payloadFormat: "JSON_API_V1",
        eventTypes: ["OBJECT_FINALIZE", "OBJECT_DELETE"],
      },
    );
    assert.deepEqual(find(inventory, "gcp:pubsub/topic:Topic", "echo-acme-uploads-df6467-topic").inputs, {
      project: "acme-dev",
      name: "echo-push-acme-uploads-df6467-events",
    });
  });

  it("takes the ack deadline from timeoutSeconds, at least Pub/Sub's 10 s", async () => {
    const inventory = await inventoryOf([EVENTS[0]], { timeoutSeconds: 5 });
    assert.equal(
      find(inventory, "gcp:pubsub/subscription:Subscription", "echo-orders-61bc29").inputs.ackDeadlineSeconds,
      10,
    );
  });

  it("subscribes to a topic of another project by its full name, and needs no storage API or agent", async () => {
    const inventory = await inventoryOf([{ source: "pubsub", topic: "projects/acme-shared/topics/orders" }]);
    const subscriptions = inventory.resources.filter((r) => r.type === "gcp:pubsub/subscription:Subscription");
    assert.deepEqual(
      subscriptions.map((s) => [s.name, s.inputs.topic]),
      [
        ["echo-dead-letter-sub", "projects/acme-dev/topics/echo-push-dead-letter"],
        ["echo-orders-35b87c", "projects/acme-shared/topics/orders"],
      ],
    );
    assert.ok(!listing(inventory).includes("gcp:projects/service:Service echo-storage-api"));
    assert.ok(!inventory.calls.includes("gcp:storage/getProjectServiceAccount:getProjectServiceAccount"));
  });
});

describe("CloudRunService without events", () => {
  it("adds no Pub/Sub resource, API or project lookup", async () => {
    const inventory = await inventoryOf([]);
    assert.deepEqual(
      listing(inventory).filter((r) => /pubsub|storage|push/.test(r)),
      [],
    );
    assert.deepEqual(inventory.calls, []);
    assert.deepEqual(cloudRunApis(serviceSchema.parse({ name: "echo" })), ["run.googleapis.com", "iam.googleapis.com"]);
  });
});

const stack = (service: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  "gcp:project": "acme-dev",
  "gcp:region": "us-central1",
  "runway:target": "cloudrun",
  "runway:service": { name: "echo", ...service },
  ...extra,
});

describe("Cloud Run event rules", () => {
  it("refuses a request timeout longer than Pub/Sub's longest ack deadline", () => {
    assert.deepEqual(problemsOf(stack({ timeoutSeconds: 900, events: [EVENTS[0]] })), [
      "runway:service.timeoutSeconds: 900 s is more than Pub/Sub's maximum ack deadline of 600 s, at which each event's push request is cut; with service.events use at most 600",
    ]);
    assert.deepEqual(problemsOf(stack({ timeoutSeconds: 600, events: [EVENTS[0]] })), []);
    assert.deepEqual(problemsOf(stack({ timeoutSeconds: 900 })), []);
  });

  it("refuses the same topic or bucket twice on one path", () => {
    assert.deepEqual(
      problemsOf(
        stack({
          events: [
            { source: "pubsub", topic: "orders" },
            { source: "pubsub", topic: "orders", path: "/other" },
            { source: "pubsub", topic: "orders", path: "/events" },
            { source: "storage", bucket: "acme-uploads" },
            { source: "storage", bucket: "acme-uploads", types: ["deleted"] },
          ],
        }),
      ),
      [
        "runway:service.events[2]: repeats service.events[0] (topic orders, path /events): each would be delivered twice; list a topic or bucket once per path",
        "runway:service.events[4]: repeats service.events[3] (bucket acme-uploads, path /events): each would be delivered twice; list a topic or bucket once per path",
      ],
    );
  });
});

describe("Cloud Run event cost", () => {
  const line = { item: "Pub/Sub event delivery", usd: 0 };
  it("is $0 idle, and not estimated under load, which has no event volume", () => {
    const estimate = estimateMonthlyCost(
      validConfig(
        stack({ events: [EVENTS[0]] }, { "runway:load": { requestsPerMonth: 1000, avgRequestSeconds: 0.1 } }),
      ),
    );
    assert.deepEqual(
      estimate.idle.lines.filter((l) => l.item === line.item),
      [{ ...line, basis: "no events while idle; ingestion and delivery are $40/TiB after 10 GiB free a month" }],
    );
    assert.deepEqual(
      estimate.underLoad?.lines.filter((l) => l.item === line.item),
      [{ ...line, basis: "events not in runway:load; ingestion and delivery are $40/TiB after 10 GiB free a month" }],
    );
  });

  it("has no line without events", () => {
    const estimate = estimateMonthlyCost(validConfig(stack({})));
    assert.deepEqual(
      estimate.idle.lines.filter((l) => l.item === line.item),
      [],
    );
  });
});

describe("Cloud Run event plan text", () => {
  it("says where a subscription pushes, its deadline and its dead letters; and a notification's bucket and events", async () => {
    const inventory = await inventoryOf(EVENTS);
    const text = (type: string, name: string) => {
      const settings = cloudRunKeySettings[type];
      assert.ok(settings);
      return settings(find(inventory, type, name).inputs);
    };
    assert.deepEqual(text("gcp:pubsub/subscription:Subscription", "echo-orders-61bc29"), [
      "subscription echo-push-orders-61bc29 of projects/acme-dev/topics/orders",
      `push to /events as ${PUSH_EMAIL}`,
      "ack deadline 300 s",
      "retry backoff 10s..600s",
      "dead letter after 5 attempts to projects/acme-dev/topics/echo-push-dead-letter",
    ]);
    assert.deepEqual(text("gcp:pubsub/subscription:Subscription", "echo-dead-letter-sub"), [
      "subscription echo-push-dead-letter of projects/acme-dev/topics/echo-push-dead-letter",
      "pull",
    ]);
    assert.deepEqual(text("gcp:storage/notification:Notification", "echo-acme-uploads-df6467-notification"), [
      "bucket acme-uploads",
      "events OBJECT_FINALIZE, OBJECT_DELETE",
      "to projects/acme-dev/topics/echo-push-acme-uploads-df6467-events",
      "payload JSON_API_V1",
    ]);
    assert.deepEqual(text("gcp:pubsub/topicIAMMember:TopicIAMMember", "echo-dead-letter-publisher"), [
      `roles/pubsub.publisher → ${PUBSUB_AGENT}`,
    ]);
  });
});
