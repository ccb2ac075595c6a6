import { describe, it } from "node:test";
import assert from "node:assert/strict";

import {
  CLOUD_RUN_GPU,
  GPU_TYPES,
  GPU_ZONES,
  MACHINE_TYPES,
  allowedGpuCounts,
  familiesForGpu,
  gpuCountForMachine,
  isGpuType,
  machineFamily,
  machineShape,
  zonesOffering,
} from "../../components/facts/gpus";
import { HOURS_PER_MONTH, PRICES, pricesFor } from "../../components/facts/prices";

describe("machineFamily", () => {
  it("takes the series from the name", () => {
    assert.equal(machineFamily("g2-standard-4"), "g2");
    assert.equal(machineFamily("n1-highmem-8"), "n1");
    assert.equal(machineFamily("a3-megagpu-8g"), "a3");
    assert.equal(machineFamily("c3-standard-4"), "c3");
  });

  it("returns undefined for malformed names", () => {
    assert.equal(machineFamily(""), undefined);
    assert.equal(machineFamily("g2"), undefined);
    assert.equal(machineFamily("G2-standard-4"), undefined);
    assert.equal(machineFamily("-standard-4"), undefined);
  });
});

describe("machineShape", () => {
  it("gives vCPU, GiB and built-in GPUs", () => {
    assert.deepEqual(machineShape("g2-standard-4"), {
      family: "g2",
      vcpu: 4,
      memoryGiB: 16,
      gpus: { type: "nvidia-l4", count: 1 },
    });
    assert.deepEqual(machineShape("n1-standard-4"), { family: "n1", vcpu: 4, memoryGiB: 15 });
    assert.deepEqual(machineShape("a2-ultragpu-1g"), {
      family: "a2",
      vcpu: 12,
      memoryGiB: 170,
      gpus: { type: "nvidia-a100-80gb", count: 1 },
    });
    assert.equal(machineShape("e2-medium")?.sharedCore, true);
  });

  it("returns undefined for unknown types, including Object prototype keys", () => {
    assert.equal(machineShape("g2-standard-5"), undefined);
    assert.equal(machineShape("toString"), undefined);
    assert.equal(machineShape("__proto__"), undefined);
  });

  it("keeps every table entry consistent with its name", () => {
    for (const [name, shape] of Object.entries(MACHINE_TYPES)) {
      assert.equal(machineFamily(name), shape.family, name);
      assert.ok(shape.vcpu > 0 && shape.memoryGiB > 0, name);
    }
  });
});

describe("gpuCountForMachine", () => {
  it("returns the fixed count of accelerator-optimized types", () => {
    assert.equal(gpuCountForMachine("g2-standard-4"), 1);
    assert.equal(gpuCountForMachine("g2-standard-24"), 2);
    assert.equal(gpuCountForMachine("g2-standard-32"), 1);
    assert.equal(gpuCountForMachine("g2-standard-96"), 8);
    assert.equal(gpuCountForMachine("a2-megagpu-16g"), 16);
    assert.equal(gpuCountForMachine("g4-standard-192"), 4);
  });

  it("returns 0 for known types without GPUs and undefined for unknown ones", () => {
    assert.equal(gpuCountForMachine("n1-standard-4"), 0);
    assert.equal(gpuCountForMachine("e2-standard-2"), 0);
    assert.equal(gpuCountForMachine("m3-ultramem-32"), undefined);
  });
});

describe("familiesForGpu", () => {
  it("maps each GPU to the one series that carries it", () => {
    assert.deepEqual(familiesForGpu("nvidia-l4"), ["g2"]);
    assert.deepEqual(familiesForGpu("nvidia-tesla-t4"), ["n1"]);
    assert.deepEqual(familiesForGpu("nvidia-tesla-v100"), ["n1"]);
    assert.deepEqual(familiesForGpu("nvidia-tesla-a100"), ["a2"]);
    assert.deepEqual(familiesForGpu("nvidia-h100-80gb"), ["a3"]);
    assert.deepEqual(familiesForGpu("nvidia-h200-141gb"), ["a3"]);
    assert.deepEqual(familiesForGpu("nvidia-rtx-pro-6000"), ["g4"]);
  });

  it("returns [] for unknown types", () => {
    assert.deepEqual(familiesForGpu("nvidia-tesla-k80"), []);
    assert.deepEqual(familiesForGpu("constructor"), []);
    assert.equal(isGpuType("nvidia-l4"), true);
    assert.equal(isGpuType("hasOwnProperty"), false);
  });
});

