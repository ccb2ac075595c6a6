/**
 * Releases on GKE, as KubernetesService registers them under mocks: the stable image as a second Deployment with
 * its own Service, PodDisruptionBudget, NetworkPolicy, InterceptorRoute and ScaledObject, and the load balancer's
 * address (and each tag's Host) on the route of the release that serves it. The mock load balancer's address is
 * 10.128.0.10 (tools/mock-runtime.ts, an internal Service).
 */
import * as k8s from "@pulumi/kubernetes";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import { KubernetesService } from "../../../components/targets/gke/service";
import { runUnderMocks, type Inventory } from "../../../tools/mock-runtime";
import { dependenciesOf, find, findInputs, listing, parentOf } from "../../helpers/inventory";
import { validateKubernetesObjects } from "../../helpers/kubernetes-schemas";

const REPOSITORY = "us-central1-docker.pkg.dev/acme-dev/echo/echo";
const CANDIDATE = `${REPOSITORY}@sha256:${"c".repeat(64)}`;
const V1 = `sha256:${"a".repeat(64)}`;
const OTHER = `europe-docker.pkg.dev/acme-dev/old/echo@sha256:${"d".repeat(64)}`;
const config = { "gcp:project": "acme-dev", "gcp:region": "us-central1" };
const COMPONENT = "runway:index:KubernetesService echo";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const K8S_SERVICE = "kubernetes:core/v1:Service";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const ROUTE = "kubernetes:http.keda.sh/v1beta1:InterceptorRoute";
const SCALER = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const STABLE_LABELS = { "app.kubernetes.io/name": "echo-stable", "runway.dev/release": "stable" };
const CANDIDATE_LABELS = { "app.kubernetes.io/name": "echo" };

/** The stable image's objects, "type name", sorted as listing() sorts. */
const STABLE_OBJECTS = [
  `${DEPLOYMENT} echo-stable-deployment`,
  `${K8S_SERVICE} echo-stable-service`,
  `${ROUTE} echo-stable-route`,
  `${SCALER} echo-stable-scaler`,
  `${NETWORK_POLICY} echo-stable-from-interceptor`,
  `${PDB} echo-stable-pdb`,
];

/** Runs the component for a service with `release`, returning the inventory and its tags output. */
async function inventoryOf(release?: Record<string, unknown>): Promise<Inventory> {
  return runUnderMocks(
    () => {
      const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
      const svc = new KubernetesService("echo", {
        project: "acme-dev",
        service: serviceSchema.parse({ name: "echo", ...(release && { release }) }),
        image: CANDIDATE,
        repository: { project: "acme-dev", location: "us-central1", name: "echo" },
        provider,
      });
      return { url: svc.url, tags: svc.tags };
    },
    { config },
  );
}

/** The custom resource's plain inputs (the InputsByType map has no InterceptorRoute). */
function specOf(inventory: Inventory, type: string, name: string): Record<string, unknown> {
  return find(inventory, type, name).inputs.spec as Record<string, unknown>;
}

/** True when a matchLabels selector selects pods with `labels` (every pair present). */
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);

describe("GKE release: no release block", () => {
  it("registers no stable object, one route on the address and no tags", async () => {
    const inventory = await inventoryOf();
    assert.deepEqual(
      listing(inventory).filter((r) => r.includes("stable")),
      [],
    );
    assert.deepEqual(specOf(inventory, ROUTE, "echo-route").rules, [{ hosts: ["10.128.0.10"] }]);
    assert.deepEqual(inventory.outputs.tags, {});
  });
});

describe("GKE release: a candidateTag without a stable image", () => {
  it("adds the tag's Host to the candidate's route and nothing else", async () => {
    const inventory = await inventoryOf({ candidateTag: "next" });
    assert.deepEqual(listing(inventory), listing(await inventoryOf()));
    assert.deepEqual(specOf(inventory, ROUTE, "echo-route").rules, [
      { hosts: ["10.128.0.10"] },
      { hosts: ["next---10.128.0.10"] },
    ]);
    assert.deepEqual(inventory.outputs.tags, { next: { url: "http://10.128.0.10", host: "next---10.128.0.10" } });
  });
});

