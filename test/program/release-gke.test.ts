/**
 * A release on the GKE stack (prod) as a sequence of plans: deploy v1, a dark canary of v2 (0% with a tag), promote,
 * roll back. GKE splits no percentage, so each step routes the load balancer's address to one release; the test reads
 * each step's InterceptorRoutes (hosts per release), Deployments (images) and ScaledObjects from the mock inventory.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Inventory } from "../../tools/mock-runtime";
import { planStack, type Override } from "../../tools/plan/cli";
import { find, findInputs } from "../helpers/inventory";
import { releaseStep, stackRepository, V1, V2, withOverrides } from "../helpers/release";
import { runStack, stackNames } from "../helpers/stack";

const STACK = "prod";
const names = stackNames(STACK);
const s = names.service;
const repository = stackRepository(STACK);
const step = (digest: string, release?: Record<string, unknown>) => releaseStep(STACK, digest, release);
/** The mock's internal load balancer address (tools/mock-runtime.ts). */
const ADDRESS = "10.128.0.10";
const ROUTE = "kubernetes:http.keda.sh/v1beta1:InterceptorRoute";
const SCALER = "kubernetes:keda.sh/v1alpha1:ScaledObject";

function routes(inventory: Inventory): Record<string, unknown> {
  return Object.fromEntries(
    inventory.resources
      .filter((r) => r.type === ROUTE)
      .map((r) => [r.name, (r.inputs.spec as { rules?: unknown }).rules ?? "no rules"]),
  );
}

function images(inventory: Inventory): Record<string, string | undefined> {
  return Object.fromEntries(
    inventory.resources
      .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
      .map((r) => [
        r.name,
        findInputs(inventory, "kubernetes:apps/v1:Deployment", r.name).spec?.template.spec?.containers[0]?.image,
      ]),
  );
}

const run = (overrides: readonly Override[]) => runStack(withOverrides(STACK, overrides), STACK);

describe("release walk-through on GKE (prod)", () => {
  const deployV1 = step(V1);
  const darkCanary = step(V2, { stable: V1, candidatePercent: 0, candidateTag: "canary" });
  const promoteV2 = step(V2);
  const rollBack = step(V2, { stable: V1, candidatePercent: 0, stableTag: "stable" });

  it("v1: one Deployment, its route answers the address", async () => {
    const inventory = await run(deployV1);
    assert.deepEqual(images(inventory), { [`${s}-deployment`]: `${repository}@${V1}` });
    assert.deepEqual(routes(inventory), { [`${s}-route`]: [{ hosts: [ADDRESS] }] });
  });

  it("dark canary: v1 runs again as the stable Deployment and keeps the address; v2 answers only its tag's Host", async () => {
    const inventory = await run(darkCanary);
    assert.deepEqual(images(inventory), {
      [`${s}-deployment`]: `${repository}@${V2}`,
      [`${s}-stable-deployment`]: `${repository}@${V1}`,
    });
    assert.deepEqual(routes(inventory), {
      [`${s}-route`]: [{ hosts: [`canary---${ADDRESS}`] }],
      [`${s}-stable-route`]: [{ hosts: [ADDRESS] }],
    });
    // Each release scales from zero on its own route's count.
    const stableScaler = find(inventory, SCALER, `${s}-stable-scaler`).inputs.spec as {
      scaleTargetRef: { name: string };
      triggers: { metadata: { interceptorRoute: string } }[];
    };
    assert.equal(stableScaler.scaleTargetRef.name, `${s}-stable`);
    assert.equal(stableScaler.triggers[0]?.metadata.interceptorRoute, `${s}-stable`);
    assert.deepEqual(inventory.outputs.tags, { canary: { url: `http://${ADDRESS}`, host: `canary---${ADDRESS}` } });
  });

  it("promote: the stable objects go, v2's route answers the address", async () => {
    const inventory = await run(promoteV2);
    assert.deepEqual(images(inventory), { [`${s}-deployment`]: `${repository}@${V2}` });
    assert.deepEqual(routes(inventory), { [`${s}-route`]: [{ hosts: [ADDRESS] }] });
  });

  it("roll back: v1 answers the address and its tag, v2 stays deployed with no host", async () => {
    const inventory = await run(rollBack);
    assert.deepEqual(routes(inventory), {
      [`${s}-route`]: "no rules",
      [`${s}-stable-route`]: [{ hosts: [ADDRESS] }, { hosts: [`stable---${ADDRESS}`] }],
    });
  });

  it("a 10% canary is refused on GKE with the reason and the way out", async () => {
    const result = await planStack(STACK, step(V2, { stable: V1, candidatePercent: 10 }), { previous: deployV1 });
    assert.deepEqual(result, {
      ok: false,
      problems: [
        {
          path: "runway:service.release.candidatePercent",
          message:
            "10 splits traffic by percentage, which GKE cannot: KEDA's interceptor picks a route by host, path or header, not by weight (InterceptorRoute, http-add-on 0.15.0); use 0 or 100 with tags on GKE, or Cloud Run (runway:target: cloudrun) for a percentage split",
        },
      ],
    });
  });

  it("the plan prints the dark canary's split and what differs on GKE", async () => {
    const result = await planStack(STACK, darkCanary, { previous: deployV1 });
    assert.ok(result.ok);
    assert.deepEqual(result.plan.traffic.next, [
      { percent: 0, release: "candidate", image: `${repository}@${V2}`, tag: "canary" },
      { percent: 100, release: "stable", image: V1 },
    ]);
    assert.ok(
      result.plan.differences.includes(
        "the stable image runs as a second Deployment with its own scaler (both scale to zero), where Cloud Run keeps it as an earlier revision",
      ),
    );
  });
});
