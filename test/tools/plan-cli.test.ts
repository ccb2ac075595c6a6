import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { z } from "zod";

const ROOT = path.join(__dirname, "..", "..");

/** Runs what `npm run plan -- …` runs (package.json), as a separate process. */
function plan(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ["--require", "./tools/plan/ts-require.js", "tools/plan/cli.ts", ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const costLine = z.strictObject({ item: z.string(), usd: z.number().optional(), basis: z.string() });
const costPart = z.strictObject({ usd: z.number().optional(), lines: z.array(costLine) });
const resource: z.ZodType<unknown> = z.lazy(() =>
  z.strictObject({ type: z.string(), name: z.string(), settings: z.array(z.string()), children: z.array(resource) }),
);
/** The --json document CI consumes. */
const planDocument = z.strictObject({
  ok: z.literal(true),
  stack: z.string(),
  target: z.enum(["cloudrun", "gke"]),
  targetReasons: z.array(z.string()).min(1),
  physicalName: z.string(),
  differences: z.array(z.string()),
  resources: z.array(resource),
  mockOutputs: z.record(z.string(), z.unknown()),
  estimatedMonthlyCost: z.strictObject({
    region: z.string(),
    known: z.boolean(),
    idle: costPart,
    underLoad: costPart.optional(),
    notes: z.array(z.string()),
  }),
});

describe("npm run plan", () => {
  it("prints the dev stack's target, resource tree and cost, labelling outputs as mock", () => {
    const { code, stdout, stderr } = plan("--stack", "dev");
    assert.equal(code, 0, stderr);
    assert.match(
      stdout,
      /^Stack dev: target cloudrun\n  because runway:target is cloudrun: an explicit target always wins\n/,
    );
    assert.match(
      stdout,
      /\n  runway:index:ProjectApis echo\n(    gcp:projects\/service:Service echo-[a-z]+-api — enables [a-z]+\.googleapis\.com\n){5}  runway:index:ArtifactImage echo\n/,
    );
    assert.match(stdout, /\n  names in the project start with echo-dev \(runway:physicalName\)\n/);
    assert.match(
      stdout,
      /\n      gcp:cloudrunv2\/service:Service echo-service — image us-central1-docker\.pkg\.dev\/acme-dev\/echo-dev\/echo-dev@sha256:[0-9a-f]{64}; cpu 1; memory 512Mi; instances 0\.\.5; concurrency 80; request-based billing; ingress INGRESS_TRAFFIC_ALL; deletion protection false\n/,
    );
    assert.match(stdout, /\n  idle: \$0\.15\n/);
    assert.match(stdout, /\nOutputs \(mock values from the offline plan, not real\):\n/);
    assert.equal(stderr, "");
  });

  it("plans the prod stack on GKE with a protected repository and an internal load balancer, never printing the kubeconfig", () => {
    const { code, stdout } = plan("--stack", "prod");
    assert.equal(code, 0);
    assert.match(stdout, /^Stack prod: target gke\n/);
    assert.match(
      stdout,
      /gcp:container\/nodePool:NodePool echo-gpu-pool — g2-standard-8 with 1× nvidia-l4; nodes 0\.\.4 per zone; on-demand/,
    );
    assert.match(stdout, /echo-system-pool — e2-standard-4; nodes 1\.\.1 per zone; on-demand/);
    assert.match(stdout, /note: System pool fit: runway's add-ons and GKE's own pods request 1360m CPU \/ 770Mi; /);
    assert.match(stdout, /echo-repo — DOCKER in us-central1; keeps 10 recent versions; protected from pulumi destroy/);
    assert.match(stdout, /kubernetes:core\/v1:Service echo-entry — LoadBalancer \(internal\)/);
    assert.doesNotMatch(stdout, /kubeconfig|gke-gcloud-auth-plugin/);
  });

  it("emits one JSON document of the documented shape with --json", () => {
    for (const stack of ["dev", "prod"]) {
      const { code, stdout } = plan("--stack", stack, "--json");
      assert.equal(code, 0);
      const document = planDocument.parse(JSON.parse(stdout));
      assert.equal(document.stack, stack);
      assert.equal(document.physicalName, `echo-${stack}`);
      assert.equal(document.estimatedMonthlyCost.known, true);
    }
  });

  it("answers what-if questions with --set: dev with a T4 moves to GKE (auto)", () => {
    const { code, stdout } = plan(
      "--stack",
      "dev",
      "--json",
      "--set",
      "runway:target=auto",
      "--set",
      'runway:service.gpu={"type":"nvidia-tesla-t4"}',
      "--set",
      "runway:service.cpu=4",
      "--set",
      "runway:service.memory=12Gi",
      "--set",
      "runway:service.maxInstances=3",
    );
    assert.equal(code, 0);
    const document = planDocument.parse(JSON.parse(stdout));
    assert.equal(document.target, "gke");
    assert.deepEqual(document.targetReasons, [
      "runway:service.gpu.type: nvidia-tesla-t4 is not offered by Cloud Run; Cloud Run offers nvidia-l4",
    ]);
    const names = JSON.stringify(document.resources);
    assert.match(names, /"name":"echo-gpu-pool","settings":\["n1-standard-8 with 1× nvidia-tesla-t4"/);
  });

  it("takes --set leaves as `pulumi config set --path` stores them: 0.5 is the string Pulumi stores, read as a number", () => {
    const { code, stdout, stderr } = plan(
      "--stack",
      "dev",
      "--set",
      "runway:load.requestsPerMonth=1000000",
      "--set",
      "runway:load.avgRequestSeconds=0.5",
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /\n  under the runway:load profile: \$/);
  });

  it("prints only the problems and exits 1 on bad config", () => {
    const { code, stdout, stderr } = plan(
      "--stack",
      "dev",
      "--set",
      "runway:service.memory=64Gi",
      "--set",
      "runway:servce=1",
    );
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      [
        "The stack config has 2 problems:",
        "  runway:servce: unknown key; did you mean runway:service? valid keys here: target, image, service, cloudrun, gke, load, protect, physicalName",
        "  runway:service.memory: 64Gi is more than Cloud Run's maximum of 32Gi",
        "",
      ].join("\n"),
    );
    const json = plan("--stack", "dev", "--json", "--set", "runway:service.memory=64Gi");
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      problems: [{ path: "runway:service.memory", message: "64Gi is more than Cloud Run's maximum of 32Gi" }],
    });
  });

  it("says how to call it when the stack is missing or unknown", () => {
    assert.equal(plan().code, 2);
    const unknown = plan("--stack", "nope");
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.stderr,
      `plan: ${path.join(ROOT, "Pulumi.nope.yaml")}: no such stack file; the stacks here are dev, prod (pulumi stack init NAME creates one)\n`,
    );
  });
});