describe("GPU_TYPES", () => {
  it("lists the G2 machine types under the L4", () => {
    const info = GPU_TYPES["nvidia-l4"];
    assert.equal(info.family, "g2");
    assert.ok("machineTypes" in info);
    assert.deepEqual(info.machineTypes[0], { machineType: "g2-standard-4", gpuCount: 1, vcpu: 4, memoryGiB: 16 });
    assert.equal(info.machineTypes.length, 8);
  });

  it("gives every accelerator-optimized GPU at least one machine type of its own series", () => {
    for (const [gpu, info] of Object.entries(GPU_TYPES)) {
      if (info.family === "n1") continue;
      assert.ok(info.machineTypes.length > 0, gpu);
      for (const m of info.machineTypes) assert.equal(machineFamily(m.machineType), info.family, m.machineType);
    }
  });
});

describe("allowedGpuCounts", () => {
  it("allows 1, 2 or 4 T4s on small N1 machines", () => {
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-t4", "n1-standard-4"), [1, 2, 4]);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-t4", "n1-highmem-8"), [1, 2, 4]);
  });

  it("applies the per-count vCPU and memory limits", () => {
    // 96 vCPU exceeds the 48-vCPU limit of 1 or 2 T4s.
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-t4", "n1-standard-96"), [4]);
    // One V100 allows at most 12 vCPU.
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-v100", "n1-standard-8"), [1, 2, 4, 8]);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-v100", "n1-standard-16"), [2, 4, 8]);
    // n1-highmem-32 has 208 GiB: over the 156 GiB of one P4, within 2 P4s (312 GiB).
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-p4", "n1-highmem-32"), [2, 4]);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-p100", "n1-standard-2"), [1, 2, 4]);
  });

  it("returns the fixed count on a matching accelerator-optimized type", () => {
    assert.deepEqual(allowedGpuCounts("nvidia-l4", "g2-standard-4"), [1]);
    assert.deepEqual(allowedGpuCounts("nvidia-l4", "g2-standard-48"), [4]);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-a100", "a2-highgpu-8g"), [8]);
  });

  it("returns [] when the GPU and machine do not go together", () => {
    assert.deepEqual(allowedGpuCounts("nvidia-l4", "n1-standard-4"), []);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-t4", "g2-standard-4"), []);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-t4", "e2-standard-4"), []);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-a100", "a2-ultragpu-1g"), []);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-t4", "n1-standard-3"), []);
    assert.deepEqual(allowedGpuCounts("nvidia-tesla-k80", "n1-standard-4"), []);
  });
});

describe("zonesOffering", () => {
  it("lists the zones of a region that offer the GPU", () => {
    assert.deepEqual(zonesOffering("nvidia-l4", "us-central1"), ["us-central1-a", "us-central1-b", "us-central1-c"]);
    assert.deepEqual(zonesOffering("nvidia-tesla-t4", "us-central1"), [
      "us-central1-a",
      "us-central1-b",
      "us-central1-c",
      "us-central1-f",
    ]);
    assert.deepEqual(zonesOffering("nvidia-l4", "us-east4"), ["us-east4-a", "us-east4-c"]);
    assert.deepEqual(zonesOffering("nvidia-h100-80gb", "europe-west4"), ["europe-west4-b", "europe-west4-c"]);
  });

  it("returns [] for unknown regions, absent types and unknown types", () => {
    assert.deepEqual(zonesOffering("nvidia-l4", "mars-central1"), []);
    assert.deepEqual(zonesOffering("nvidia-tesla-v100", "us-east4"), []);
    assert.deepEqual(zonesOffering("nvidia-rtx-pro-6000", "us-central1"), []);
    assert.deepEqual(zonesOffering("nvidia-tesla-k80", "us-central1"), []);
  });

  it("returns a copy the caller may change", () => {
    zonesOffering("nvidia-l4", "us-central1").push("us-central1-z");
    assert.equal(zonesOffering("nvidia-l4", "us-central1").length, 3);
  });

  it("covers the regions runway targets, with zones of that region only", () => {
    const regions = [
      "us-central1",
      "us-east4",
      "us-east1",
      "us-west1",
      "europe-west1",
      "europe-west4",
      "asia-southeast1",
    ];
    for (const region of regions) {
      const byGpu = GPU_ZONES[region];
      assert.ok(byGpu, region);
      for (const zones of Object.values(byGpu)) {
        for (const zone of zones ?? []) assert.match(zone, new RegExp(`^${region}-[a-z]$`));
      }
    }
  });
});

