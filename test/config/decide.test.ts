import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chooseTarget,
  cloudRunCeilings,
  cloudRunSufficesBecause,
  gkeOnlySettings,
} from "../../components/config/decide";
import { cloudRunSchema, gkeSchema, serviceSchema } from "../../components/config/schema";
import { validateConfig } from "../../components/config/validate";
import { flatConfig, validConfig, type Raw } from "../helpers/config";

function decide(service: Raw, extra: Raw = {}) {
  return validConfig({
    "gcp:project": "acme-dev",
    "gcp:region": "us-central1",
    "runway:service": { name: "svc", maxInstances: 1, ...service },
    ...extra,
  }).decision;
}

const SUFFICES = (first: string, cpu = "1", memory = "512Mi", timeout = 300) => [
  first,
  `cpu ${cpu} and memory ${memory} are within Cloud Run's 8 vCPU / 32Gi`,
  `timeout ${timeout} s is within Cloud Run's 3600 s`,
  "no GKE-only settings (runway:gke)",
];

/** [service description, extra config, target, reasons] */
const TABLE: [string, Raw, Raw, "cloudrun" | "gke", string[]][] = [
  ["a plain web service", {}, {}, "cloudrun", SUFFICES("no GPU requested")],
  [
    "the largest Cloud Run shape",
    { cpu: "8", memory: "32Gi" },
    {},
    "cloudrun",
    SUFFICES("no GPU requested", "8", "32Gi"),
  ],
  [
    "a fractional CPU",
    { cpu: "0.5", memory: "1Gi", concurrency: 1 },
    {},
    "cloudrun",
    SUFFICES("no GPU requested", "0.5", "1Gi"),
  ],
  ["an hour-long request", { timeoutSeconds: 3600 }, {}, "cloudrun", SUFFICES("no GPU requested", "1", "512Mi", 3600)],
  [
    "one L4 in us-central1",
    { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" } },
    {},
    "cloudrun",
    SUFFICES("1 nvidia-l4 GPU: Cloud Run offers it in us-central1", "4", "16Gi"),
  ],
  [
    "one L4 in europe-west4",
    { cpu: "8", memory: "32Gi", gpu: { type: "nvidia-l4" } },
    { "gcp:region": "europe-west4" },
    "cloudrun",
    SUFFICES("1 nvidia-l4 GPU: Cloud Run offers it in europe-west4", "8", "32Gi"),
  ],
  [
    "public with many instances",
    { public: true, minInstances: 2, maxInstances: 100 },
    {},
    "cloudrun",
    SUFFICES("no GPU requested"),
  ],
  [
    "16 vCPUs",
    { cpu: "16", memory: "32Gi", maxInstances: 1 },
    {},
    "gke",
    ["runway:service.cpu: 16 vCPUs is more than Cloud Run's maximum of 8"],
  ],
  [
    "64Gi of memory",
    { cpu: "8", memory: "64Gi", maxInstances: 1 },
    {},
    "gke",
    ["runway:service.memory: 64Gi is more than Cloud Run's maximum of 32Gi"],
  ],
  [
    "both ceilings",
    { cpu: "32", memory: "120Gi", maxInstances: 1 },
    {},
    "gke",
    [
      "runway:service.cpu: 32 vCPUs is more than Cloud Run's maximum of 8",
      "runway:service.memory: 120Gi is more than Cloud Run's maximum of 32Gi",
    ],
  ],
  [
    "a two-hour timeout",
    { timeoutSeconds: 7200, maxInstances: 1 },
    {},
    "gke",
    ["runway:service.timeoutSeconds: 7200 s is more than Cloud Run's maximum of 3600 s"],
  ],
  [
    "a T4",
    { cpu: "4", memory: "15Gi", gpu: { type: "nvidia-tesla-t4" } },
    {},
    "gke",
    ["runway:service.gpu.type: nvidia-tesla-t4 is not offered by Cloud Run; Cloud Run offers nvidia-l4"],
  ],
  [
    "an A100",
    { cpu: "8", memory: "64Gi", gpu: { type: "nvidia-tesla-a100" } },
    {},
    "gke",
    [
      "runway:service.memory: 64Gi is more than Cloud Run's maximum of 32Gi",
      "runway:service.gpu.type: nvidia-tesla-a100 is not offered by Cloud Run; Cloud Run offers nvidia-l4",
    ],
  ],
  [
    "an H100 on Spot",
    { cpu: "8", memory: "64Gi", gpu: { type: "nvidia-h100-80gb" }, maxInstances: 3 },
    { "runway:gke": { gpuPool: { spot: true } } },
    "gke",
    [
      "runway:service.memory: 64Gi is more than Cloud Run's maximum of 32Gi",
      "runway:service.gpu.type: nvidia-h100-80gb is not offered by Cloud Run; Cloud Run offers nvidia-l4",
      "runway:gke is set: cluster settings exist only on GKE",
    ],
  ],
  [
    "two L4s",
    { cpu: "20", memory: "80Gi", gpu: { type: "nvidia-l4", count: 2 } },
    {},
    "gke",
    ["runway:service.gpu.count: 2 GPUs per instance; Cloud Run allows 1"],
  ],
  [
    "an L4 where Cloud Run has none",
    { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" } },
    { "gcp:region": "us-west1" },
    "gke",
    [
      "runway:service.gpu.type: Cloud Run has no nvidia-l4 GPUs in us-west1; regions with it: asia-southeast1, europe-west1, europe-west4, us-central1, us-east4",
    ],
  ],
  [
    "GKE settings present",
    {},
    { "runway:gke": { releaseChannel: "STABLE" } },
    "gke",
    ["runway:gke is set: cluster settings exist only on GKE"],
  ],
  ["an empty gke section", {}, { "runway:gke": {} }, "gke", ["runway:gke is set: cluster settings exist only on GKE"]],
  [
    "GKE settings and a T4",
    { cpu: "4", memory: "12Gi", gpu: { type: "nvidia-tesla-t4" }, maxInstances: 3 },
    { "runway:gke": { location: "us-central1-b" } },
    "gke",
    [
      "runway:service.gpu.type: nvidia-tesla-t4 is not offered by Cloud Run; Cloud Run offers nvidia-l4",
      "runway:gke is set: cluster settings exist only on GKE",
    ],
  ],
  [
    "explicit cloudrun wins over GKE settings",
    {},
    { "runway:target": "cloudrun", "runway:gke": {} },
    "cloudrun",
    ["runway:target is cloudrun: an explicit target always wins"],
  ],
  [
    "explicit gke wins for a small service",
    {},
    { "runway:target": "gke" },
    "gke",
    ["runway:target is gke: an explicit target always wins"],
  ],
  [
    "explicit gke with an L4 Cloud Run could run",
    { cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4" }, maxInstances: 3 },
    { "runway:target": "gke" },
    "gke",
    ["runway:target is gke: an explicit target always wins"],
  ],
];

describe("target: auto decision table", () => {
  for (const [what, service, extra, target, reasons] of TABLE) {
    it(what, () => {
      const decision = decide(service, extra);
      assert.deepEqual({ target: decision.target, reasons: decision.reasons }, { target, reasons });
    });
  }
});

describe("target: auto still reports Cloud Run mistakes that GKE would not fix", () => {
  it("cpu 3 stays on Cloud Run and fails with Cloud Run's message", () => {
    const result = validateConfig(
      flatConfig({
        "gcp:project": "acme-dev",
        "gcp:region": "us-central1",
        "runway:service": { name: "svc", cpu: "3", memory: "2Gi" },
      }),
    );
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, [
      {
        path: "runway:service.cpu",
        message: "3 is not a Cloud Run CPU value; use 0.08 to 1, or 1, 2, 4, 6, 8",
        needsGke: false,
      },
    ]);
  });
});

describe("target predicates", () => {
  const service = serviceSchema.parse({ name: "svc" });
  const cloudrun = cloudRunSchema.parse({});
  it("cloudRunCeilings is empty for a service Cloud Run can run", () => {
    assert.deepEqual(cloudRunCeilings({ service, cloudrun, region: "us-central1" }), []);
  });
  it("gkeOnlySettings is empty without a gke section", () => {
    assert.deepEqual(gkeOnlySettings(undefined), []);
    assert.deepEqual(gkeOnlySettings(gkeSchema.parse({})), ["runway:gke is set: cluster settings exist only on GKE"]);
  });
  it("cloudRunSufficesBecause names a GPU Cloud Run lacks when asked directly", () => {
    const t4 = serviceSchema.parse({ name: "svc", gpu: { type: "nvidia-tesla-t4" } });
    assert.equal(
      cloudRunSufficesBecause({ service: t4, cloudrun, region: "us-central1" })[0],
      "1 nvidia-tesla-t4 GPU: Cloud Run offers no such GPU in us-central1",
    );
  });
  it("an explicit target skips the predicates", () => {
    const huge = serviceSchema.parse({ name: "svc", cpu: "64" });
    assert.deepEqual(
      chooseTarget({ target: "cloudrun", service: huge, cloudrun, region: "us-central1", gke: undefined }).target,
      "cloudrun",
    );
  });
});