describe("GKE release: a canary at 100% with candidateTag, the stable image beside it", () => {
  const release = { stable: V1, candidatePercent: 100, candidateTag: "canary" };

  it("adds exactly the stable image's six objects, all children of the component", async () => {
    const inventory = await inventoryOf(release);
    const base = listing(await inventoryOf());
    assert.deepEqual(listing(inventory), [...base, ...STABLE_OBJECTS].sort());
    for (const object of STABLE_OBJECTS) {
      const [type, name] = object.split(" ") as [string, string];
      assert.equal(parentOf(inventory, find(inventory, type, name)), COMPONENT, object);
    }
  });

  it("runs the stable digest under the candidate's repository, in pods the candidate's selectors do not pick", async () => {
    const inventory = await inventoryOf(release);
    const stable = findInputs(inventory, DEPLOYMENT, "echo-stable-deployment");
    const candidate = findInputs(inventory, DEPLOYMENT, "echo-deployment");
    assert.equal(stable.metadata?.name, "echo-stable");
    assert.equal(stable.spec?.template.spec?.containers[0]?.image, `${REPOSITORY}@${V1}`);
    assert.equal(candidate.spec?.template.spec?.containers[0]?.image, CANDIDATE);
    assert.deepEqual(stable.spec?.selector.matchLabels, { "app.kubernetes.io/name": "echo-stable" });
    assert.deepEqual(stable.spec?.template.metadata?.labels, STABLE_LABELS);
    // The candidate's Deployment keeps its (immutable) selector and its pod labels.
    assert.deepEqual(candidate.spec?.selector.matchLabels, CANDIDATE_LABELS);
    assert.deepEqual(candidate.spec?.template.metadata?.labels, CANDIDATE_LABELS);
    // Same pod spec otherwise: the stable image runs with the current settings.
    const { containers: stableContainers, ...stablePod } = stable.spec?.template.spec ?? { containers: [] };
    const { containers: candidateContainers, ...candidatePod } = candidate.spec?.template.spec ?? { containers: [] };
    assert.deepEqual(stablePod, candidatePod);
    assert.deepEqual(
      stableContainers.map(({ image: _image, ...rest }) => rest),
      candidateContainers.map(({ image: _image, ...rest }) => rest),
    );

    const stablePods = stable.spec?.template.metadata?.labels;
    const candidatePods = candidate.spec?.template.metadata?.labels;
    const candidateSelectors = {
      deployment: candidate.spec?.selector.matchLabels,
      service: findInputs(inventory, K8S_SERVICE, "echo-service").spec?.selector,
      pdb: findInputs(inventory, PDB, "echo-pdb").spec?.selector?.matchLabels,
    };
    for (const [kind, selector] of Object.entries(candidateSelectors)) {
      assert.ok(selects(selector, candidatePods), `the candidate's ${kind} selects its pods`);
      assert.ok(!selects(selector, stablePods), `the candidate's ${kind} does not select the stable pods`);
    }
    const stableService = findInputs(inventory, K8S_SERVICE, "echo-stable-service");
    assert.equal(stableService.metadata?.name, "echo-stable");
    assert.deepEqual(stableService.spec?.selector, { "app.kubernetes.io/name": "echo-stable" });
    const stablePdb = findInputs(inventory, PDB, "echo-stable-pdb");
    assert.equal(stablePdb.metadata?.name, "echo-stable");
    assert.deepEqual(stablePdb.spec, {
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": "echo-stable" } },
    });
  });

  it("admits the interceptor to the stable pods by a policy of their own, the candidate's unchanged", async () => {
    const inventory = await inventoryOf(release);
    const policy = find(inventory, NETWORK_POLICY, "echo-stable-from-interceptor").inputs;
    assert.deepEqual(policy.metadata, {
      name: "echo-stable-from-interceptor",
      namespace: "echo",
      labels: STABLE_LABELS,
    });
    assert.deepEqual(policy.spec, {
      podSelector: { matchLabels: { "app.kubernetes.io/name": "echo-stable" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "keda" } },
              podSelector: {
                matchLabels: {
                  "app.kubernetes.io/component": "interceptor",
                  "app.kubernetes.io/name": "http-add-on",
                  "app.kubernetes.io/instance": "keda-add-ons-http",
                },
              },
            },
          ],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ],
    });
    const without = await inventoryOf();
    assert.deepEqual(
      find(inventory, NETWORK_POLICY, "echo-from-interceptor").inputs,
      find(without, NETWORK_POLICY, "echo-from-interceptor").inputs,
    );
  });

  it("gives the stable Deployment the candidate's dependencies, the stable policy among them", async () => {
    const inventory = await inventoryOf(release);
    const expected = [
      "gcp:projects/iAMMember:IAMMember echo-logging-logWriter",
      "gcp:projects/iAMMember:IAMMember echo-monitoring-metricWriter",
      "gcp:serviceaccount/iAMMember:IAMMember echo-workload-identity",
      "kubernetes:core/v1:Namespace echo-namespace",
      "kubernetes:core/v1:ServiceAccount echo-ksa",
      `${NETWORK_POLICY} echo-deny-ingress`,
      `${NETWORK_POLICY} echo-from-interceptor`,
      `${NETWORK_POLICY} echo-stable-from-interceptor`,
    ];
    assert.deepEqual(dependenciesOf(inventory, find(inventory, DEPLOYMENT, "echo-stable-deployment")), expected);
    assert.deepEqual(dependenciesOf(inventory, find(inventory, DEPLOYMENT, "echo-deployment")), expected);
  });

  it("answers the address and canary---address on the candidate's route; the stable route has no rule", async () => {
    const inventory = await inventoryOf(release);
    assert.deepEqual(specOf(inventory, ROUTE, "echo-route").rules, [
      { hosts: ["10.128.0.10"] },
      { hosts: ["canary---10.128.0.10"] },
    ]);
    const stable = find(inventory, ROUTE, "echo-stable-route").inputs;
    assert.deepEqual(stable.metadata, { name: "echo-stable", namespace: "echo", labels: STABLE_LABELS });
    assert.deepEqual(stable.spec, {
      target: { service: "echo-stable", port: 80 },
      scalingMetric: { concurrency: { targetValue: 80 } },
      timeouts: { request: "300s", responseHeader: "300s", readiness: "600s" },
    });
    assert.deepEqual(inventory.outputs.tags, { canary: { url: "http://10.128.0.10", host: "canary---10.128.0.10" } });
  });

  it("orders the stable route after its Service and the stable ScaledObject after route and Deployment", async () => {
    const inventory = await inventoryOf(release);
    assert.deepEqual(dependenciesOf(inventory, find(inventory, ROUTE, "echo-stable-route")), [
      "kubernetes:core/v1:Namespace echo-namespace",
      `${K8S_SERVICE} echo-stable-service`,
    ]);
    const scaler = find(inventory, SCALER, "echo-stable-scaler");
    assert.deepEqual(dependenciesOf(inventory, scaler), [
      `${DEPLOYMENT} echo-stable-deployment`,
      "kubernetes:core/v1:Namespace echo-namespace",
      `${ROUTE} echo-stable-route`,
    ]);
    assert.deepEqual(scaler.inputs.spec, {
      scaleTargetRef: { name: "echo-stable" },
      minReplicaCount: 0,
      maxReplicaCount: 5,
      cooldownPeriod: 300,
      triggers: [
        {
          type: "external-push",
          metadata: { scalerAddress: "keda-add-ons-http-external-scaler.keda:9090", interceptorRoute: "echo-stable" },
        },
      ],
    });
    assert.deepEqual(specOf(inventory, SCALER, "echo-scaler").scaleTargetRef, { name: "echo" });
  });

  it("passes every object, the stable ones included, through its upstream schema", async () => {
    const checked = validateKubernetesObjects(await inventoryOf(release));
    // The base's 10 objects plus the stable image's 6 (no SecretProviderClass without secrets).
    assert.equal(checked.length, 16);
  });
});

