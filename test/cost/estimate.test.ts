/**
 * The cost estimate against figures worked out by hand from the literal prices of facts/prices.ts (us-central1).
 * A month is 730 h = 2,628,000 s. Lines are rounded to cents, and a total is the sum of its rounded lines.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateMonthlyCost, type CostEstimate, type CostTotal } from "../../components/cost/estimate";
import { validConfig, type Raw } from "../helpers/config";

/** The monthly estimate (what the plan and the estimatedMonthlyUsd output show) of a us-central1 stack. */
function estimate(service: Raw, extra: Raw = {}): CostEstimate {
  return estimateMonthlyCost(
    validConfig({
      "gcp:project": "acme-dev",
      "gcp:region": "us-central1",
      "runway:service": { name: "svc", ...service },
      ...extra,
    }),
  );
}

/** item → usd, in order, so that a whole estimate is checked in one assertion. */
function usdByItem(total: CostTotal | undefined): [string, number | undefined][] {
  assert.ok(total);
  return total.lines.map((line) => [line.item, line.usd]);
}

const hasNote = (estimate: CostEstimate, pattern: RegExp) =>
  assert.ok(
    estimate.notes.some((note) => pattern.test(note)),
    `no note matches ${pattern}:\n${estimate.notes.join("\n")}`,
  );

// Artifact Registry for a built image (keepRecent 10): 10 × 0.2 GB = 2 GB − 0.5 GB free = 1.5 GB × $0.10 = 0.15.
const STORAGE: [string, number] = ["Artifact Registry storage (10 image versions)", 0.15];

// 11Gi: a g2-standard-4 leaves pods 3.19 vCPU / 11.9Gi once GKE's DaemonSets are counted (sizing.ts).
const L4_SERVICE = { cpu: "3", memory: "11Gi", gpu: { type: "nvidia-l4" }, maxInstances: 3 };
const ZONAL_L4 = { location: "us-central1-a", gpuPool: { machineType: "g2-standard-4" } };

// The GKE lines every zonal cluster with one e2-standard-4 system node has: the default, the smallest type one node of
// which holds runway's add-ons and GKE's pods (1360m / 770Mi requested). Pods get what GKE leaves less the DaemonSets
// (584m / 1051Mi, sizing.ts): e2-standard-2: 2 − 0.07 reserved − 0.584 = 1.346 vCPU, short of 1.36;
// e2-standard-4: 4 − 0.08 reserved − 0.584 = 3.336 vCPU.
const ZONAL_CLUSTER: [string, number][] = [
  ["GKE cluster management fee", 73], // $0.10/h × 730 h = 73.00
  ["GKE free tier credit (zonal cluster)", -73], // −min($74.40 credit, $73.00 fee)
  ["System pool: 1 × e2-standard-4", 97.84], // e2-standard-4 on-demand 0.13402284 $/h × 730 h = 97.837 → 97.84
];
const FORWARDING_RULE: [string, number] = ["Load balancer forwarding rule", 18.25]; // 0.025 $/h × 730 h
const NAT_IP: [string, number] = ["Cloud NAT IP address", 3.65]; // 0.005 $/h × 730 h

describe("cost estimate: Cloud Run", () => {
  it("scale to zero costs nothing idle but the image storage", () => {
    const cost = estimate({});
    assert.equal(cost.known, true);
    assert.deepEqual(usdByItem(cost.idle), [["Cloud Run instances", 0], STORAGE]);
    assert.equal(cost.idle.usd, 0.15);
    assert.equal(cost.underLoad, undefined);
    hasNote(cost, /per push, not monthly/);
  });

  it("a prebuilt image adds no storage", () => {
    const ref = `us-central1-docker.pkg.dev/acme-dev/images/svc@sha256:${"a".repeat(64)}`;
    const cost = estimate({}, { "runway:image": { ref } });
    assert.deepEqual(usdByItem(cost.idle), [["Cloud Run instances", 0]]);
    assert.equal(cost.idle.usd, 0);
  });

  it("one request-based min instance is priced at the instance-based rates, an upper bound, after the request-based free tier", () => {
    const cost = estimate({ minInstances: 1 });
    assert.deepEqual(usdByItem(cost.idle), [
      // 1 × 2,628,000 s × 1 vCPU − 180,000 free = 2,448,000 × $0.000018 = 44.064
      ["Cloud Run vCPU, 1 min instance all month", 44.06],
      // 2,628,000 s × 0.5 GiB = 1,314,000 − 360,000 free = 954,000 × $0.000002 = 1.908
      ["Cloud Run memory, 1 min instance all month", 1.91],
      STORAGE,
    ]);
    assert.equal(cost.idle.usd, 46.12); // 44.06 + 1.91 + 0.15
    hasNote(cost, /upper bound/);
    hasNote(cost, /per billing account and shared/);
  });

  it("one L4 min instance is billed whole, GPU included, after the instance-based free tier", () => {
    const cost = estimate({ cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, minInstances: 1, maxInstances: 3 });
    assert.deepEqual(usdByItem(cost.idle), [
      // 2,628,000 s × 4 vCPU = 10,512,000 − 240,000 free = 10,272,000 × $0.000018 = 184.896
      ["Cloud Run vCPU, 1 min instance all month", 184.9],
      // 2,628,000 s × 16 GiB = 42,048,000 − 450,000 free = 41,598,000 × $0.000002 = 83.196
      ["Cloud Run memory, 1 min instance all month", 83.2],
      // 2,628,000 s × $0.67/3600 per GPU-s = 730 h × $0.67 = 489.10
      ["Cloud Run GPU (nvidia-l4), 1 min instance all month", 489.1],
      STORAGE,
    ]);
    assert.equal(cost.idle.usd, 757.35); // 184.90 + 83.20 + 489.10 + 0.15
    hasNote(cost, /Unconfirmed price: 0.0001861111111 USD\/GPU-second/);
  });
});

