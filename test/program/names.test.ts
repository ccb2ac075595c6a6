import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Inventory } from "../../tools/mock-runtime";
import { applyOverride } from "../../tools/plan/overrides";
import { runStack, stackConfig, stackNames } from "../helpers/stack";

/**
 * The project-scoped names a stack claims, as "type name": what two stacks in one project must not share. Node
 * pools and Kubernetes objects are named inside their cluster, so they are not among them.
 */
function claimedNames(inventory: Inventory): string[] {
  const inCluster = (type: string) => type.startsWith("kubernetes:") || type === "gcp:container/nodePool:NodePool";
  const named = (r: Inventory["resources"][number]): unknown =>
    r.inputs.accountId ?? r.inputs.repositoryId ?? (inCluster(r.type) ? undefined : r.inputs.name);
  return inventory.resources
    .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && named(r) !== undefined)
    .map((r) => `${r.type} ${String(named(r))}`)
    .sort();
}

describe("two stacks of one service in one project", () => {
  const dev = stackConfig("dev");
  // The service name the stack file gives; a template copy renames it.
  const { service } = stackNames("dev");

  for (const target of ["cloudrun", "gke"]) {
    it(`claim no name in common on ${target}`, async () => {
      const config = applyOverride(dev, `runway:target=${target}`);
      const first = claimedNames(await runStack(config, "dev"));
      const second = claimedNames(await runStack(config, "staging"));
      assert.ok(first.length >= (target === "gke" ? 8 : 3), first.join("\n"));
      assert.deepEqual(
        first.filter((name) => second.includes(name)),
        [],
      );
    });
  }

  it("name the dev stack's resources <service>-<stack>", async () => {
    const inventory = await runStack(applyOverride(dev, "runway:target=gke"), "dev");
    const base = `${service}-dev`;
    assert.deepEqual(claimedNames(inventory), [
      `gcp:artifactregistry/repository:Repository ${base}`,
      `gcp:compute/network:Network ${base}-network`,
      `gcp:compute/router:Router ${base}-router`,
      `gcp:compute/routerNat:RouterNat ${base}-nat`,
      `gcp:compute/subnetwork:Subnetwork ${base}-subnet`,
      `gcp:container/cluster:Cluster ${base}`,
      `gcp:serviceaccount/account:Account ${base}-gke`,
      `gcp:serviceaccount/account:Account ${base}-nodes`,
    ]);
  });

  it("keeps the names of a stack that sets runway:physicalName, and its URNs either way", async () => {
    const config = applyOverride(dev, `runway:physicalName=${service}`);
    const pinned = await runStack(config, "dev");
    const derived = await runStack(dev, "dev");
    assert.deepEqual(claimedNames(pinned), [
      `gcp:artifactregistry/repository:Repository ${service}`,
      `gcp:cloudrunv2/service:Service ${service}`,
      `gcp:serviceaccount/account:Account ${service}-run`,
    ]);
    assert.deepEqual(
      pinned.resources.map((r) => r.urn),
      derived.resources.map((r) => r.urn),
    );
  });
});
