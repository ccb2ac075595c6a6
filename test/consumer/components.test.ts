import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ProgramFailure, runUnderMocks, type Registration } from "../../tools/mock-runtime";
import { listing } from "../helpers/inventory";
import { scenarios } from "./program";

const config = { "gcp:project": "acme-platform", "gcp:region": "us-central1" };

/** Runs one scenario; resolves with its refusal message and what had been registered by then. */
async function refusal(scenario: () => void): Promise<{ message: string; registered: string[] }> {
  try {
    await runUnderMocks(scenario, { config });
  } catch (failure) {
    assert.ok(failure instanceof ProgramFailure);
    assert.equal((failure.cause as Error).constructor.name, "RunError"); // printed without a stack trace
    const types = (failure.resources as Registration[]).filter((r) => r.type !== "pulumi:pulumi:Stack");
    return { message: failure.message, registered: types.map((r) => `${r.type} ${r.name}`).sort() };
  }
  assert.fail("the scenario was not refused");
}

describe("components used from another program", () => {
  it("the consumer imports runway through the public entry only", () => {
    const source = fs.readFileSync(path.join(__dirname, "program.ts"), "utf8");
    const imports = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(imports, ["../../components"]);
  });

  it("CloudRunService refuses Cloud Run's limits before registering anything", async () => {
    assert.deepEqual(await refusal(scenarios.cloudRunTooMuchMemory), {
      message: [
        "CloudRunService api: the arguments have 1 problem:",
        "  service.memory: 64Gi is more than Cloud Run's maximum of 32Gi",
      ].join("\n"),
      registered: [],
    });
  });

  it("reports schema mistakes and limit mistakes together, as the stack path does", async () => {
    const { message, registered } = await refusal(scenarios.cloudRunBadShape);
    assert.equal(
      message,
      [
        "CloudRunService api: the arguments have 3 problems:",
        "  service.name: must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 49 characters",
        "  service.port: must be a TCP port from 1 to 65535",
        "  service.cpu: 3 is not a Cloud Run CPU value; use 0.08 to 1, or 1, 2, 4, 6, 8",
      ].join("\n"),
    );
    assert.deepEqual(registered, []);
  });

  it("ContainerService decides like target: auto and refuses a zone in another region", async () => {
    assert.deepEqual(await refusal(scenarios.containerServiceAutoT4BadZone), {
      message: [
        "ContainerService infer: the arguments have 1 problem:",
        "  gke.location: europe-west4-a is not in region us-central1; use us-central1 or one of its zones",
      ].join("\n"),
      registered: [],
    });
  });

  it("GpuCluster refuses a GPU on a machine series that cannot carry it", async () => {
    assert.deepEqual(await refusal(scenarios.gpuClusterWrongMachine), {
      message: [
        "GpuCluster shared: the arguments have 1 problem:",
        "  gke.gpuPool.machineType: e2-standard-4 is a e2 machine; nvidia-l4 runs on g2 machines",
      ].join("\n"),
      registered: [],
    });
  });

  it("GpuCluster refuses MPS sharing, as the stack path does", async () => {
    assert.deepEqual(await refusal(scenarios.gpuClusterMps), {
      message: [
        "GpuCluster shared: the arguments have 1 problem:",
        "  gke.gpuPool.sharing.strategy: MPS needs hostIPC: true on the pod, which both Pod Security Standards runway enforces (restricted, baseline: gke.podSecurity) forbid; use TIME_SHARING",
      ].join("\n"),
      registered: [],
    });
  });

  it("a T4 service on an L4-only cluster is refused with the fix, and only the cluster was registered", async () => {
    const { message, registered } = await refusal(scenarios.t4ServiceOnL4Cluster);
    assert.equal(
      message,
      [
        "KubernetesService t4: the arguments have 1 problem:",
        "  service.gpu.type: nvidia-tesla-t4 is not offered by the cluster, which has only nvidia-l4 nodes; place the service on a cluster with a nvidia-tesla-t4 pool",
      ].join("\n"),
    );
    assert.ok(registered.includes("runway:index:GpuCluster shared"));
    assert.ok(!registered.some((r) => r.startsWith("runway:index:KubernetesService")));
  });

  it("40 replicas that the cluster's system pool cannot hold at its maximum are refused", async () => {
    const { message, registered } = await refusal(scenarios.fortyReplicasOnTwoSmallNodes);
    assert.equal(
      message,
      [
        "KubernetesService web: the arguments have 1 problem:",
        // 1360m + 41 × 500m = 21860m over e2-standard-4's 3336m for pods: 7 nodes.
        "  cluster.systemPool.maxNodes: 2 node(s) × 1 zone(s) of e2-standard-4 cannot hold maxInstances 40 + 1 rollout surge = 41 pods beside runway's add-ons and GKE's own pods, which need 7 node(s); set it to 7 or more, or leave it out to derive it",
      ].join("\n"),
    );
    assert.ok(!registered.some((r) => r.startsWith("runway:index:KubernetesService")));
  });

  it("two services share one cluster, each with its own namespace and account", async () => {
    const inventory = await runUnderMocks(scenarios.twoServicesOnOneCluster, { config });
    const names = listing(inventory);
    assert.deepEqual(
      names.filter((n) => /Namespace|serviceaccount\/account|runway:index:(GpuCluster|KubernetesService)/.test(n)),
      [
        "gcp:serviceaccount/account:Account a-gsa",
        "gcp:serviceaccount/account:Account b-gsa",
        "gcp:serviceaccount/account:Account shared-nodes-sa",
        "kubernetes:core/v1:Namespace a-namespace",
        "kubernetes:core/v1:Namespace b-namespace",
        "kubernetes:core/v1:Namespace shared-keda",
        "runway:index:GpuCluster shared",
        "runway:index:KubernetesService a",
        "runway:index:KubernetesService b",
      ],
    );
    assert.deepEqual(inventory.outputs, { a: "a", b: "b" });
  });
});
