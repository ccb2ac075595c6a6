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
import { PRICES, pricesFor } from "../../components/facts/prices";
import { problemsOf, validConfig, type Raw } from "../helpers/config";

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

describe("the GPU machine type a GKE stack gets for one L4", () => {
  // G2 shapes (facts/gpus.ts [machinetypes], a dump of `gcloud compute machine-types list`): g2-standard-4 is 4 vCPU /
  // 16 GiB, g2-standard-8 is 8 vCPU / 32 GiB, g2-standard-12 is 12 vCPU / 48 GiB, each with 1 L4. What a pod may
  // request is the machine less GKE's reservations
  // (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes#memory_and_cpu_reservations: CPU 6% of
  // the first core, 1% of the next, 0.5% of the next 2, 0.25% above 4; memory 25% of the first 4 GiB, 20% of the next
  // 4, 10% of the next 8, 6% of the next 112, plus 100 MiB for eviction) and runway's 0.3 vCPU / 512 MiB system pods:
  //   g2-standard-4: 4 − (0.06 + 0.01 + 0.01) − 0.3 = 3.62 vCPU;
  //                  16,384 MiB − 1024 × (1 + 0.8 + 0.8) − 100 − 512 = 13,109.6 MiB
  //   g2-standard-8: 8 − (0.06 + 0.01 + 0.01 + 0.01) − 0.3 = 7.61 vCPU
  function gpuMachineFor(service: Raw): string | undefined {
    const { decision } = validConfig({
      "gcp:project": "acme-prod",
      "gcp:region": "us-central1",
      "runway:target": "gke",
      "runway:service": { name: "infer", gpu: { type: "nvidia-l4" }, maxInstances: 3, ...service },
    });
    assert.ok(decision.target === "gke");
    return decision.settings.gpuMachineType;
  }

  // What a g2-standard-4 leaves pods (sizing.ts): 3.92 − 0.734 DaemonSets = 3.186 vCPU, 12141.49 MiB.
  it("is g2-standard-4 up to what it holds: 3.18 vCPU, 11.85Gi = 12,134.4 MiB ≤ 12,141.49", () => {
    assert.equal(gpuMachineFor({ cpu: "3.18", memory: "11.85Gi" }), "g2-standard-4");
    assert.equal(gpuMachineFor({ cpu: "3.19", memory: "11.85Gi" }), "g2-standard-8");
  });

  it("is g2-standard-8 for 4 vCPU / 16Gi, Cloud Run's L4 minimum: 4 > 3.186", () => {
    assert.equal(gpuMachineFor({ cpu: "4", memory: "16Gi" }), "g2-standard-8");
  });

  it("is g2-standard-12 for 8 vCPU / 32Gi: 8 > 7.176", () => {
    assert.equal(gpuMachineFor({ cpu: "8", memory: "32Gi" }), "g2-standard-12");
  });
});

