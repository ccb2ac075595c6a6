/**
 * Issue 10 point 5, "a plain switch works": each service description, with the dev stack's config and only
 * runway:service and runway:target set, either deploys on the target or is refused with exactly the problems
 * listed. GKE-only descriptions also deploy from defaults with runway:target auto, and every shipped stack
 * evaluates with only runway:target flipped.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProgramFailure, type Inventory } from "../../tools/mock-runtime";
import { applyOverride } from "../../tools/plan/overrides";
import { runStack, stackConfig, withService } from "../helpers/stack";

type Target = "cloudrun" | "gke";
const COMPONENT: Record<Target, string> = {
  cloudrun: "runway:index:CloudRunService",
  gke: "runway:index:KubernetesService",
};

/** The dev stack's gcp: keys, image and service name, without any other runway:service/target/gke/cloudrun/load setting. */
function baseConfig(): Record<string, string> {
  const dev = stackConfig("dev");
  const rest = Object.fromEntries(
    Object.entries(dev).filter(
      ([key]) => !["runway:target", "runway:gke", "runway:cloudrun", "runway:load"].includes(key),
    ),
  );
  return withService(rest, {});
}

function configFor(service: Record<string, unknown>, target: Target | "auto"): Record<string, string> {
  return applyOverride(withService(baseConfig(), service), `runway:target=${target}`);
}

async function evaluate(config: Record<string, string>): Promise<Inventory | string[]> {
  try {
    return await runStack(config, "dev");
  } catch (error) {
    if (!(error instanceof ProgramFailure)) throw error;
    // "The stack config has N problem(s):" and one problem a line.
    return error.message
      .split("\n")
      .slice(1)
      .map((line) => line.trim());
  }
}

function assertDeploys(outcome: Inventory | string[], target: Target): void {
  assert.ok(!Array.isArray(outcome), `refused: ${Array.isArray(outcome) ? outcome.join("; ") : ""}`);
  assert.equal(outcome.outputs["target"], target);
  assert.ok(
    outcome.resources.some((r) => r.type === COMPONENT[target]),
    `no ${COMPONENT[target]} registered`,
  );
}

const CPU_16 = "runway:service.cpu: 16 vCPUs is more than Cloud Run's maximum of 8";

const SIDECARS = [
  {
    name: "sql-proxy",
    image: `gcr.io/cloud-sql-connectors/cloud-sql-proxy@sha256:${"b".repeat(64)}`,
    cpu: "0.5",
    memory: "256Mi",
    secrets: { DB_PASSWORD: "db-password" },
    startupProbe: { path: "/startup", port: 9090 },
    startsFirst: true,
  },
  {
    name: "log-forwarder",
    image: `docker.io/fluent/fluent-bit@sha256:${"a".repeat(64)}`,
    cpu: "0.25",
    memory: "128Mi",
  },
];

