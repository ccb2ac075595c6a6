/** service.release on every target: the split, the stable image, the names, the rules, target: auto and cost. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { estimateMonthlyCost } from "../../components/cost/estimate";
import { serviceSchema } from "../../components/config/schema";
import { knativeTraffic, revisionNameOf, stableImage, trafficSplit } from "../../components/workload/release";
import { problemsOf, validConfig } from "../helpers/config";

const D1 = `sha256:${"1".repeat(64)}`;
const IMAGE = `us-central1-docker.pkg.dev/my-project/repo/app@sha256:${"2".repeat(64)}`;
const service = (release: unknown) => serviceSchema.parse({ name: "echo", release });

describe("the split", () => {
  it("is all to the candidate without a release, and candidate then stable with one", () => {
    assert.deepEqual(trafficSplit(service(undefined)), [{ release: "candidate", percent: 100 }]);
    assert.deepEqual(trafficSplit(service({ stable: D1, candidatePercent: 10, candidateTag: "canary" })), [
      { release: "candidate", percent: 10, tag: "canary" },
      { release: "stable", percent: 90 },
    ]);
  });

  it("is Knative's spec.traffic: latestRevision for the candidate, the stable revision by name", () => {
    assert.deepEqual(knativeTraffic(service({ stable: D1, candidatePercent: 0, stableTag: "prev" }), "echo-abc"), [
      { percent: 0, latestRevision: true },
      { percent: 100, revisionName: "echo-abc", tag: "prev" },
    ]);
  });

  it("takes a bare digest from the candidate's repository, and a whole reference as written", () => {
    assert.equal(stableImage(D1, IMAGE), `us-central1-docker.pkg.dev/my-project/repo/app@${D1}`);
    const other = `europe-docker.pkg.dev/q/r/s@${D1}`;
    assert.equal(stableImage(other, IMAGE), other);
  });
});

describe("revision names", () => {
  it("depend on the content, not on key order, and change with any value", () => {
    const a = revisionNameOf("echo", { x: 1, y: { z: [1, 2] } });
    assert.match(a, /^echo-[0-9a-f]{12}$/);
    assert.equal(revisionNameOf("echo", { y: { z: [1, 2] }, x: 1 }), a);
    assert.notEqual(revisionNameOf("echo", { x: 1, y: { z: [2, 1] } }), a);
  });
});

describe("release rules", () => {
  const base = { "gcp:project": "my-project", "gcp:region": "us-central1", "runway:image": { ref: IMAGE } };
  const problems = (release: unknown, extra: Record<string, unknown> = {}) =>
    problemsOf({ ...base, "runway:service": { name: "echo", release }, ...extra });

  it("refuses bad shapes with their keys", () => {
    assert.deepEqual(problems({ stable: "latest", candidatePercent: 101, candidateTag: "Canary" }), [
      "runway:service.release.stable: must be an image digest (sha256: and 64 hex digits) or an image pinned by digest (NAME@sha256:…)",
      "runway:service.release.candidatePercent: must be from 0 to 100",
      "runway:service.release.candidateTag: must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 63 characters",
    ]);
  });

  it("needs stable for a split or a stable tag, and two different tags", () => {
    assert.deepEqual(problems({ candidatePercent: 0, stableTag: "prev" }), [
      "runway:service.release.stable: is required when candidatePercent is 0: the image that serves the other 100%",
      "runway:service.release.stableTag: needs stable: the tag names the stable image's URL",
    ]);
    assert.deepEqual(problems({ stable: D1, candidateTag: "same", stableTag: "same" }), [
      "runway:service.release.stableTag: same is also candidateTag; each tag names one release's URL",
    ]);
  });

  it("target auto: a percentage split keeps the service on Cloud Run, and says so", () => {
    const config = validConfig({
      ...base,
      "runway:target": "auto",
      "runway:service": { name: "echo", release: { stable: D1, candidatePercent: 25 } },
    });
    assert.equal(config.decision.target, "cloudrun");
    assert.equal(
      config.decision.reasons[0],
      "runway:service.release.candidatePercent is 25: a split by percentage, which only Cloud Run routes",
    );
  });
});

describe("release cost", () => {
  const minOne = (release?: unknown) =>
    estimateMonthlyCost(
      validConfig({
        "gcp:project": "my-project",
        "gcp:region": "us-central1",
        "runway:target": "cloudrun",
        "runway:image": { ref: IMAGE },
        "runway:cloudrun": { cpuIdle: false },
        "runway:service": { name: "echo", minInstances: 1, ...(release ? { release } : {}) },
      }),
    );

  it("Cloud Run: both revisions keep their min instances while both serve a share, and only then", () => {
    const single = minOne();
    const canary = minOne({ stable: D1, candidatePercent: 10 });
    const rolledBack = minOne({ stable: D1, candidatePercent: 0 });
    const compute = (estimate: ReturnType<typeof minOne>) =>
      estimate.idle.lines.filter((line) => line.item.startsWith("Cloud Run")).map((l) => l.item);
    assert.deepEqual(compute(canary), [
      "Cloud Run vCPU, 1 min instance in each of 2 revisions (release) all month",
      "Cloud Run memory, 1 min instance in each of 2 revisions (release) all month",
    ]);
    assert.deepEqual(compute(rolledBack), compute(single));
    assert.ok((canary.idle.usd ?? 0) > (single.idle.usd ?? 0));
  });
});
