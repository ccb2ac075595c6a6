import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import { targetDifferences } from "../../../components/targets";

const service = (fields: Record<string, unknown>) => serviceSchema.parse({ name: "echo", ...fields });

describe("what the plan says differs on each target", () => {
  it("GKE: concurrency is a scaling target, and a GPU cold start from zero takes minutes", () => {
    assert.deepEqual(targetDifferences("gke", service({ concurrency: 4, gpu: { type: "nvidia-l4" } })), [
      "service.concurrency 4 is the requests in flight per pod KEDA scales for, not a hard cap as on Cloud Run",
      "a request after idle waits for a GPU node to boot, install its driver and pull the image (minutes; Cloud Run starts GPU instances in seconds), up to runway:gke.coldStartSeconds",
    ]);
    assert.equal(targetDifferences("gke", service({ minInstances: 1 })).length, 1);
  });

  it("Cloud Run: a readiness path is not probed", () => {
    assert.deepEqual(targetDifferences("cloudrun", service({})), []);
    assert.deepEqual(targetDifferences("cloudrun", service({ readyPath: "/readyz" })), [
      "service.readyPath /readyz is not probed: Cloud Run's readiness probes are Preview, and it stops sending requests to an instance it shuts down",
    ]);
  });
});
