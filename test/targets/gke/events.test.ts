import * as k8s from "@pulumi/kubernetes";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { systemPoolPodRequests } from "../../../components/targets/gke/sizing";
import { problemsOf } from "../../helpers/config";
import { serviceSchema, type ServiceConfig } from "../../../components/config/schema";
import { targetDifferences } from "../../../components/targets";
import {
  forwardTargets,
  forwarderDeploymentArgs,
  gkeEventProblems,
  INTERCEPTOR_PROXY,
} from "../../../components/targets/gke/events";
import { KubernetesService } from "../../../components/targets/gke/service";
import { ProgramFailure, runUnderMocks, type Inventory, type Registration } from "../../../tools/mock-runtime";
import { assertChildrenOf, dependenciesOf, find, findInputs, listing } from "../../helpers/inventory";
import { validateKubernetesObjects, validateObject } from "../../helpers/kubernetes-schemas";

const IMAGE = `us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:${"c".repeat(64)}`;
const REPOSITORY = { project: "acme-dev", location: "us-central1", name: "echo" };
const COMPONENT = "runway:index:KubernetesService echo";
const PUBSUB_AGENT = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
const FORWARDER_GSA = "echo-dev-fwd@acme-dev.iam.gserviceaccount.com";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SUBSCRIPTION = "gcp:pubsub/subscription:Subscription";
const TOPIC = "gcp:pubsub/topic:Topic";
const SUBSCRIPTION_IAM = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember";
const TOPIC_IAM = "gcp:pubsub/topicIAMMember:TopicIAMMember";
const NOTIFICATION = "gcp:storage/notification:Notification";
const IMAGE_TYPE = "docker:index/image:Image";
// The events' name parts (workload/events.ts eventId): the topic id or bucket, and a hash of source, it and path.
const ORDERS = "orders-be83d8";
const UPLOADS = "acme-uploads-fec911";

const EVENTS = [
  { source: "pubsub", topic: "orders", path: "/events/orders" },
  { source: "storage", bucket: "acme-uploads", types: ["finalized", "deleted"] },
];
const serviceOf = (fields: Record<string, unknown> = {}): ServiceConfig =>
  serviceSchema.parse({ name: "echo", events: EVENTS, ...fields });

async function inventoryOf(service: ServiceConfig): Promise<Inventory> {
  return runUnderMocks(
    () => {
      const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
      new KubernetesService("echo", {
        project: "acme-dev",
        service,
        image: IMAGE,
        repository: REPOSITORY,
        physicalName: "echo-dev",
        provider,
      });
    },
    { config: { "gcp:project": "acme-dev", "gcp:region": "us-central1" } },
  );
}

/** The forwarder Deployment's one container; throws when it has none. */
function forwarderContainer(inventory: Inventory) {
  const container = findInputs(inventory, DEPLOYMENT, "echo-forwarder").spec?.template.spec?.containers[0];
  if (!container) throw new Error("the forwarder has no container");
  return container;
}

const EVENT_LISTING = [
  "docker:index/image:Image echo-forwarder-image",
  "gcp:projects/service:Service echo-pubsub-api",
  "gcp:projects/service:Service echo-storage-api",
  `${SUBSCRIPTION} echo-${ORDERS}`,
  `${SUBSCRIPTION} echo-${UPLOADS}`,
  `${SUBSCRIPTION} echo-dead-letter-sub`,
  `${SUBSCRIPTION_IAM} echo-${ORDERS}-forwarder`,
  `${SUBSCRIPTION_IAM} echo-${ORDERS}-subscriber`,
  `${SUBSCRIPTION_IAM} echo-${UPLOADS}-forwarder`,
  `${SUBSCRIPTION_IAM} echo-${UPLOADS}-subscriber`,
  `${TOPIC} echo-${UPLOADS}-topic`,
  `${TOPIC} echo-dead-letter`,
  `${TOPIC_IAM} echo-${UPLOADS}-storage-publisher`,
  `${TOPIC_IAM} echo-dead-letter-publisher`,
  "gcp:serviceaccount/account:Account echo-forwarder-sa",
  "gcp:serviceaccount/iAMMember:IAMMember echo-forwarder-workload-identity",
  `${NOTIFICATION} echo-${UPLOADS}-notification`,
  `${DEPLOYMENT} echo-forwarder`,
  "kubernetes:core/v1:ServiceAccount echo-forwarder-ksa",
];

