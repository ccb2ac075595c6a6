/**
 * The plan refuses a change that moves the GKE stack (prod) away from its disks' data unless runway:allowDataLoss is
 * true: the previous step is prod with a disk volume, each next step a target switch, a rename or the volume's removal.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planStack, type Override, type PlanResult } from "../../tools/plan/cli";

const STACK = "prod";
const WITH_DISK: Override[] = [
  { set: 'runway:service.volumes={"data":{"kind":"disk","size":"100Gi","mountPath":"/data"}}' },
];
const OPT_IN = "set runway:allowDataLoss: true to go ahead (the disks are kept, but the service no longer uses them)";
const GONE = `runway:service.volumes.data: is a disk volume in the previous config and is gone (or no longer a disk) here, which leaves its data behind; ${OPT_IN}`;
const moved = (path: string, before: string, after: string) =>
  `${path}: changes from ${before} to ${after}, which leaves the disk volume data behind; ${OPT_IN}`;

function problems(result: PlanResult): string[] {
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

/** The next step refused with exactly `expected`, and planned once runway:allowDataLoss is true. */
async function refusedUnlessAllowed(next: readonly Override[], expected: readonly string[]): Promise<void> {
  assert.deepEqual(problems(await planStack(STACK, next, { previous: WITH_DISK })), expected);
  const allowed = await planStack(STACK, [...next, "runway:allowDataLoss=true"], { previous: WITH_DISK });
  assert.deepEqual(problems(allowed), []);
  assert.equal(allowed.ok, true);
}

describe("data safety on the GKE stack (prod) with a disk volume", () => {
  it("keeps planning while the disk stays where it is", async () => {
    assert.equal((await planStack(STACK, WITH_DISK, { previous: WITH_DISK })).ok, true);
  });

  it("refuses switching to Cloud Run once the disk is removed", async () => {
    await refusedUnlessAllowed(["runway:target=cloudrun"], [moved("runway:target", "gke", "cloudrun"), GONE]);
  });

  it("refuses renaming runway:serviceName (the name, physical name and namespace all move)", async () => {
    await refusedUnlessAllowed(
      [...WITH_DISK, "runway:serviceName=vault"],
      [
        moved("runway:service.name", "echo", "vault"),
        moved("runway:physicalName", "echo-prod", "vault-prod"),
        moved("runway:gke.namespace", "echo", "vault"),
      ],
    );
  });

  it("refuses renaming runway:physicalName", async () => {
    await refusedUnlessAllowed(
      [...WITH_DISK, "runway:physicalName=echo-blue"],
      [moved("runway:physicalName", "echo-prod", "echo-blue")],
    );
  });

  it("refuses removing the disk volume", async () => {
    await refusedUnlessAllowed([], [GONE]);
  });
});

describe("what the plan says and refuses around state on prod", () => {
  it("says the Deployment becomes a StatefulSet when a disk volume arrives", async () => {
    const result = await planStack(STACK, WITH_DISK, { previous: [] });
    assert.ok(result.ok);
    assert.deepEqual(result.plan.replaces, [
      "the Deployment becomes a StatefulSet (a disk volume): every pod is replaced at once, not rolled, and each replica gets its own new disk",
    ]);
  });

  it("refuses a target switch that would drop the event subscriptions' backlog, unless allowed", async () => {
    const events: Override[] = [{ set: 'runway:service.events=[{"source":"pubsub","topic":"orders"}]' }];
    const toCloudRun: Override[] = [...events, { set: "runway:target=cloudrun" }];
    const refused = await planStack(STACK, toCloudRun, { previous: events });
    assert.deepEqual(problems(refused), [
      "runway:target: changes from gke to cloudrun, which replaces the 1 event subscription and drops the messages they still hold; set runway:allowDataLoss: true to go ahead",
    ]);
    const allowed = await planStack(STACK, [...toCloudRun, "runway:allowDataLoss=true"], { previous: events });
    assert.equal(allowed.ok, true);
  });
});
