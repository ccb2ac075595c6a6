import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gkeSchema, serviceSchema } from "../../../components/config/schema";
import { GpuCluster } from "../../../components/targets/gke/cluster";
import { computeClassArgs } from "../../../components/targets/gke/cluster-spec";
import { gkeKeySettings } from "../../../components/targets/gke/summary";
import { resolveGke } from "../../../components/targets/gke/sizing";
import { runUnderMocks } from "../../../tools/mock-runtime";
import { validateCustomResource } from "../../helpers/crd-schemas";
import { find } from "../../helpers/inventory";
import { problemsOf, type Raw } from "../../helpers/config";

const COMPUTE_CLASS = "kubernetes:cloud.google.com/v1:ComputeClass";
const L4 = { type: "nvidia-l4", count: 1 };

function settings(gpuPool: Raw = {}) {
  return resolveGke(
    serviceSchema.parse({ name: "echo", cpu: "2", memory: "8Gi", gpu: L4 }),
    gkeSchema.parse({ gpuPool }),
    "us-central1",
  );
}

function stack(gpuPool: Raw): Raw {
  return {
    "gcp:project": "acme-prod",
    "gcp:region": "us-central1",
    "runway:target": "gke",
    "runway:service": { name: "infer", cpu: "3", memory: "11Gi", gpu: L4, maxInstances: 3 },
    "runway:gke": { gpuPool },
  };
}

describe("GPU pool ComputeClass", () => {
  it("names the GPU pool, creates no pools, and removes an unneeded node after 5 minutes by default", () => {
    assert.deepEqual(computeClassArgs(settings()), {
      apiVersion: "cloud.google.com/v1",
      kind: "ComputeClass",
      metadata: { name: "runway-gpu" },
      spec: {
        priorities: [{ nodepools: ["gpu"] }],
        nodePoolAutoCreation: { enabled: false },
        whenUnsatisfiable: "DoNotScaleUp",
        autoscalingPolicy: { consolidationDelayMinutes: 5 },
      },
    });
  });

  it("follows runway:gke.gpuPool.scaleDownDelayMinutes and passes the upstream CRD schema", () => {
    const manifest = computeClassArgs(settings({ scaleDownDelayMinutes: 2 }));
    assert.equal(manifest.spec.autoscalingPolicy.consolidationDelayMinutes, 2);
    validateCustomResource(COMPUTE_CLASS, manifest);
  });

  it("the upstream schema refuses delays outside 1..1440 minutes", () => {
    const at = (minutes: number) => ({
      ...computeClassArgs(settings()),
      spec: { ...computeClassArgs(settings()).spec, autoscalingPolicy: { consolidationDelayMinutes: minutes } },
    });
    validateCustomResource(COMPUTE_CLASS, at(1));
    validateCustomResource(COMPUTE_CLASS, at(1440));
    assert.throws(() => validateCustomResource(COMPUTE_CLASS, at(0)), /must be >= 1/);
    assert.throws(() => validateCustomResource(COMPUTE_CLASS, at(1441)), /must be <= 1440/);
  });

  it("the config refuses the same out-of-range delays with the key path", () => {
    assert.deepEqual(problemsOf(stack({ scaleDownDelayMinutes: 0 })), [
      "runway:gke.gpuPool.scaleDownDelayMinutes: must be at least 1 (the ComputeClass's minimum)",
    ]);
    assert.deepEqual(problemsOf(stack({ scaleDownDelayMinutes: 1441 })), [
      "runway:gke.gpuPool.scaleDownDelayMinutes: must be at most 1440 (24 hours, the ComputeClass's maximum)",
    ]);
    assert.deepEqual(problemsOf(stack({ scaleDownDelayMinutes: 2.5 })), [
      "runway:gke.gpuPool.scaleDownDelayMinutes: must be a whole number of minutes from 1 to 1440",
    ]);
    assert.deepEqual(problemsOf(stack({ scaleDownDelayMinutes: 1440 })), []);
  });

  it("GpuCluster creates it with the cluster's provider only when there is a GPU pool, and the plan shows it", async () => {
    const run = (gpu: typeof L4 | undefined) =>
      runUnderMocks(
        () => {
          const gke = gpu ? settings() : resolveGke(serviceSchema.parse({ name: "echo" }), undefined, "us-central1");
          new GpuCluster("echo", { project: "acme-dev", region: "us-central1", gke, gpu });
          return {};
        },
        { config: { "gcp:project": "acme-dev", "gcp:region": "us-central1" } },
      );
    const withGpu = await run(L4);
    const registration = withGpu.resources.find((r) => r.type === COMPUTE_CLASS);
    assert.equal(registration?.name, "echo-gpu-class");
    assert.match(registration?.provider ?? "", /echo-k8s/);
    assert.deepEqual(gkeKeySettings[COMPUTE_CLASS]?.(find(withGpu, COMPUTE_CLASS, "echo-gpu-class").inputs), [
      "node pools gpu",
      "an unneeded node goes after 5 min",
    ]);
    const withoutGpu = await run(undefined);
    assert.equal(
      withoutGpu.resources.some((r) => r.type === COMPUTE_CLASS),
      false,
    );
  });
});