describe("cost estimate: Cloud Run under load", () => {
  it("light traffic stays inside the request-based free tier", () => {
    // 1,000,000 requests × 0.2 s ÷ 10 at once = 20,000 busy s: 20,000 vCPU-s < 180,000, 10,000 GiB-s < 360,000, 1M < 2M requests.
    const cost = estimate(
      {},
      { "runway:load": { requestsPerMonth: 1_000_000, avgRequestSeconds: 0.2, concurrency: 10 } },
    );
    assert.deepEqual(usdByItem(cost.underLoad), [
      ["Cloud Run vCPU, serving requests", 0],
      ["Cloud Run memory, serving requests", 0],
      ["Cloud Run requests", 0],
      STORAGE,
    ]);
    assert.equal(cost.underLoad?.usd, 0.15);
    assert.equal(cost.idle.usd, 0.15);
  });

  // 10,000,000 requests × 0.5 s ÷ 2 at once = 2,500,000 busy instance-seconds.
  const HEAVY = { "runway:load": { requestsPerMonth: 10_000_000, avgRequestSeconds: 0.5, concurrency: 2 } };
  const HEAVY_LINES: [string, number][] = [
    // 2,500,000 vCPU-s − 180,000 free = 2,320,000 × $0.000024 = 55.68
    ["Cloud Run vCPU, serving requests", 55.68],
    // 2,500,000 s × 1 GiB − 360,000 free = 2,140,000 × $0.0000025 = 5.35
    ["Cloud Run memory, serving requests", 5.35],
    // 10,000,000 − 2,000,000 free = 8,000,000 ÷ 1,000,000 × $0.40 = 3.20
    ["Cloud Run requests", 3.2],
  ];

  it("heavy traffic pays request-based rates beyond the free tier", () => {
    const cost = estimate({ memory: "1Gi" }, HEAVY);
    assert.deepEqual(usdByItem(cost.underLoad), [...HEAVY_LINES, STORAGE]);
    assert.equal(cost.underLoad?.usd, 64.38); // 55.68 + 5.35 + 3.20 + 0.15
  });

  it("a min instance under load adds its idle cost, the free tier already spent on requests", () => {
    const cost = estimate({ memory: "1Gi", minInstances: 1 }, HEAVY);
    assert.deepEqual(usdByItem(cost.underLoad), [
      ...HEAVY_LINES,
      // 2,628,000 vCPU-s, nothing left of the free tier, × $0.000018 = 47.304
      ["Cloud Run vCPU, 1 min instance all month", 47.3],
      // 2,628,000 GiB-s × $0.000002 = 5.256
      ["Cloud Run memory, 1 min instance all month", 5.26],
      STORAGE,
    ]);
    assert.equal(cost.underLoad?.usd, 116.94); // 55.68 + 5.35 + 3.20 + 47.30 + 5.26 + 0.15
  });

  const L4 = { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, minInstances: 1, maxInstances: 3 };

  it("an L4 service pays instance time between min and max instances, with no request fee", () => {
    // 2,000,000 requests × 3 s ÷ 1 = 6,000,000 instance-s, between 1 × 2,628,000 and 3 × 2,628,000.
    const cost = estimate(L4, { "runway:load": { requestsPerMonth: 2_000_000, avgRequestSeconds: 3 } });
    assert.deepEqual(usdByItem(cost.underLoad), [
      // 6,000,000 × 4 vCPU = 24,000,000 − 240,000 free = 23,760,000 × $0.000018 = 427.68
      ["Cloud Run vCPU, instances under load", 427.68],
      // 6,000,000 × 16 GiB = 96,000,000 − 450,000 free = 95,550,000 × $0.000002 = 191.10
      ["Cloud Run memory, instances under load", 191.1],
      // 6,000,000 GPU-s × $0.67/3600 = 1,116.667
      ["Cloud Run GPU (nvidia-l4), instances under load", 1116.67],
      STORAGE,
    ]);
    assert.equal(cost.underLoad?.usd, 1735.6); // 427.68 + 191.10 + 1116.67 + 0.15
  });

  it("stops at maxInstances and says so", () => {
    // 20,000,000 × 3 s = 60,000,000 instance-s > 3 × 2,628,000 = 7,884,000.
    const cost = estimate(L4, { "runway:load": { requestsPerMonth: 20_000_000, avgRequestSeconds: 3 } });
    // 7,884,000 × 4 vCPU = 31,536,000 − 240,000 free = 31,296,000 × $0.000018 = 563.328
    assert.equal(cost.underLoad?.lines[0]?.usd, 563.33);
    hasNote(cost, /more than maxInstances 3/);
  });
});