describe("GPU_TYPES", () => {
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

describe("Cloud Run's L4 minimum, as the stack config rules apply it", () => {
  // "You must use a minimum of 4 CPU and 16 GiB of memory."
  // — https://cloud.google.com/run/docs/configuring/services/gpu, the source facts/gpus.ts gives for CLOUD_RUN_GPU.
  // (Fewer vCPUs and a second GPU are refused in test/config/validate.test.ts.)
  const onCloudRun = (memory: string) =>
    problemsOf({
      "gcp:project": "acme-dev",
      "gcp:region": "us-central1",
      "runway:target": "cloudrun",
      "runway:service": { name: "infer", cpu: "4", memory, gpu: { type: "nvidia-l4" } },
    });

  it("takes an L4 with 16 GiB (16,384Mi) and refuses it with 16,383Mi", () => {
    assert.deepEqual(onCloudRun("16384Mi"), []);
    assert.deepEqual(onCloudRun("16383Mi"), [
      "runway:service.memory: with a nvidia-l4 GPU Cloud Run needs at least 16Gi",
    ]);
  });
});

describe("prices", () => {
  // What the figures are worth is checked where they are used, against hand-worked sums: test/cost/estimate.test.ts.
  it("never guesses an unknown region", () => {
    assert.equal(pricesFor("mars-central1"), undefined);
    // Invitation-only Cloud Run GPU regions (refused by runway) with no GKE zone data: no table rather than a borrowed one.
    assert.equal(pricesFor("asia-south1"), undefined);
    assert.equal(pricesFor("toString"), undefined);
  });

  it("prices us-central1 and every region where runway offers a GPU", () => {
    // GPU regions: CLOUD_RUN_GPU (asia-southeast1, europe-west1, europe-west4, us-central1, us-east4) and GPU_ZONES
    // (those plus us-east1, us-west1).
    assert.deepEqual(Object.keys(PRICES).sort(), [
      "asia-southeast1",
      "europe-west1",
      "europe-west4",
      "us-central1",
      "us-east1",
      "us-east4",
      "us-west1",
    ]);
  });

  it("takes each region's machine prices from its own rows of pricing.yml @ fd66b26", () => {
    // compute.instance.<type>.cost.<region>.hour / hour_spot, read from the file.
    const machine = (region: string, type: string) => {
      const price = pricesFor(region)?.compute[type];
      return [price?.onDemand.value, price?.spot?.value];
    };
    assert.deepEqual(machine("europe-west4", "g2-standard-4"), [0.742916046, 0.38986]);
    assert.deepEqual(machine("europe-west4", "e2-standard-2"), [0.07377204, 0.035264]);
    assert.deepEqual(machine("europe-west1", "g2-standard-8"), [0.939925708, 0.431712]);
    assert.deepEqual(machine("us-east4", "e2-standard-2"), [0.07547082, 0.04138]);
    assert.deepEqual(machine("us-east4", "a3-highgpu-1g"), [11.0694695189041, 4.54010457534247]);
    assert.deepEqual(machine("us-west1", "n1-standard-4"), [0.189999, 0.06701]);
    assert.deepEqual(machine("us-east1", "g4-standard-48"), [4.49993, 1.79982]);
    for (const region of ["us-east1", "us-east4", "us-west1", "europe-west1", "europe-west4"]) {
      assert.match(pricesFor(region)?.compute["g2-standard-4"]?.onDemand.source ?? "", /pricing\.yml @ fd66b26/);
    }
  });

  it("leaves out the figures found for us-central1 only", () => {
    for (const region of ["us-east1", "us-east4", "us-west1", "europe-west1", "europe-west4"]) {
      const prices = pricesFor(region);
      assert.ok(prices, region);
      // The only L4 price found is a us-central1 figure ("roughly $0.67 per hour"); N1 GPUs are from a us-central1 read.
      assert.equal(prices.cloudRun.l4GpuSecond, undefined, region);
      assert.deepEqual(prices.n1Gpus, {}, region);
      // Tier 1 Cloud Run rates rest on a 3rd-party tier list, so they are flagged.
      assert.equal(prices.cloudRun.instanceBased.vcpuSecond?.value, 0.000018);
      assert.equal(prices.cloudRun.instanceBased.vcpuSecond.unconfirmed, true);
      assert.match(prices.cloudRun.instanceBased.vcpuSecond.note ?? "", new RegExp(`${region} is Tier 1 per`));
      assert.equal(prices.forwardingRule?.first5Hour.unconfirmed, true);
    }
  });

  it("has a price table for every region where runway offers a GPU", () => {
    // Cloud Run: the regions runway accepts (cloudrun/rules.ts refuses invitation-only ones); GKE: regions with GPU zones.
    const cloudRun = Object.values(CLOUD_RUN_GPU).flatMap((info) => info.regions);
    const gke = Object.entries(GPU_ZONES)
      .filter(([, byGpu]) => Object.values(byGpu).some((zones) => (zones ?? []).length > 0))
      .map(([region]) => region);
    for (const region of new Set([...cloudRun, ...gke])) assert.ok(pricesFor(region), region);
  });

  it("prices asia-southeast1 from its own rows, and leaves out what no source gives there", () => {
    const prices = pricesFor("asia-southeast1");
    assert.ok(prices);
    // compute.instance.<type>.cost.asia-southeast1.hour / hour_spot in pricing.yml @ fd66b26, read from the file.
    const machine = (type: string) => [prices.compute[type]?.onDemand.value, prices.compute[type]?.spot?.value];
    assert.deepEqual(machine("g2-standard-4"), [0.872018928, 0.523272]);
    assert.deepEqual(machine("e2-standard-2"), [0.08266614, 0.043164]);
    assert.deepEqual(machine("a3-highgpu-1g"), [14.2847866209041, 6.40233306849315]);
    assert.match(prices.compute["g2-standard-4"]?.onDemand.source ?? "", /pricing\.yml @ fd66b26/);
    // Cloud Run Tier 2 (Google's locations page): request-based rates from a 3rd-party copy, flagged; the rest unknown.
    assert.equal(prices.cloudRun.requestBased.vcpuSecond?.value, 0.0000336);
    assert.equal(prices.cloudRun.requestBased.vcpuSecond.unconfirmed, true);
    assert.match(prices.cloudRun.requestBased.vcpuSecond.source, /run\/docs\/locations/);
    assert.equal(prices.cloudRun.requestBased.gibSecond?.value, 0.0000035);
    assert.equal(prices.cloudRun.requestBased.perMillionRequests, undefined);
    assert.deepEqual(prices.cloudRun.instanceBased, {});
    assert.equal(prices.cloudRun.l4GpuSecond, undefined);
    // The free tier is a spending discount at Tier 1 prices: 180,000 × 0.000024 = $4.32 buys 4.32 / 0.0000336 vCPU-s.
    assert.ok(Math.abs(prices.cloudRun.freeTier.requestBased.vcpuSeconds.value - 128_571.428571) < 1e-5);
    assert.ok(Math.abs(prices.cloudRun.freeTier.requestBased.gibSeconds.value - 257_142.857143) < 1e-5);
    // No regional forwarding-rule price and no N1 GPU price found for this region; the pages' global figures stay.
    assert.equal(prices.forwardingRule, undefined);
    assert.deepEqual(prices.n1Gpus, {});
    assert.equal(prices.gke.clusterFeeHour.value, 0.1);
    assert.equal(prices.cloudNat.gatewayHourPerVm.value, 0.0014);
    assert.equal(prices.artifactRegistry.storageGbMonth.value, 0.1);
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