describe("CLOUD_RUN_GPU", () => {
  it("records the L4 and RTX PRO 6000 limits", () => {
    assert.equal(CLOUD_RUN_GPU["nvidia-l4"].minCpu, 4);
    assert.equal(CLOUD_RUN_GPU["nvidia-l4"].minMemoryGiB, 16);
    assert.equal(CLOUD_RUN_GPU["nvidia-l4"].maxPerInstance, 1);
    assert.ok(CLOUD_RUN_GPU["nvidia-l4"].regions.includes("us-central1"));
    assert.equal(CLOUD_RUN_GPU["nvidia-rtx-pro-6000"].launchStage, "PREVIEW");
    assert.equal(CLOUD_RUN_GPU["nvidia-rtx-pro-6000"].minCpu, 20);
    assert.equal(CLOUD_RUN_GPU["nvidia-rtx-pro-6000"].minMemoryGiB, 80);
  });
});

describe("prices", () => {
  it("uses a 730-hour month", () => {
    assert.equal(HOURS_PER_MONTH, 730);
    assert.equal(HOURS_PER_MONTH, (365 * 24) / 12);
  });

  it("returns the us-central1 table", () => {
    const p = pricesFor("us-central1");
    assert.ok(p);
    assert.equal(p.gke.clusterFeeHour.value, 0.1);
    assert.equal(p.cloudRun.requestBased.vcpuSecond.value, 0.000024);
    assert.equal(p.cloudRun.freeTier.requestBased.requests.value, 2_000_000);
    assert.equal(p.compute["g2-standard-4"].onDemand.value, 0.706832255);
    assert.equal(p.compute["g2-standard-4"].onDemand.asOf, "2026-07-30");
    assert.equal(p.n1Gpus["nvidia-tesla-t4"]?.onDemand.value, 0.35);
    assert.equal(p.cloudNat.perGibProcessed.value, 0.045);
    assert.equal(p.artifactRegistry.scanPerImage.value, 0.26);
  });

  it("marks the unconfirmed Cloud Run L4 price", () => {
    assert.equal(pricesFor("us-central1")?.cloudRun.l4GpuSecond.unconfirmed, true);
  });

  it("never guesses an unknown region", () => {
    assert.equal(pricesFor("mars-central1"), undefined);
    assert.equal(pricesFor("us-east1"), undefined);
    assert.equal(pricesFor("toString"), undefined);
  });

  it("dates and sources every figure, and prices only known machine types", () => {
    const walk = (node: unknown, path: string): void => {
      if (node && typeof node === "object" && "value" in node) {
        const f = node as { value: unknown; asOf: unknown; source: unknown };
        assert.equal(typeof f.value, "number", path);
        assert.ok(typeof f.asOf === "string" && f.asOf.length > 0, path);
        assert.ok(typeof f.source === "string" && f.source.startsWith("https://"), path);
        return;
      }
      if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
    };
    for (const [region, table] of Object.entries(PRICES)) {
      walk(table, region);
      for (const machineType of Object.keys(table.compute)) assert.ok(machineShape(machineType), machineType);
      for (const gpu of Object.keys(table.n1Gpus)) assert.deepEqual(familiesForGpu(gpu), ["n1"], gpu);
    }
  });
});