describe("KubernetesService with a Pub/Sub and a Cloud Storage event", () => {
  it("adds exactly the subscriptions, topics, grants, notification and forwarder, as its children", async () => {
    const withEvents = await inventoryOf(serviceOf());
    const without = await inventoryOf(serviceOf({ events: [] }));
    assert.deepEqual(listing(withEvents), [...listing(without), ...EVENT_LISTING].sort());
    assertChildrenOf(
      withEvents,
      COMPONENT,
      withEvents.resources.filter((r) => r.custom && r.type !== "pulumi:providers:kubernetes"),
    );
    // The app's own objects are the same with or without events.
    const appObjects = (inventory: Inventory) =>
      inventory.resources.filter((r) => r.type.startsWith("kubernetes:") && !r.name.startsWith("echo-forwarder"));
    assert.deepEqual(
      appObjects(withEvents).map((r) => [r.name, r.inputs]),
      appObjects(without).map((r) => [r.name, r.inputs]),
    );
  });

  it("creates pull subscriptions (no pushConfig) with the Cloud Run side's deadline, retries and dead-lettering", async () => {
    const inventory = await inventoryOf(serviceOf());
    const delivery = {
      ackDeadlineSeconds: 300,
      deadLetterPolicy: {
        deadLetterTopic: "projects/acme-dev/topics/echo-dev-pull-dead-letter",
        maxDeliveryAttempts: 5,
      },
      expirationPolicy: { ttl: "" },
      project: "acme-dev",
      retryPolicy: { maximumBackoff: "600s", minimumBackoff: "10s" },
    };
    assert.deepEqual(find(inventory, SUBSCRIPTION, `echo-${ORDERS}`).inputs, {
      ...delivery,
      name: `echo-dev-pull-${ORDERS}`,
      topic: "projects/acme-dev/topics/orders",
    });
    assert.deepEqual(find(inventory, SUBSCRIPTION, `echo-${UPLOADS}`).inputs, {
      ...delivery,
      name: `echo-dev-pull-${UPLOADS}`,
      topic: `projects/acme-dev/topics/echo-dev-pull-${UPLOADS}-events`,
    });
    assert.deepEqual(find(inventory, SUBSCRIPTION, "echo-dead-letter-sub").inputs, {
      expirationPolicy: { ttl: "" },
      name: "echo-dev-pull-dead-letter",
      project: "acme-dev",
      topic: "projects/acme-dev/topics/echo-dev-pull-dead-letter",
    });
    assert.deepEqual(find(inventory, TOPIC, "echo-dead-letter").inputs, {
      name: "echo-dev-pull-dead-letter",
      project: "acme-dev",
    });
    assert.deepEqual(find(inventory, TOPIC, `echo-${UPLOADS}-topic`).inputs, {
      name: `echo-dev-pull-${UPLOADS}-events`,
      project: "acme-dev",
    });
    assert.deepEqual(find(inventory, NOTIFICATION, `echo-${UPLOADS}-notification`).inputs, {
      bucket: "acme-uploads",
      eventTypes: ["OBJECT_FINALIZE", "OBJECT_DELETE"],
      payloadFormat: "JSON_API_V1",
      topic: `projects/acme-dev/topics/echo-dev-pull-${UPLOADS}-events`,
    });
  });

  it("grants the forwarder subscriber on each subscription only, and the service agents what dead-lettering and notifications need", async () => {
    const inventory = await inventoryOf(serviceOf());
    const grant = (r: Registration) => ({ type: r.type, name: r.name, ...r.inputs });
    const grants = inventory.resources
      .filter(
        (r) =>
          /IAMMember$/i.test(r.type) && !["echo-logging-logWriter", "echo-monitoring-metricWriter"].includes(r.name),
      )
      .filter((r) => r.name !== "echo-workload-identity")
      .map(grant)
      .sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(grants, [
      {
        type: SUBSCRIPTION_IAM,
        name: `echo-${UPLOADS}-forwarder`,
        project: "acme-dev",
        role: "roles/pubsub.subscriber",
        subscription: `echo-dev-pull-${UPLOADS}`,
        member: `serviceAccount:${FORWARDER_GSA}`,
      },
      {
        type: TOPIC_IAM,
        name: `echo-${UPLOADS}-storage-publisher`,
        project: "acme-dev",
        role: "roles/pubsub.publisher",
        topic: `echo-dev-pull-${UPLOADS}-events`,
        // The project's Cloud Storage service agent (the mock runtime's stand-in of gcp.storage.getProjectServiceAccount).
        member: "serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com",
      },
      {
        type: SUBSCRIPTION_IAM,
        name: `echo-${UPLOADS}-subscriber`,
        project: "acme-dev",
        role: "roles/pubsub.subscriber",
        subscription: `echo-dev-pull-${UPLOADS}`,
        member: PUBSUB_AGENT,
      },
      {
        type: TOPIC_IAM,
        name: "echo-dead-letter-publisher",
        project: "acme-dev",
        role: "roles/pubsub.publisher",
        topic: "echo-dev-pull-dead-letter",
        member: PUBSUB_AGENT,
      },
      {
        type: "gcp:serviceaccount/iAMMember:IAMMember",
        name: "echo-forwarder-workload-identity",
        serviceAccountId: `projects/acme-dev/serviceAccounts/${FORWARDER_GSA}`,
        role: "roles/iam.workloadIdentityUser",
        member: "serviceAccount:acme-dev.svc.id.goog[echo/echo-forwarder]",
      },
      {
        type: SUBSCRIPTION_IAM,
        name: `echo-${ORDERS}-forwarder`,
        project: "acme-dev",
        role: "roles/pubsub.subscriber",
        subscription: `echo-dev-pull-${ORDERS}`,
        member: `serviceAccount:${FORWARDER_GSA}`,
      },
      {
        type: SUBSCRIPTION_IAM,
        name: `echo-${ORDERS}-subscriber`,
        project: "acme-dev",
        role: "roles/pubsub.subscriber",
        subscription: `echo-dev-pull-${ORDERS}`,
        member: PUBSUB_AGENT,
      },
    ]);
    assert.ok(inventory.calls.includes("gcp:storage/getProjectServiceAccount:getProjectServiceAccount"));
    assert.deepEqual(find(inventory, "gcp:serviceaccount/account:Account", "echo-forwarder-sa").inputs, {
      accountId: "echo-dev-fwd",
      displayName: "Pub/Sub forwarder of GKE service echo-dev (runway)",
      project: "acme-dev",
    });
  });

  it("orders delivery after the grants and routes, and the notification after its publisher grant", async () => {
    const inventory = await inventoryOf(serviceOf());
    const apis = [
      "gcp:projects/service:Service echo-iam-api",
      "gcp:projects/service:Service echo-pubsub-api",
      "gcp:projects/service:Service echo-storage-api",
    ];
    assert.deepEqual(dependenciesOf(inventory, find(inventory, DEPLOYMENT, "echo-forwarder")), [
      `${IMAGE_TYPE} echo-forwarder-image`,
      `${SUBSCRIPTION_IAM} echo-${UPLOADS}-forwarder`,
      `${SUBSCRIPTION_IAM} echo-${UPLOADS}-subscriber`,
      `${SUBSCRIPTION_IAM} echo-${ORDERS}-forwarder`,
      `${SUBSCRIPTION_IAM} echo-${ORDERS}-subscriber`,
      `${TOPIC_IAM} echo-dead-letter-publisher`,
      "gcp:serviceaccount/iAMMember:IAMMember echo-forwarder-workload-identity",
      "kubernetes:core/v1:Namespace echo-namespace",
      "kubernetes:core/v1:Service echo-entry",
      "kubernetes:core/v1:ServiceAccount echo-forwarder-ksa",
      "kubernetes:http.keda.sh/v1beta1:InterceptorRoute echo-route",
    ]);
    assert.deepEqual(dependenciesOf(inventory, find(inventory, NOTIFICATION, `echo-${UPLOADS}-notification`)), [
      ...apis,
      `${TOPIC} echo-${UPLOADS}-topic`,
      `${TOPIC_IAM} echo-${UPLOADS}-storage-publisher`,
    ]);
    assert.deepEqual(dependenciesOf(inventory, find(inventory, SUBSCRIPTION, `echo-${ORDERS}`)), [
      ...apis,
      `${TOPIC} echo-dead-letter`,
      `${TOPIC_IAM} echo-dead-letter-publisher`,
    ]);
  });

  it("builds forwarder/ into the app's repository and runs it by digest, with FORWARD naming each subscription", async () => {
    const inventory = await inventoryOf(serviceOf());
    const image = find(inventory, IMAGE_TYPE, "echo-forwarder-image").inputs;
    assert.equal(image.imageName, "us-central1-docker.pkg.dev/acme-dev/echo/echo-dev-forwarder:latest");
    assert.deepEqual(image.build, {
      context: "forwarder",
      dockerfile: "forwarder/Dockerfile",
      platform: "linux/amd64",
    });
    const container = forwarderContainer(inventory);
    assert.match(
      String(container.image),
      /^us-central1-docker\.pkg\.dev\/acme-dev\/echo\/echo-dev-forwarder@sha256:[0-9a-f]{64}$/,
    );
    // The interceptor's proxy Service, and the internal load balancer's address (mock: 10.128.0.10) as the route's Host.
    const forward = [
      {
        subscription: `projects/acme-dev/subscriptions/echo-dev-pull-${ORDERS}`,
        url: "http://keda-add-ons-http-interceptor-proxy.keda:8080/events/orders",
        host: "10.128.0.10",
      },
      {
        subscription: `projects/acme-dev/subscriptions/echo-dev-pull-${UPLOADS}`,
        url: "http://keda-add-ons-http-interceptor-proxy.keda:8080/events",
        host: "10.128.0.10",
      },
    ];
    assert.deepEqual(container.env, [
      { name: "ACK_DEADLINE_SECONDS", value: "300" },
      { name: "FORWARD", value: JSON.stringify(forward) },
    ]);
  });

  it("runs one hardened forwarder pod under its own account, which the app's selectors do not pick", async () => {
    const inventory = await inventoryOf(serviceOf());
    assert.ok(validateKubernetesObjects(inventory).includes(DEPLOYMENT));
    const deployment = findInputs(inventory, DEPLOYMENT, "echo-forwarder");
    validateObject(DEPLOYMENT, deployment);
    const { containers, ...pod } = deployment.spec?.template.spec ?? { containers: [] };
    assert.deepEqual(pod, {
      serviceAccountName: "echo-forwarder",
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 302,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        seccompProfile: { type: "RuntimeDefault" },
      },
    });
    const [container] = containers;
    assert.deepEqual(container?.resources, {
      requests: { cpu: "50m", memory: "128Mi" },
      limits: { cpu: "50m", memory: "128Mi" },
    });
    assert.deepEqual(container?.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.equal(deployment.spec?.replicas, 1);
    assert.deepEqual(deployment.spec?.selector, { matchLabels: { "app.kubernetes.io/name": "echo-forwarder" } });
    assert.deepEqual(deployment.spec?.template.metadata?.labels, { "app.kubernetes.io/name": "echo-forwarder" });
    assert.deepEqual(findInputs(inventory, "kubernetes:core/v1:ServiceAccount", "echo-forwarder-ksa"), {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: "echo-forwarder",
        namespace: "echo",
        labels: { "app.kubernetes.io/name": "echo-forwarder" },
        annotations: { "iam.gke.io/gcp-service-account": FORWARDER_GSA },
      },
      automountServiceAccountToken: false,
    });
  });
});

