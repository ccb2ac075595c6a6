import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { machineShape, type MachineShape } from "../../../components/facts/gpus";
import { serviceSchema } from "../../../components/config/schema";
import { gkeKeySettings } from "../../../components/targets/gke/summary";
import {
  GPU_NODE_DAEMONSETS,
  GPU_NODE_DAEMONSET_REQUESTS,
  SYSTEM_NODE_DAEMONSET_REQUESTS,
  allocatable,
  defaultGpuMachineType,
  podCapacity,
} from "../../../components/targets/gke/sizing";
import { estimateMonthlyCost } from "../../../components/cost/estimate";
import { validConfig, type Raw } from "../../helpers/config";

function shape(machineType: string): MachineShape {
  const found = machineShape(machineType);
  if (!found) throw new Error(`no shape for ${machineType}`);
  return found;
}

describe("GPU node sizing", () => {
  it("counts GKE's DaemonSets on a GPU node line by line", () => {
    // CPU: 105 fluentbit + 21 metrics agent + 100 metadata server + 8 netd + 10 pdcsi + 10 ip-masq
    // + 205 anetd + 150 device plugin + 5 GMP collector + 70 CSI driver + 50 GCP provider = 734m.
    // Memory: 230 + 145 + 100 + 65 + 20 + 16 + 200 + 80 + 35 + 140 + 100 = 1131Mi.
    assert.deepEqual(GPU_NODE_DAEMONSET_REQUESTS, { cpuMillis: 734, memoryMiB: 1131 });
    // The same without the device plugin (150m / 80Mi) on system nodes.
    assert.deepEqual(SYSTEM_NODE_DAEMONSET_REQUESTS, { cpuMillis: 584, memoryMiB: 1051 });
    assert.equal(GPU_NODE_DAEMONSETS.length, 11);
    assert.ok(GPU_NODE_DAEMONSETS.every((ds) => ds.source.length > 0));
  });

  it("reproduces the allocatable of a measured GKE node (n2-standard-4, 1.36.3-gke.1767000)", () => {
    const node = allocatable(shape("n2-standard-4"), "gpu");
    // kubectl describe node: allocatable cpu 3920m, memory 13591652Ki = 13272.9 MiB.
    assert.ok(Math.abs(node.cpu - 3.92) < 1e-9, String(node.cpu));
    assert.ok(Math.abs(node.memoryMiB - 13591652 / 1024) < 1, String(node.memoryMiB));
  });

  it("leaves a g2-standard-4 pod 3.19 vCPU / 11.9Gi and a g2-standard-8 pod 7.18 vCPU / 26.5Gi", () => {
    // g2-standard-4: 4 − (0.06 + 0.01 + 2 × 0.005) = 3.92 − 0.734 = 3.186 vCPU. Memory: capacity 16380004Ki =
    // 15996.10 MiB = 15.6212 GiB; reserved 1 + 0.8 + 0.1 × 7.6212 = 2.5621 GiB = 2623.61 MiB + 100 = 2723.61;
    // 15996.10 − 2723.61 − 1131 = 12141.49 MiB.
    const g2x4 = podCapacity(shape("g2-standard-4"), "gpu");
    assert.ok(Math.abs(g2x4.cpu - 3.186) < 1e-9, String(g2x4.cpu));
    assert.ok(Math.abs(g2x4.memoryMiB - 12141.49) < 0.01, String(g2x4.memoryMiB));
    // g2-standard-8: 8 − (0.06 + 0.01 + 0.01 + 4 × 0.0025) = 7.91 − 0.734 = 7.176 vCPU. Memory: 32 GiB × 16380004 /
    // 16777216 = 31992.20 MiB = 31.2424 GiB; reserved 1 + 0.8 + 0.8 + 0.06 × 15.2424 = 3.5145 GiB = 3598.89 MiB
    // + 100 = 3698.89; 31992.20 − 3698.89 − 1131 = 27162.30 MiB.
    const g2x8 = podCapacity(shape("g2-standard-8"), "gpu");
    assert.ok(Math.abs(g2x8.cpu - 7.176) < 1e-9, String(g2x8.cpu));
    assert.ok(Math.abs(g2x8.memoryMiB - 27162.3) < 0.01, String(g2x8.memoryMiB));
  });

  it("no longer puts a 3 vCPU / 12Gi L4 pod on a g2-standard-4, and the prod pod fits its g2-standard-8", () => {
    const l4 = (cpu: string, memory: string) =>
      defaultGpuMachineType(serviceSchema.parse({ name: "x", cpu, memory, gpu: { type: "nvidia-l4" } }));
    assert.equal(l4("3", "12Gi"), "g2-standard-8");
    assert.equal(l4("3", "11Gi"), "g2-standard-4");
    // Pulumi.prod.yaml: cpu 4, memory 16Gi on g2-standard-8.
    assert.equal(l4("4", "16Gi"), "g2-standard-8");
  });

  it("the plan shows what a GPU node leaves pods, and the cost notes the pod's fit", () => {
    const inputs = {
      nodeConfig: { machineType: "g2-standard-8", guestAccelerators: [{ count: 1, type: "nvidia-l4" }] },
    };
    assert.equal(
      gkeKeySettings["gcp:container/nodePool:NodePool"]?.(inputs).at(-1),
      "pods get up to 7.18 vCPU / 26.5Gi per node (after GKE's reservations and 734m / 1131Mi of DaemonSets)",
    );
    const stack: Raw = {
      "gcp:project": "acme-prod",
      "gcp:region": "us-central1",
      "runway:target": "gke",
      "runway:service": { name: "echo", cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, maxInstances: 3 },
      "runway:gke": { location: "us-central1-a", gpuPool: { machineType: "g2-standard-8" } },
    };
    const notes = estimateMonthlyCost(validConfig(stack)).notes;
    assert.ok(
      notes.includes(
        "GPU node fit: a pod requests 4 vCPU / 16Gi; a g2-standard-8 gives pods 7.18 vCPU / 26.5Gi after GKE's " +
          "reservations and 734m / 1131Mi of DaemonSets (sizing.ts GPU_NODE_DAEMONSETS; part of it is runway's " +
          "conservative estimate).",
      ),
      notes.join("\n"),
    );
  });
});
