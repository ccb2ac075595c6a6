import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ProgramFailure, runUnderMocks, type Registration } from "../../tools/mock-runtime";
import { inputsOf, listing, metadataOf } from "../helpers/inventory";
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

/** The node pool inputs these tests read. */
interface PoolInputs {
  readonly name: string;
  readonly nodeLocations?: readonly string[];
  readonly autoscaling?: object;
  readonly nodeConfig?: {
    readonly machineType?: string;
    readonly labels?: Record<string, string>;
    readonly taints?: readonly object[];
    readonly guestAccelerators?: readonly { readonly type: string; readonly count: number }[];
  };
}

describe("a cluster with several pools", () => {
  const registrations = async () =>
    (await runUnderMocks(scenarios.threeServicesOnThreePools, { config })).resources.filter(
      (r) => r.type !== "pulumi:pulumi:Stack",
    );
  const ofType = (resources: Registration[], type: string) => resources.filter((r) => r.type === type);
  const distinct = (values: readonly unknown[]) => new Set(values.map((v) => JSON.stringify(v))).size === values.length;

  it("creates each pool once with its own ComputeClass, taint and label; the gpu pool keeps its name", async () => {
    const resources = await registrations();
    for (const type of [
      "runway:index:GpuCluster",
      "gcp:container/cluster:Cluster",
      "gcp:compute/network:Network",
      "gcp:serviceaccount/account:Account shared-nodes-sa",
      "pulumi:providers:kubernetes",
      "kubernetes:helm.sh/v4:Chart shared-keda",
      "kubernetes:helm.sh/v4:Chart shared-keda-http",
    ]) {
      const [t, name] = type.split(" ");
      assert.equal(resources.filter((r) => r.type === t && (!name || r.name === name)).length, 1, type);
    }
    const pools = ofType(resources, "gcp:container/nodePool:NodePool").map((r) => r.inputs as unknown as PoolInputs);
    assert.deepEqual(
      ofType(resources, "gcp:container/nodePool:NodePool")
        .map((r) => r.name)
        .sort(),
      ["shared-cpu-pool", "shared-gpu-pool", "shared-system-pool", "shared-t4-pool"],
    );
    const byName = Object.fromEntries(pools.map((p) => [p.name, p]));
    assert.deepEqual(
      byName.t4!.nodeConfig?.guestAccelerators?.map((a) => [a.type, a.count]),
      [["nvidia-tesla-t4", 1]],
    );
    assert.equal(byName.t4!.nodeConfig?.machineType, "n1-standard-4");
    assert.deepEqual(byName.t4!.nodeLocations, ["us-central1-a"]);
    assert.deepEqual(byName.t4!.autoscaling, { minNodeCount: 0, maxNodeCount: 3, locationPolicy: "BALANCED" });
    assert.deepEqual(byName.t4!.nodeConfig?.labels, { "cloud.google.com/compute-class": "runway-t4" });
    assert.deepEqual(byName.t4!.nodeConfig?.taints, [
      { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" },
      { key: "cloud.google.com/compute-class", value: "runway-t4", effect: "NO_SCHEDULE" },
    ]);
    assert.equal(byName.cpu!.nodeConfig?.guestAccelerators, undefined);
    assert.equal(byName.cpu!.nodeLocations, undefined);
    assert.deepEqual(byName.cpu!.nodeConfig?.taints, [
      { key: "cloud.google.com/compute-class", value: "runway-cpu", effect: "NO_SCHEDULE" },
    ]);
    assert.deepEqual(byName.gpu!.nodeConfig?.labels, { "cloud.google.com/compute-class": "runway-gpu" });
    const classes = ofType(resources, "kubernetes:cloud.google.com/v1:ComputeClass").map((r) => [
      r.name,
      (r.inputs.metadata as { name: string }).name,
      (r.inputs.spec as { priorities: { nodepools: string[] }[] }).priorities,
    ]);
    assert.deepEqual(classes.sort(), [
      ["shared-cpu-class", "runway-cpu", [{ nodepools: ["cpu"] }]],
      ["shared-gpu-class", "runway-gpu", [{ nodepools: ["gpu"] }]],
      ["shared-t4-class", "runway-t4", [{ nodepools: ["t4"] }]],
    ]);
    // The provider, and so every Kubernetes object, waits for every pool.
    const provider = ofType(resources, "pulumi:providers:kubernetes")[0]!;
    for (const pool of ofType(resources, "gcp:container/nodePool:NodePool")) {
      assert.ok(provider.dependencies.includes(pool.urn), pool.name);
    }
  });

  it("puts each service on the pool of its GPU, and the CPU service on the CPU pool", async () => {
    const resources = await registrations();
    const scheduling = Object.fromEntries(
      ofType(resources, "kubernetes:apps/v1:Deployment").map((r) => {
        const spec = inputsOf(r, "kubernetes:apps/v1:Deployment").spec?.template.spec;
        return [r.name, { nodeSelector: spec?.nodeSelector, tolerations: spec?.tolerations }];
      }),
    );
    const classToleration = (value: string) => ({
      key: "cloud.google.com/compute-class",
      operator: "Equal",
      value,
      effect: "NoSchedule",
    });
    const gpuToleration = { key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" };
    assert.deepEqual(scheduling, {
      "chat-deployment": {
        nodeSelector: {
          "cloud.google.com/gke-accelerator": "nvidia-l4",
          "cloud.google.com/compute-class": "runway-gpu",
        },
        tolerations: [gpuToleration, classToleration("runway-gpu")],
      },
      "vision-deployment": {
        nodeSelector: {
          "cloud.google.com/gke-accelerator": "nvidia-tesla-t4",
          "cloud.google.com/compute-class": "runway-t4",
        },
        tolerations: [gpuToleration, classToleration("runway-t4")],
      },
      "api-deployment": {
        nodeSelector: { "cloud.google.com/compute-class": "runway-cpu" },
        tolerations: [classToleration("runway-cpu")],
      },
    });
  });

  it("gives each service its own namespace, accounts and grants, and no two objects one name", async () => {
    const resources = await registrations();
    const namespaces = ofType(resources, "kubernetes:core/v1:Namespace").map((r) => metadataOf(r)?.name);
    assert.deepEqual(namespaces.sort(), ["api", "chat", "keda", "vision"]);
    const ksas = ofType(resources, "kubernetes:core/v1:ServiceAccount").map((r) => {
      const m = metadataOf(r);
      return `${m?.namespace}/${m?.name}`;
    });
    assert.deepEqual(ksas.sort(), ["api/api", "chat/chat", "vision/vision"]);
    const accountIds = ofType(resources, "gcp:serviceaccount/account:Account").map((r) => r.inputs.accountId);
    assert.equal(accountIds.length, 4);
    assert.ok(distinct(accountIds), `account ids ${accountIds.join(", ")}`);
    // Workload Identity: each KSA may act only as its own GSA.
    const identities = ofType(resources, "gcp:serviceaccount/iAMMember:IAMMember").map((r) => [
      r.inputs.serviceAccountId,
      r.inputs.member,
    ]);
    assert.equal(identities.length, 3);
    assert.ok(distinct(identities.map(([account]) => account)) && distinct(identities.map(([, member]) => member)));
    // The nodes pull every service's image: one grant per repository, owned by the cluster, so removing a service
    // keeps the others' pulls working.
    assert.deepEqual(
      ofType(resources, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").map((r) => [
        r.name,
        r.parent?.endsWith("runway:index:GpuCluster::shared"),
      ]),
      [["shared-nodes-reader-acme-platform-us-central1-apps", true]],
    );
    // Every IAM grant is its own resource, and no two grant the same thing.
    const grants = resources.filter((r) => /IamMember|iAMMember/.test(r.type));
    assert.ok(distinct(grants.map((r) => r.name)), "IAM member resource names");
    assert.ok(
      distinct(
        grants.map((r) => [
          r.type,
          r.inputs.project,
          r.inputs.role,
          r.inputs.member,
          r.inputs.serviceAccountId,
          r.inputs.repository,
        ]),
      ),
      "IAM grants",
    );
    // Kubernetes objects: one name per kind within each namespace (cluster-scoped ones in ""), and one URN each.
    const objects = resources
      .filter((r) => r.type.startsWith("kubernetes:") && r.custom)
      .map((r) => `${r.type} ${metadataOf(r)?.namespace ?? ""}/${metadataOf(r)?.name}`);
    const duplicates = objects.filter((o, i) => objects.indexOf(o) !== i);
    assert.deepEqual(duplicates, []);
    assert.ok(distinct(resources.map((r) => r.urn)));
  });

  it("a service whose GPU no pool has is refused, naming every GPU the cluster offers", async () => {
    const { message, registered } = await refusal(scenarios.h100ServiceOnPooledCluster);
    assert.equal(
      message,
      [
        "KubernetesService train: the arguments have 1 problem:",
        "  service.gpu.type: nvidia-h100-80gb is not offered by the cluster, which has only nvidia-l4 and nvidia-tesla-t4 nodes; place the service on a cluster with a nvidia-h100-80gb pool",
      ].join("\n"),
    );
    assert.ok(registered.includes("runway:index:GpuCluster shared"));
    assert.ok(!registered.some((r) => r.startsWith("runway:index:KubernetesService")));
  });

  it("40 replicas on two CPU-pool nodes are refused with the pool's path and the fix", async () => {
    const { message, registered } = await refusal(scenarios.fortyReplicasOnTheCpuPool);
    assert.equal(
      message,
      [
        "KubernetesService web: the arguments have 1 problem:",
        "  cluster.pools[1].maxNodes: 2 node(s) × 1 zone(s) × 6 pod(s) per node of e2-standard-4 = 12 pods, fewer than maxInstances 40 + 1 rollout surge = 41; set it to 7 or more",
      ].join("\n"),
    );
    assert.ok(!registered.some((r) => r.startsWith("runway:index:KubernetesService")));
  });

  it("GpuCluster refuses pools with the stack path's rules, each under its key path, before registering anything", async () => {
    assert.deepEqual(await refusal(scenarios.gpuClusterBadPools), {
      message: [
        "GpuCluster shared: the arguments have 7 problems:",
        "  pools[0].machineType: g2-standard-8 is a g2 machine; nvidia-tesla-t4 runs on n1 machines",
        "  pools[1].minNodes: 4 is more than maxNodes (2)",
        "  pools[1].diskType: e2-standard-4 cannot boot from hyperdisk-balanced: its series boots only from pd-balanced or pd-ssd or pd-standard; set one of those, or leave pools[1].diskType out for pd-balanced",
        "  pools[2].name: cpu is already the name of another pool; choose another",
        "  pools[2].gpu.type: us-central1-a does not offer nvidia-tesla-p100; zones that do: us-central1-c, us-central1-f (zone data from before Oct 2025)",
        "  pools[3].name: system is already the name of the cluster's own pool; choose another",
        "  pools[4].gpu.count: no g2 machine type runway knows carries 3 nvidia-l4; use another count or set pools[4].machineType",
      ].join("\n"),
      registered: [],
    });
  });
});
