/**
 * A release on the Cloud Run stack (dev) as a sequence of plans: deploy v1, canary v2 at 10% with a tag, promote,
 * roll back. Each step's registered Cloud Run service is read from the mock inventory: its revision name and its
 * exact `traffics`. The stable revision a later step names must be the very revision an earlier step created.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planStack, type Override } from "../../tools/plan/cli";
import { findInputs } from "../helpers/inventory";
import { releaseStep, stackRepository, V1, V2, withOverrides } from "../helpers/release";
import { runStack, stackNames } from "../helpers/stack";

const STACK = "dev";
const names = stackNames(STACK);
const repository = stackRepository(STACK);
const step = (digest: string, release?: Record<string, unknown>) => releaseStep(STACK, digest, release);

async function cloudRunService(overrides: readonly Override[]) {
  const inventory = await runStack(withOverrides(STACK, overrides), STACK);
  const service = findInputs(inventory, "gcp:cloudrunv2/service:Service", `${names.service}-service`);
  return { revision: service.template.revision, traffics: service.traffics, outputs: inventory.outputs };
}

const LATEST = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST";
const REVISION = "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION";
const revisionPattern = new RegExp(`^${names.physical}-[0-9a-f]{12}$`);

describe("release walk-through on Cloud Run (dev)", () => {
  const deployV1 = step(V1);
  const canaryV2 = step(V2, { stable: V1, candidatePercent: 10, candidateTag: "canary" });
  const promoteV2 = step(V2);
  const rollBack = step(V2, { stable: V1, candidatePercent: 0, stableTag: "stable" });

  it("v1: one named revision takes all traffic", async () => {
    const v1 = await cloudRunService(deployV1);
    assert.match(v1.revision ?? "", revisionPattern);
    assert.deepEqual(v1.traffics, [{ type: LATEST, percent: 100 }]);
  });

  it("canary: v2 gets 10% and the tag canary, v1's own revision keeps 90%", async () => {
    const v1 = await cloudRunService(deployV1);
    const canary = await cloudRunService(canaryV2);
    assert.notEqual(canary.revision, v1.revision);
    assert.deepEqual(canary.traffics, [
      { type: LATEST, percent: 10, tag: "canary" },
      { type: REVISION, revision: v1.revision, percent: 90 },
    ]);
  });

  it("promote: v2's revision is the canary's, and it takes all traffic", async () => {
    const canary = await cloudRunService(canaryV2);
    const promoted = await cloudRunService(promoteV2);
    assert.equal(promoted.revision, canary.revision, "promoting creates no new revision");
    assert.deepEqual(promoted.traffics, [{ type: LATEST, percent: 100 }]);
  });

  it("roll back: v1's revision takes everything again, with a tag, and v2 stays deployed at 0%", async () => {
    const v1 = await cloudRunService(deployV1);
    const back = await cloudRunService(rollBack);
    assert.deepEqual(back.traffics, [
      { type: LATEST, percent: 0 },
      { type: REVISION, revision: v1.revision, percent: 100, tag: "stable" },
    ]);
  });

  it("the plan prints each step's previous and next split", async () => {
    const result = await planStack(STACK, canaryV2, { previous: deployV1 });
    assert.ok(result.ok);
    assert.deepEqual(result.plan.traffic, {
      previousFrom: "the previous step",
      previous: [{ percent: 100, release: "candidate", image: `${repository}@${V1}` }],
      next: [
        { percent: 10, release: "candidate", image: `${repository}@${V2}`, tag: "canary" },
        { percent: 90, release: "stable", image: V1 },
      ],
      changed: true,
    });
    const promoted = await planStack(STACK, promoteV2, { previous: promoteV2 });
    assert.ok(promoted.ok);
    assert.equal(promoted.plan.traffic.changed, false);
  });

  it("refuses a canary whose stable revision cannot exist, because the settings changed with it", async () => {
    const result = await planStack(STACK, [...canaryV2, { set: "runway:service.memory=1Gi" }], {
      previous: deployV1,
    });
    assert.deepEqual(result, {
      ok: false,
      problems: [
        {
          path: "runway:service.release.stable",
          message: `names the revision of ${V1} with this deploy's settings, which cannot exist: runway:service.memory changed since the previous config, and a Cloud Run revision keeps the settings it was deployed with; deploy the settings change first, then start the release`,
        },
      ],
    });
  });

  it("refuses a stable image that is the image this deploy runs", async () => {
    const result = await planStack(STACK, step(V1, { stable: V1, candidatePercent: 50 }), { previous: deployV1 });
    assert.deepEqual(result, {
      ok: false,
      problems: [
        {
          path: "runway:service.release.stable",
          message:
            "is runway:image.ref, the image this deploy runs; stable names an earlier image (remove release to send it everything)",
        },
      ],
    });
  });

  it("a canary without stable, and a tag URL over Cloud Run's length, are refused with their keys", async () => {
    const result = await planStack(STACK, step(V2, { candidatePercent: 10, candidateTag: "x".repeat(40) }));
    assert.deepEqual(result, {
      ok: false,
      problems: [
        {
          path: "runway:service.release.stable",
          message: "is required when candidatePercent is 10: the image that serves the other 90%",
        },
      ],
    });
    const long = await planStack(STACK, step(V2, { stable: V1, candidatePercent: 10, candidateTag: "x".repeat(40) }), {
      previous: deployV1,
    });
    assert.deepEqual(long, {
      ok: false,
      problems: [
        {
          path: "runway:service.release.candidateTag",
          message: `${"x".repeat(40)} and the service name ${names.physical} have ${40 + names.physical.length} characters together; Cloud Run allows 46 (a tag URL is one DNS label); use a tag of at most ${46 - names.physical.length}`,
        },
      ],
    });
  });
});