describe("GKE release: a rollback to the stable image (candidatePercent 0) with stableTag", () => {
  const release = { stable: OTHER, candidatePercent: 0, stableTag: "previous" };

  it("moves the address to the stable route and keeps the candidate's route, without rules", async () => {
    const inventory = await inventoryOf(release);
    const candidate = find(inventory, ROUTE, "echo-route").inputs;
    assert.deepEqual(candidate.metadata, { name: "echo", namespace: "echo", labels: CANDIDATE_LABELS });
    assert.deepEqual(candidate.spec, {
      target: { service: "echo", port: 80 },
      scalingMetric: { concurrency: { targetValue: 80 } },
      timeouts: { request: "300s", responseHeader: "300s", readiness: "600s" },
    });
    assert.deepEqual(specOf(inventory, ROUTE, "echo-stable-route").rules, [
      { hosts: ["10.128.0.10"] },
      { hosts: ["previous---10.128.0.10"] },
    ]);
    assert.deepEqual(inventory.outputs.tags, {
      previous: { url: "http://10.128.0.10", host: "previous---10.128.0.10" },
    });
    assert.deepEqual(
      (specOf(inventory, SCALER, "echo-scaler").triggers as { metadata: object }[]).map((t) => t.metadata),
      [{ scalerAddress: "keda-add-ons-http-external-scaler.keda:9090", interceptorRoute: "echo" }],
    );
  });

  it("runs a whole stable reference as written", async () => {
    const inventory = await inventoryOf(release);
    const stable = findInputs(inventory, DEPLOYMENT, "echo-stable-deployment");
    assert.equal(stable.spec?.template.spec?.containers[0]?.image, OTHER);
  });

  it("passes every object through its upstream schema", async () => {
    assert.equal(validateKubernetesObjects(await inventoryOf(release)).length, 16);
  });
});
