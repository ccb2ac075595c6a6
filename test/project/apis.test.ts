import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ProjectApis, RESOURCE_MANAGER_API } from "../../components/project/apis";
import { loadProgram, runUnderMocks, type Inventory } from "../../tools/mock-runtime";
import { stackConfig } from "../helpers/stack";
import { dependenciesOf, find, listing } from "../helpers/inventory";

const ROOT = path.join(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "index.ts");
const SERVICE = "gcp:projects/service:Service";
const MANAGER = `${SERVICE} echo-cloudresourcemanager-api`;

/** Every API resource but Resource Manager's waits for it, and it waits for none. */
function assertManagerFirst(inventory: Inventory): void {
  const manager = find(inventory, SERVICE, "echo-cloudresourcemanager-api");
  assert.equal(manager.inputs.service, RESOURCE_MANAGER_API);
  assert.equal(manager.inputs.disableOnDestroy, false);
  assert.deepEqual(dependenciesOf(inventory, manager), []);
  const others = inventory.resources.filter((r) => r.type === SERVICE && r.urn !== manager.urn);
  assert.ok(others.length > 0);
  for (const api of others) assert.ok(dependenciesOf(inventory, api).includes(MANAGER), `${api.name} waits for it`);
}

describe("Cloud Resource Manager API", () => {
  for (const stack of ["dev", "prod"]) {
    it(`is enabled in the ${stack} stack, before every other API`, async () => {
      const inventory = await runUnderMocks(() => loadProgram(PROGRAM), {
        config: stackConfig(stack),
        stack,
      });
      assert.ok(listing(inventory).includes(MANAGER));
      assertManagerFirst(inventory);
    });
  }

  it("is enabled once by every ProjectApis, first, even when it is not asked for or asked for again", async () => {
    for (const apis of [
      ["run.googleapis.com", "iam.googleapis.com"],
      ["iam.googleapis.com", RESOURCE_MANAGER_API],
    ]) {
      const inventory = await runUnderMocks(
        () => {
          const enabled = new ProjectApis("echo", { project: "acme-dev", apis });
          return { services: enabled.services.map((s) => s.service) };
        },
        { config: { "gcp:project": "acme-dev", "gcp:region": "us-central1" } },
      );
      assert.equal(listing(inventory).filter((entry) => entry === MANAGER).length, 1, JSON.stringify(apis));
      assertManagerFirst(inventory);
    }
  });
});