describe("cost estimate: GKE", () => {
  // NAT gateway: min(VMs × $0.0014/h, $0.044/h) × 730 h.
  const NAT_2_VMS: [string, number] = ["Cloud NAT gateway (2 VMs)", 2.04]; // 2 × 0.0014 × 730 = 2.044

  it("a zonal L4 with minInstances 0 scales its GPU pool to zero; the free tier credit cancels the fee", () => {
    const cost = estimate({ ...L4_SERVICE, minInstances: 0 }, { "runway:gke": ZONAL_L4 });
    assert.deepEqual(usdByItem(cost.idle), [
      ...ZONAL_CLUSTER,
      // max(0 min nodes × 1 zone, ceil(0 pods ÷ 1)) = 0 nodes (KEDA scales the Deployment to zero)
      ["GPU pool: 0 × g2-standard-4", 0],
      FORWARDING_RULE,
      ["Cloud NAT gateway (1 VM)", 1.02], // 1 × 0.0014 × 730 = 1.022
      NAT_IP,
      STORAGE,
    ]);
    assert.equal(cost.idle.usd, 120.91); // 73 − 73 + 97.84 + 0 + 18.25 + 1.02 + 3.65 + 0.15
    hasNote(cost, /only zonal\/Autopilot cluster/);
    // g2-standard-4 on-demand 0.706832255 $/h × (300 s scale-down + 5 min × 60 = 300 s ComputeClass delay) / 3600
    // = 0.706832255 × 600 / 3600 = 0.1178 → $0.12 (the autoscaler's own 10 min gave 900 s, $0.18).
    hasNote(
      cost,
      /^Idle tail: .* 300 s \(runway:gke\.scaleDownSeconds\) \+ 300 s \(runway:gke\.gpuPool\.scaleDownDelayMinutes, the ComputeClass's consolidation delay\) = 10 min, \$0\.706832255\/h × 600\/3600 h = \$0\.12 per node each time traffic stops/,
    );
    hasNote(
      cost,
      /^System pool fit: runway's add-ons and GKE's own pods request 1360m CPU \/ 770Mi; 1 × e2-standard-4 give pods 3336m \/ 12570Mi/,
    );
  });

  it("prices the idle tail with the configured node delay", () => {
    const tail = (gpuPool: Record<string, unknown>, scaleDownSeconds?: number) =>
      estimate(
        { ...L4_SERVICE, minInstances: 0 },
        { "runway:gke": { ...ZONAL_L4, ...(scaleDownSeconds === undefined ? {} : { scaleDownSeconds }), gpuPool } },
      ).notes.find((note) => note.startsWith("Idle tail"));
    // 300 s + 1 min × 60 = 360 s = 6 min; 0.706832255 × 360 / 3600 = 0.0707 → $0.07.
    assert.match(
      tail({ machineType: "g2-standard-4", scaleDownDelayMinutes: 1 }) ?? "",
      /= 6 min, \$0\.706832255\/h × 360\/3600 h = \$0\.07 per node/,
    );
    // 60 s + 30 min × 60 = 1860 s = 31 min; 0.706832255 × 1860 / 3600 = 0.3652 → $0.37.
    assert.match(
      tail({ machineType: "g2-standard-4", scaleDownDelayMinutes: 30 }, 60) ?? "",
      /= 31 min, \$0\.706832255\/h × 1860\/3600 h = \$0\.37 per node/,
    );
  });

  it("Spot GPU nodes cost the Spot price", () => {
    const cost = estimate(
      { ...L4_SERVICE, minInstances: 1 },
      { "runway:gke": { ...ZONAL_L4, gpuPool: { machineType: "g2-standard-4", spot: true } } },
    );
    // g2-standard-4 Spot 0.397336 $/h × 730 h = 290.055
    assert.deepEqual(cost.idle.lines[3], {
      item: "GPU pool: 1 × g2-standard-4",
      usd: 290.06,
      basis: "1 × $0.397336/h × 730 h",
    });
    assert.equal(cost.idle.usd, 411.99); // 73 − 73 + 97.84 + 290.06 + 18.25 + 2.04 + 3.65 + 0.15
    hasNote(cost, /Spot prices can change daily/);
  });

  it("a regional cluster runs pools in 3 zones and gets no free tier credit", () => {
    const cost = estimate(L4_SERVICE, {
      "runway:gke": { location: "us-central1", gpuPool: { machineType: "g2-standard-4", minNodes: 1 } },
    });
    assert.deepEqual(usdByItem(cost.idle), [
      ["GKE cluster management fee", 73],
      // 1 node × 3 zones: three e2-medium would give pods 3 × 356m (0.94 shared-core allocatable − 0.584 DaemonSets)
      // = 1068m, short of the 1360m of add-ons and GKE pods; three e2-standard-2 give 3 × 1346m = 4038m.
      // 3 × 0.06701142 $/h × 730 h = 146.755
      ["System pool: 3 × e2-standard-2", 146.76],
      // max(1 min node × 3 L4 zones, 1 pod) = 3 × 0.706832255 $/h × 730 h = 1547.963
      ["GPU pool: 3 × g2-standard-4", 1547.96],
      FORWARDING_RULE,
      // 6 VMs × 0.0014 $/h × 730 h = 6.132
      ["Cloud NAT gateway (6 VMs)", 6.13],
      NAT_IP,
      STORAGE,
    ]);
    assert.equal(cost.idle.usd, 1795.9); // 73 + 146.76 + 1547.96 + 18.25 + 6.13 + 3.65 + 0.15
    hasNote(cost, /Regional cluster \(us-central1\): the GKE free tier credit does not apply/);
  });

  it("time-shared GPUs pack maxSharedClients pods on a node", () => {
    const cost = estimate(
      { cpu: "0.5", memory: "2Gi", gpu: { type: "nvidia-l4" }, minInstances: 6, maxInstances: 8 },
      {
        "runway:gke": {
          ...ZONAL_L4,
          gpuPool: { machineType: "g2-standard-4", sharing: { strategy: "TIME_SHARING", maxSharedClients: 4 } },
        },
      },
    );
    // ceil(6 pods ÷ 4 per node) = 2 nodes × 0.706832255 $/h × 730 h = 1031.975
    assert.equal(cost.idle.lines[3]?.usd, 1031.98);
    // 3 VMs × 0.0014 $/h × 730 h = 3.066
    assert.equal(cost.idle.lines[5]?.usd, 3.07);
    assert.equal(cost.idle.usd, 1154.94); // 97.84 + 1031.98 + 18.25 + 3.07 + 3.65 + 0.15
  });

  it("public nodes need no Cloud NAT", () => {
    const cost = estimate({ ...L4_SERVICE, minInstances: 1 }, { "runway:gke": { ...ZONAL_L4, privateNodes: false } });
    assert.deepEqual(usdByItem(cost.idle), [
      ...ZONAL_CLUSTER,
      ["GPU pool: 1 × g2-standard-4", 515.99],
      FORWARDING_RULE,
      STORAGE,
    ]);
    assert.equal(cost.idle.usd, 632.23); // 97.84 + 515.99 + 18.25 + 0.15: no NAT gateway or IP
  });

  it("an N1 node is the machine plus its attached GPUs", () => {
    // A T4 is not on Cloud Run: GKE, default location us-central1-a, default machine n1-standard-4.
    const cost = estimate({
      cpu: "2",
      memory: "8Gi",
      gpu: { type: "nvidia-tesla-t4" },
      minInstances: 1,
      maxInstances: 3,
    });
    // (n1-standard-4 0.189999 $/h + 1 × T4 0.35 $/h) × 730 h = 394.199
    assert.deepEqual(cost.idle.lines[3], {
      item: "GPU pool: 1 × n1-standard-4",
      usd: 394.2,
      basis: "1 × ($0.189999/h + 1 × $0.35/h) × 730 h",
    });
    assert.equal(cost.idle.usd, 516.13); // 97.84 + 394.20 + 18.25 + 2.04 + 3.65 + 0.15
  });

  it("prices a month as 730 hours: two always-on e2-standard-2 system nodes", () => {
    // No GPU: the service runs on the system pool, here two e2-standard-2 as configured.
    const cost = estimate(
      { maxInstances: 2 },
      { "runway:target": "gke", "runway:gke": { systemPool: { machineType: "e2-standard-2", nodes: 2 } } },
    );
    assert.deepEqual(usdByItem(cost.idle), [
      ...ZONAL_CLUSTER.slice(0, 2),
      // e2-standard-2 on-demand $0.06701142/h (Cyclenerd pricing.yml @ fd66b26, generated 2026-07-30 from the Cloud
      // Billing Catalog API): 2 × 0.06701142 × 730 h (8760 h a year ÷ 12) = 97.837 → 97.84.
      // A 720-hour month would give 96.50, a 744-hour one 99.71.
      ["System pool: 2 × e2-standard-2", 97.84],
      FORWARDING_RULE,
      NAT_2_VMS,
      NAT_IP,
      STORAGE,
    ]);
    assert.equal(cost.idle.lines[2]?.basis, "2 × $0.06701142/h × 730 h");
    assert.equal(cost.idle.usd, 121.93); // 73 − 73 + 97.84 + 18.25 + 2.04 + 3.65 + 0.15
    hasNote(cost, /for a 730-hour month/);
  });

  it("a machine type without a price leaves that line and the total unknown", () => {
    const cost = estimate(
      { cpu: "2", memory: "8Gi", gpu: { type: "nvidia-tesla-t4" }, minInstances: 1, maxInstances: 3 },
      { "runway:gke": { gpuPool: { machineType: "n1-highmem-4" } } },
    );
    const gpuLine = cost.idle.lines.find((line) => line.item === "GPU pool: 1 × n1-highmem-4");
    assert.ok(gpuLine);
    assert.equal(gpuLine.usd, undefined);
    assert.match(gpuLine.basis, /no price for n1-highmem-4 \+ 1× nvidia-tesla-t4 on-demand/);
    assert.equal(cost.idle.usd, undefined);
    assert.equal(cost.known, true);
  });
});

describe("cost estimate: GKE under load", () => {
  it("GPU nodes follow the average pod count, rounded up, within minReplicas and maxInstances", () => {
    // 5,000,000 requests × 1 s ÷ 1 = 5,000,000 s ÷ 2,628,000 s = 1.90 pods → ceil 2, within [1, 3] → 2 nodes.
    const load = { requestsPerMonth: 5_000_000, avgRequestSeconds: 1 };
    const cost = estimate({ ...L4_SERVICE, minInstances: 1 }, { "runway:gke": ZONAL_L4, "runway:load": load });
    assert.deepEqual(usdByItem(cost.underLoad), [
      ...ZONAL_CLUSTER,
      ["GPU pool: 2 × g2-standard-4", 1031.98], // 2 × 0.706832255 $/h × 730 h = 1031.975
      FORWARDING_RULE,
      ["Cloud NAT gateway (3 VMs)", 3.07], // 3 × 0.0014 × 730 = 3.066
      NAT_IP,
      STORAGE,
    ]);
    assert.equal(cost.underLoad?.usd, 1154.94); // 97.84 + 1031.98 + 18.25 + 3.07 + 3.65 + 0.15
    assert.equal(cost.idle.usd, 637.92); // 97.84 + 515.99 + 18.25 + 2.04 + 3.65 + 0.15
    hasNote(cost, /peaks, load-balancer data processing and Cloud NAT data processing are not modeled/);
  });

  it("light load stays at the idle floor", () => {
    // 100,000 × 1 s = 100,000 s = 0.04 pods → ceil 1 = minReplicas → 1 node.
    const cost = estimate(
      { ...L4_SERVICE, minInstances: 1 },
      { "runway:gke": ZONAL_L4, "runway:load": { requestsPerMonth: 100_000, avgRequestSeconds: 1 } },
    );
    assert.equal(cost.underLoad?.usd, cost.idle.usd);
  });

  it("a service without a GPU runs on the system pool, priced at its minimum: load adds no nodes", () => {
    // The system pool (e2-standard-4, autoscaled from 1 node) is priced at its minimum; the add-ons and GKE's pods take
    // 1360m of its 3336m, and the service's 1-vCPU pod and its rollout surge take the rest.
    const cost = estimate(
      { maxInstances: 1 },
      { "runway:target": "gke", "runway:load": { requestsPerMonth: 50_000_000, avgRequestSeconds: 1 } },
    );
    const lines = [
      ...ZONAL_CLUSTER,
      FORWARDING_RULE,
      ["Cloud NAT gateway (1 VM)", 1.02], // 1 × 0.0014 × 730 = 1.022
      NAT_IP,
      STORAGE,
    ];
    assert.deepEqual(usdByItem(cost.idle), lines);
    assert.deepEqual(usdByItem(cost.underLoad), lines);
    assert.equal(cost.idle.usd, 120.91); // 97.84 + 18.25 + 1.02 + 3.65 + 0.15
  });
});

describe("cost estimate: regions other than us-central1", () => {
  // Machine prices: each region's own rows of Cyclenerd pricing.yml @ fd66b26 (compute.instance.<type>.cost.<region>).
  // Cloud Run: the Tier 1 rates, europe-west4 being Tier 1 per remotion's gcp-regions.ts (3rd-party). No L4 price
  // outside us-central1.
  const inRegion = (region: string, service: Raw, extra: Raw = {}) =>
    estimate(service, { "gcp:region": region, ...extra });

  it("a europe-west4 Cloud Run L4 min instance: vCPU and memory priced, the GPU unknown, so the total too", () => {
    const cost = inRegion("europe-west4", {
      cpu: "4",
      memory: "16Gi",
      gpu: { type: "nvidia-l4" },
      minInstances: 1,
      maxInstances: 3,
    });
    assert.equal(cost.known, true);
    assert.deepEqual(usdByItem(cost.idle), [
      // 730 h × 3600 = 2,628,000 s × 4 vCPU = 10,512,000 − 240,000 free = 10,272,000 × $0.000018 (Tier 1) = 184.896
      ["Cloud Run vCPU, 1 min instance all month", 184.9],
      // 2,628,000 s × 16 GiB = 42,048,000 − 450,000 free = 41,598,000 × $0.000002 = 83.196
      ["Cloud Run memory, 1 min instance all month", 83.2],
      // No europe-west4 L4 price in any source read: unknown, not us-central1's $0.67/h.
      ["Cloud Run GPU (nvidia-l4), 1 min instance all month", undefined],
      STORAGE,
    ]);
    assert.equal(cost.idle.usd, undefined);
    assert.match(cost.idle.lines[2]?.basis ?? "", /^no price for GPU-s in runway's table/);
    hasNote(
      cost,
      /^Unconfirmed price: 0\.000018 USD\/vCPU-second \(.*europe-west4 is Tier 1 per https:\/\/cloud\.google\.com\/run\/docs\/locations/,
    );
  });

  it("a europe-west4 GKE zonal L4 with one GPU node, at europe-west4's machine prices", () => {
    const cost = inRegion(
      "europe-west4",
      { ...L4_SERVICE, minInstances: 1 },
      { "runway:gke": { location: "europe-west4-a", gpuPool: { machineType: "g2-standard-4" } } },
    );
    assert.deepEqual(usdByItem(cost.idle), [
      ["GKE cluster management fee", 73], // $0.10/h × 730 h (one fee for all clusters)
      ["GKE free tier credit (zonal cluster)", -73],
      ["System pool: 1 × e2-standard-4", 107.71], // europe-west4 e2-standard-4 0.14754408 $/h × 730 h = 107.707
      ["GPU pool: 1 × g2-standard-4", 542.33], // europe-west4 g2-standard-4 0.742916046 $/h × 730 h = 542.329
      FORWARDING_RULE, // the global-table $0.025/h, flagged unconfirmed for the region
      ["Cloud NAT gateway (2 VMs)", 2.04], // 2 × 0.0014 × 730 = 2.044
      NAT_IP, // europe-west4 ip.vm 0.005 $/h × 730 h
      STORAGE,
    ]);
    assert.equal(cost.idle.usd, 674.13); // 73 − 73 + 107.71 + 542.33 + 18.25 + 2.04 + 3.65 + 0.15
    hasNote(
      cost,
      /^Unconfirmed price: 0\.025 USD\/hour per rule \(first 5\) \(.*europe-west4 regional figure did not render/,
    );
  });

  it("us-east4 Spot GPU nodes cost us-east4's Spot price", () => {
    const cost = inRegion(
      "us-east4",
      { ...L4_SERVICE, minInstances: 1 },
      { "runway:gke": { location: "us-east4-a", gpuPool: { machineType: "g2-standard-4", spot: true } } },
    );
    // us-east4 g2-standard-4 hour_spot 0.310596 $/h × 730 h = 226.735
    assert.deepEqual(cost.idle.lines[3], {
      item: "GPU pool: 1 × g2-standard-4",
      usd: 226.74,
      basis: "1 × $0.310596/h × 730 h",
    });
    // us-east4 e2-standard-4 0.15094164 $/h × 730 h = 110.187 → 110.19
    assert.equal(cost.idle.usd, 361.02); // 73 − 73 + 110.19 + 226.74 + 18.25 + 2.04 + 3.65 + 0.15
  });

  it("an N1 GPU outside us-central1 has no attached-GPU price, so its node is unknown", () => {
    const cost = inRegion(
      "europe-west1",
      { cpu: "2", memory: "8Gi", gpu: { type: "nvidia-tesla-t4" }, minInstances: 1, maxInstances: 3 },
      { "runway:gke": { location: "europe-west1-b" } },
    );
    const gpuLine = cost.idle.lines.find((line) => line.item === "GPU pool: 1 × n1-standard-4");
    assert.ok(gpuLine);
    assert.equal(gpuLine.usd, undefined);
    assert.equal(cost.idle.usd, undefined);
  });
});

describe("cost estimate: unknown prices", () => {
  it("a region without a price table gives no numbers and says so", () => {
    // asia-south1: Cloud Run GPUs by invitation only (refused by runway), no GKE GPU zone data, so no price table.
    const cost = estimate(
      { minInstances: 1 },
      { "gcp:region": "asia-south1", "runway:load": { requestsPerMonth: 1000, avgRequestSeconds: 1 } },
    );
    assert.equal(cost.known, false);
    assert.equal(cost.region, "asia-south1");
    assert.deepEqual(cost.idle, { lines: [] });
    assert.deepEqual(cost.underLoad, { lines: [] });
    hasNote(cost, /no price table for asia-south1; runway does not guess/i);
  });

  it("every estimate cites the dates of the prices it used", () => {
    const cost = estimate({ minInstances: 1 });
    hasNote(
      cost,
      /^Prices from https:\/\/cloud.google.com\/run\/pricing \(stored copies\) \(undated, read 2026-11-23\)\.$/,
    );
    hasNote(cost, /^Unconfirmed price: 0.000002 USD\/GiB-second/);
  });
});

describe("cost estimate: sources and caveats", () => {
  it("a GKE estimate cites the dated snapshot its machine prices come from, and the per-push scan price", () => {
    const cost = estimate(L4_SERVICE, { "runway:gke": ZONAL_L4 });
    // g2-standard-4 at $0.706832255/h is from Cyclenerd's pricing.yml, generated 2026-07-30 (3rd-party).
    hasNote(
      cost,
      /^Prices from https:\/\/github\.com\/Cyclenerd\/google-cloud-pricing-cost-calculator pricing\.yml @ fd66b26 .*\(2026-07-30\)\.$/,
    );
    // "the price is $0.26 per scanned container image"; "Images with the same digest are considered the same image."
    // — https://cloud.google.com/artifact-analysis/pricing
    hasNote(cost, /^Vulnerability scanning costs \$0\.26 per pushed image digest .*: per push, not monthly\.$/);
  });

  it("flags the third-party L4 price as unconfirmed only when an L4 is billed", () => {
    const unconfirmed = (cost: CostEstimate) =>
      cost.notes
        .filter((note) => note.startsWith("Unconfirmed price:"))
        .map((note) => note.replace(/ \(.*$/s, "").replace(/\.$/, ""));
    // A CPU-only min instance uses one unconfirmed figure: instance-based memory, an old 3rd-party $0.000002/GiB-s.
    assert.deepEqual(unconfirmed(estimate({ minInstances: 1 })), ["Unconfirmed price: 0.000002 USD/GiB-second"]);
    const l4 = estimate({ cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, minInstances: 1, maxInstances: 3 });
    assert.deepEqual(unconfirmed(l4), [
      // The instance-based free tier (3rd-party; the Google page copy is cut off at "Free: First 24…").
      "Unconfirmed price: 240000 vCPU-seconds/month",
      "Unconfirmed price: 0.000002 USD/GiB-second",
      "Unconfirmed price: 450000 GiB-seconds/month",
      // "roughly $0.67 per hour" for the L4 (brandonseppa.com, 3rd-party): $0.67 ÷ 3600 s = $0.0001861111111/GPU-s.
      "Unconfirmed price: 0.0001861111111 USD/GPU-second",
    ]);
  });
});

describe("cost estimate: asia-southeast1, with the figures no source gives there unknown", () => {
  // Machines: pricing.yml @ fd66b26's own asia-southeast1 rows. Cloud Run: Tier 2 (Google's locations page), with only
  // the request-based vCPU and memory rates found (3rd-party); no request fee, instance-based rate or L4 price. No
  // regional forwarding-rule price. GKE fee, Cloud NAT and Artifact Registry: the one figure their pages give.
  const inAsia = (service: Raw, extra: Raw = {}) => estimate(service, { "gcp:region": "asia-southeast1", ...extra });

  it("a GKE zonal L4 with one GPU node: machines at asia-southeast1's prices, the forwarding rule unknown", () => {
    const cost = inAsia(
      { ...L4_SERVICE, minInstances: 1 },
      { "runway:gke": { location: "asia-southeast1-a", gpuPool: { machineType: "g2-standard-4" } } },
    );
    assert.equal(cost.known, true);
    assert.deepEqual(usdByItem(cost.idle), [
      ["GKE cluster management fee", 73], // $0.10/h × 730 h
      ["GKE free tier credit (zonal cluster)", -73],
      ["System pool: 1 × e2-standard-4", 120.69], // asia-southeast1 e2-standard-4 0.16533228 $/h × 730 h = 120.693
      ["GPU pool: 1 × g2-standard-4", 636.57], // asia-southeast1 g2-standard-4 0.872018928 $/h × 730 h = 636.574
      ["Load balancer forwarding rule", undefined], // no asia-southeast1 regional price found
      ["Cloud NAT gateway (2 VMs)", 2.04], // 2 × 0.0014 × 730 = 2.044
      NAT_IP, // 0.005 $/h × 730 h
      STORAGE,
    ]);
    // The known lines come to 763.10 (73 − 73 + 120.69 + 636.57 + 2.04 + 3.65 + 0.15), but one line is unknown.
    assert.equal(cost.idle.usd, undefined);
    const rule = cost.idle.lines.find((line) => line.item === "Load balancer forwarding rule");
    assert.match(rule?.basis ?? "", /^no price for a regional forwarding rule in runway's table/);
    hasNote(cost, /first-5-rules rate \(unknown here\)/);
  });

  it("a Cloud Run L4 min instance: instance-based vCPU, memory and GPU all unknown", () => {
    const cost = inAsia({ cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, minInstances: 1, maxInstances: 3 });
    assert.equal(cost.known, true);
    assert.deepEqual(usdByItem(cost.idle), [
      ["Cloud Run vCPU, 1 min instance all month", undefined],
      ["Cloud Run memory, 1 min instance all month", undefined],
      ["Cloud Run GPU (nvidia-l4), 1 min instance all month", undefined],
      STORAGE,
    ]);
    assert.deepEqual(
      cost.idle.lines.slice(0, 3).map((line) => line.basis.replace(/ in runway's table.*$/, "")),
      ["no price for vCPU-s", "no price for GiB-s", "no price for GPU-s"],
    );
    assert.equal(cost.idle.usd, undefined);
  });

  it("request-based heavy traffic: vCPU and memory at the Tier 2 rates after a Tier 1-valued free tier, requests unknown", () => {
    // 10,000,000 requests × 0.5 s ÷ 2 at once = 2,500,000 busy instance-seconds, 1 vCPU and 1 GiB each.
    const cost = inAsia(
      { memory: "1Gi" },
      { "runway:load": { requestsPerMonth: 10_000_000, avgRequestSeconds: 0.5, concurrency: 2 } },
    );
    assert.deepEqual(usdByItem(cost.underLoad), [
      // Free: 180,000 vCPU-s × $0.000024 = $4.32 of Tier 2 vCPU-s = 128,571.43 vCPU-s.
      // (2,500,000 − 128,571.43) × $0.0000336 = $84.00 − $4.32 = 79.68
      ["Cloud Run vCPU, serving requests", 79.68],
      // Free: 360,000 GiB-s × $0.0000025 = $0.90 of Tier 2 GiB-s = 257,142.86 GiB-s.
      // (2,500,000 − 257,142.86) × $0.0000035 = $8.75 − $0.90 = 7.85
      ["Cloud Run memory, serving requests", 7.85],
      ["Cloud Run requests", undefined], // no Tier 2 request fee found
      STORAGE,
    ]);
    assert.equal(cost.underLoad?.usd, undefined);
    assert.match(cost.underLoad?.lines[0]?.basis ?? "", /− 128,571\.429 free = 2,371,428\.571 × \$0\.0000336\/vCPU-s$/);
    assert.match(cost.underLoad?.lines[2]?.basis ?? "", /^no price for requests in runway's table/);
    assert.equal(cost.idle.usd, 0.15); // scale to zero: no instance idle, the image storage only
  });
});