describe("GKE event builders and rules", () => {
  it("sends through the interceptor's proxy Service, as the chart names it", () => {
    assert.deepEqual(INTERCEPTOR_PROXY, { service: "keda-add-ons-http-interceptor-proxy", port: 8080 });
    assert.deepEqual(forwardTargets(serviceOf({ events: [EVENTS[0]] }), "acme-dev", "echo", "203.0.113.10"), [
      {
        subscription: `projects/acme-dev/subscriptions/echo-pull-${ORDERS}`,
        url: "http://keda-add-ons-http-interceptor-proxy.keda:8080/events/orders",
        host: "203.0.113.10",
      },
    ]);
  });

  it("bounds the grace period by the ack deadline: the service's timeout, at least 10 s", () => {
    const grace = (timeoutSeconds: number) =>
      forwarderDeploymentArgs({
        service: serviceOf({ timeoutSeconds }),
        namespace: "echo",
        image: IMAGE,
        forward: "[]",
      }).spec as { template: { spec: { terminationGracePeriodSeconds: number } } };
    assert.equal(grace(5).template.spec.terminationGracePeriodSeconds, 12);
    assert.equal(grace(600).template.spec.terminationGracePeriodSeconds, 602);
  });

  it("refuses events without an Artifact Registry repository", () => {
    assert.deepEqual(gkeEventProblems(serviceOf({ events: [] }), undefined), []);
    assert.deepEqual(gkeEventProblems(serviceOf(), REPOSITORY), []);
    assert.deepEqual(gkeEventProblems(serviceOf(), undefined), [
      {
        path: "service.events",
        message:
          "on GKE need the image in an Artifact Registry repository (LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/…): the event forwarder's image is pushed there",
      },
    ]);
  });

  it("refuses, on the stack path, a timeout above the ack deadline and a placeholder cold start with events", () => {
    assert.deepEqual(
      problemsOf({
        "gcp:project": "acme-dev",
        "gcp:region": "us-central1",
        "runway:target": "gke",
        "runway:service": {
          name: "echo",
          timeoutSeconds: 900,
          events: [{ source: "pubsub", topic: "orders" }],
        },
        "runway:gke": { coldStartResponse: "placeholder" },
      }),
      [
        "runway:service.timeoutSeconds: must be at most 600 with events: Pub/Sub's longest ack deadline bounds each delivery",
        "runway:gke.coldStartResponse: placeholder answers 503 while the service starts from zero, and each 503 counts as a delivery attempt: events would reach the dead-letter topic after 5 attempts during a cold start; use hold with service.events",
      ],
    );
  });

  it("is how KubernetesService refuses events for an image outside Artifact Registry", async () => {
    const program = () => {
      const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
      new KubernetesService("echo", {
        project: "acme-dev",
        service: serviceOf(),
        image: `ghcr.io/acme/echo@sha256:${"c".repeat(64)}`,
        provider,
      });
    };
    await assert.rejects(runUnderMocks(program, { config: { "gcp:project": "acme-dev" } }), (error: unknown) => {
      assert.ok(error instanceof ProgramFailure);
      assert.match(error.message, /service\.events: on GKE need the image in an Artifact Registry repository/);
      return true;
    });
  });

  it("says the forwarder is always on", () => {
    assert.ok(
      targetDifferences("gke", serviceOf()).includes(
        "events are pulled by a forwarder pod that is always on (1 replica, 50m CPU / 128Mi on the system pool, within its node's cost) and POSTed through the interceptor, where Cloud Run's subscriptions push",
      ),
    );
    assert.equal(
      targetDifferences("gke", serviceOf({ events: [] })).some((d) => d.startsWith("events")),
      false,
    );
  });
});

describe("the forwarder on the system pool", () => {
  it("adds its 50m / 128Mi to what the system pool's nodes must hold, only with events", () => {
    const without = systemPoolPodRequests(serviceOf({ events: [] }));
    const withEvents = systemPoolPodRequests(serviceOf());
    assert.deepEqual(
      { cpuMillis: withEvents.cpuMillis - without.cpuMillis, memoryMiB: withEvents.memoryMiB - without.memoryMiB },
      { cpuMillis: 50, memoryMiB: 128 },
    );
  });
});