/** Each description and, per target, "deploys" or the exact problem list. */
const TABLE: [string, Record<string, unknown>, Record<Target, "deploys" | string[]>][] = [
  ["web service defaults", {}, { cloudrun: "deploys", gke: "deploys" }],
  // The concurrency default follows cpu as Cloud Run's does (1 below 1 vCPU), so 0.5 vCPU alone is valid.
  ["0.5 vCPU", { cpu: "0.5", memory: "512Mi" }, { cloudrun: "deploys", gke: "deploys" }],
  [
    "0.5 vCPU, 80 requests at a time",
    { cpu: "0.5", memory: "512Mi", concurrency: 80 },
    { cloudrun: ["runway:service.concurrency: must be 1 when cpu is below 1 (cpu is 0.5)"], gke: "deploys" },
  ],
  ["8 vCPU / 32Gi", { cpu: "8", memory: "32Gi" }, { cloudrun: "deploys", gke: "deploys" }],
  [
    "1 L4, 4 vCPU / 16Gi",
    { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, maxInstances: 3 },
    { cloudrun: "deploys", gke: "deploys" },
  ],
  [
    "an L4 with minInstances 0",
    { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, minInstances: 0, maxInstances: 3 },
    { cloudrun: "deploys", gke: "deploys" },
  ],
  ["a public service", { public: true }, { cloudrun: "deploys", gke: "deploys" }],
  ["a service with secrets", { secrets: { API_KEY: "api-key" } }, { cloudrun: "deploys", gke: "deploys" }],
  ["16 vCPU (GKE-only)", { cpu: "16", memory: "32Gi", maxInstances: 2 }, { cloudrun: [CPU_16], gke: "deploys" }],
  [
    "a T4",
    { cpu: "2", memory: "8Gi", gpu: { type: "nvidia-tesla-t4" }, maxInstances: 2 },
    {
      cloudrun: ["runway:service.gpu.type: nvidia-tesla-t4 is not offered by Cloud Run; Cloud Run offers nvidia-l4"],
      gke: "deploys",
    },
  ],
  [
    "2× L4",
    { cpu: "8", memory: "32Gi", gpu: { type: "nvidia-l4", count: 2 }, maxInstances: 2 },
    {
      cloudrun: ["runway:service.gpu.count: 2 GPUs per instance; Cloud Run allows 1"],
      gke: "deploys",
    },
  ],
  [
    "a 7200 s timeout",
    { timeoutSeconds: 7200 },
    {
      cloudrun: ["runway:service.timeoutSeconds: 7200 s is more than Cloud Run's maximum of 3600 s"],
      gke: "deploys",
    },
  ],
  ["maxInstances 20", { maxInstances: 20 }, { cloudrun: "deploys", gke: "deploys" }],
  // Issue 13 item 2: sidecars (placeholder digests).
  ["a start-first sidecar and a plain one", { sidecars: SIDECARS }, { cloudrun: "deploys", gke: "deploys" }],
  [
    "sidecars beyond Cloud Run's 8 vCPU",
    { cpu: "8", memory: "16Gi", maxInstances: 2, sidecars: [{ ...SIDECARS[1], cpu: "1" }] },
    {
      cloudrun: [
        "runway:service.sidecars: the app and its sidecars take 9 vCPUs per instance, more than Cloud Run's maximum of 8",
      ],
      gke: "deploys",
    },
  ],
];

describe("a plain switch: each description on each target", () => {
  for (const [name, service, expected] of TABLE) {
    for (const target of ["cloudrun", "gke"] as const) {
      const outcome = expected[target];
      it(`${name} on ${target} ${outcome === "deploys" ? "deploys" : "is refused"}`, async () => {
        const result = await evaluate(configFor(service, target));
        if (outcome === "deploys") assertDeploys(result, target);
        else assert.deepEqual(result, outcome);
      });
    }
  }
});

/** The descriptions Cloud Run refuses for a limit GKE lifts (the others are Cloud Run mistakes GKE would not fix). */
const NEEDS_GKE = ["16 vCPU (GKE-only)", "a T4", "2× L4", "a 7200 s timeout", "sidecars beyond Cloud Run's 8 vCPU"];

describe("runway:target auto on what needs GKE", () => {
  for (const [name, service, expected] of TABLE.filter(([name]) => NEEDS_GKE.includes(name))) {
    it(`${name} lands on a valid GKE stack from defaults`, async () => {
      assert.notEqual(expected.gke, undefined);
      assertDeploys(await evaluate(configFor(service, "auto")), "gke");
    });
  }
});

describe("every shipped stack with only runway:target flipped", () => {
  for (const [stack, flipped] of [
    ["dev", "gke"],
    ["prod", "cloudrun"],
  ] as const) {
    it(`${stack} evaluates on ${flipped}`, async () => {
      const config = applyOverride(stackConfig(stack), `runway:target=${flipped}`);
      assertDeploys(await runStack(config, stack), flipped);
    });
  }
});
