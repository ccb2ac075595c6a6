/** GpuClusterArgs.pools: resolving an extra pool's defaults, choosing a service's pool, and the pool's node selector. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterSettings } from "../../../components/targets/gke/cluster-settings";
import { computeClassArgs, extraPoolArgs } from "../../../components/targets/gke/cluster-spec";
import {
  extraPoolProblems,
  gkeServiceProblems,
  poolFor,
  type ClusterPlacement,
} from "../../../components/targets/gke/rules";
import { resolvePool, type PoolArgs } from "../../../components/targets/gke/sizing";
import { gpuScheduling } from "../../../components/targets/gke/workload-spec";
import { serviceSchema, type ServiceInput } from "../../../components/config/schema";

const region = "us-central1";
const L4 = { type: "nvidia-l4", count: 1 };
const gke = clusterSettings(
  { name: "sizing", cpu: "3", memory: "12Gi", gpu: L4, maxInstances: 2 },
  { gpuPool: { maxNodes: 3 }, systemPool: { maxNodes: 2 } },
  region,
);
const service = (input: Partial<ServiceInput>) => serviceSchema.parse({ name: "svc", ...input });

function placementOf(pools: PoolArgs[], gpu: typeof L4 | undefined = L4): ClusterPlacement {
  return {
    settings: gke,
    gpu,
    pools: [
      { name: "system" },
      ...(gpu ? [{ name: "gpu", gpu, computeClass: "runway-gpu", sharing: gke.gpuPool.sharing }] : []),
      ...pools.map((pool, index) => ({
        name: pool.name,
        gpu: pool.gpu,
        computeClass: `runway-${pool.name}`,
        index,
        resolved: resolvePool(gke, pool, region),
      })),
    ],
  };
}

describe("extra node pools", () => {
  it("resolve their defaults from the cluster's settings", () => {
    assert.deepEqual(resolvePool(gke, { name: "t4", gpu: { type: "nvidia-tesla-t4", count: 1 } }, region), {
      name: "t4",
      gpu: { type: "nvidia-tesla-t4", count: 1 },
      machineType: "n1-standard-1",
      minNodes: 0,
      maxNodes: 3,
      spot: false,
      diskSizeGb: 100,
      diskType: "pd-balanced",
      nodeLocations: ["us-central1-a"],
    });
    const cpu = resolvePool(gke, { name: "cpu" }, region);
    assert.equal(cpu.maxNodes, 2);
    assert.equal(cpu.diskSizeGb, undefined);
    assert.deepEqual(cpu.nodeLocations, []);
    assert.ok(cpu.machineType?.startsWith("e2-"));
  });

  it("refuse a name the cluster's own pools use only when those pools exist", () => {
    const pools = [{ name: "gpu" }].map((args) => ({ args, resolved: resolvePool(gke, args, region) }));
    assert.deepEqual(
      extraPoolProblems(gke, L4, pools, region).map((p) => p.path),
      ["pools[0].name"],
    );
    assert.deepEqual(extraPoolProblems(gke, undefined, pools, region), []);
  });

  it("a GPU pool is tainted, in its GPU's zones, and joins its own ComputeClass; a CPU pool only the class", () => {
    const t4 = extraPoolArgs(
      "p",
      gke,
      resolvePool(
        gke,
        { name: "t4", gpu: { type: "nvidia-tesla-t4", count: 2 }, machineType: "n1-standard-8" },
        region,
      ),
      "c",
      "sa",
      undefined,
    );
    assert.equal(t4.name, "t4");
    assert.deepEqual(t4.nodeLocations, ["us-central1-a"]);
    const nodeConfig = t4.nodeConfig as { guestAccelerators?: unknown; labels?: unknown };
    assert.deepEqual(nodeConfig.guestAccelerators, [
      { type: "nvidia-tesla-t4", count: 2, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } },
    ]);
    assert.deepEqual(nodeConfig.labels, { "cloud.google.com/compute-class": "runway-t4" });
    const cpu = extraPoolArgs("p", gke, resolvePool(gke, { name: "batch", spot: true }, region), "c", "sa", undefined);
    assert.equal(cpu.nodeLocations, undefined);
    assert.deepEqual(cpu.autoscaling, { minNodeCount: 0, maxNodeCount: 2, locationPolicy: "ANY" });
    assert.deepEqual(computeClassArgs(gke, "batch").spec.priorities, [{ nodepools: ["batch"] }]);
    assert.equal(computeClassArgs(gke, "batch").metadata.name, "runway-batch");
  });
});

describe("placing a service on a cluster with several pools", () => {
  const pools: PoolArgs[] = [
    { name: "t4", gpu: { type: "nvidia-tesla-t4", count: 1 }, machineType: "n1-standard-4" },
    { name: "t4x2", gpu: { type: "nvidia-tesla-t4", count: 2 }, machineType: "n1-standard-8" },
    { name: "cpu", machineType: "e2-standard-4" },
  ];

  it("picks the pool of the service's GPU type and count, and the first CPU pool without a GPU", () => {
    const placement = placementOf(pools);
    assert.equal(poolFor(service({ gpu: { type: "nvidia-l4" } }), placement)?.name, "gpu");
    assert.equal(poolFor(service({ gpu: { type: "nvidia-tesla-t4" } }), placement)?.name, "t4");
    assert.equal(poolFor(service({ gpu: { type: "nvidia-tesla-t4", count: 2 } }), placement)?.name, "t4x2");
    assert.equal(poolFor(service({}), placement)?.name, "cpu");
    assert.equal(poolFor(service({}), placementOf(pools.slice(0, 2)))?.name, "system");
    assert.equal(poolFor(service({ gpu: { type: "nvidia-tesla-v100" } }), placement), undefined);
  });

  it("checks the service against the pool it lands on, under that pool's key path", () => {
    const placement = placementOf(pools);
    assert.deepEqual(
      gkeServiceProblems(
        service({ cpu: "6", memory: "20Gi", gpu: { type: "nvidia-tesla-t4" }, maxInstances: 1 }),
        "svc",
        placement,
      ),
      [
        {
          path: "runway:cluster.pools[0].machineType",
          message:
            "n1-standard-4 cannot hold cpu 6 / memory 20Gi: a pod may request at most 3.19 vCPU and 11.0Gi memory there",
        },
      ],
    );
    assert.deepEqual(
      gkeServiceProblems(service({ gpu: { type: "nvidia-tesla-t4" }, maxInstances: 5 }), "svc", placement).map(
        (p) => p.path,
      ),
      ["runway:cluster.pools[0].maxNodes"],
    );
    assert.deepEqual(gkeServiceProblems(service({ cpu: "1", memory: "2Gi", maxInstances: 3 }), "svc", placement), []);
  });

  it("selects and tolerates the pool's ComputeClass", () => {
    assert.deepEqual(gpuScheduling(service({}), null, "runway-cpu"), {
      nodeSelector: { "cloud.google.com/compute-class": "runway-cpu" },
      tolerations: [
        { key: "cloud.google.com/compute-class", operator: "Equal", value: "runway-cpu", effect: "NoSchedule" },
      ],
    });
    assert.deepEqual(gpuScheduling(service({ gpu: { type: "nvidia-tesla-t4" } }), null, "runway-t4").nodeSelector, {
      "cloud.google.com/gke-accelerator": "nvidia-tesla-t4",
      "cloud.google.com/compute-class": "runway-t4",
    });
  });
});
