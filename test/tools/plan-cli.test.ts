import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { runPlanCli } from "../helpers/plan-cli";

const runs = new Map<string, ReturnType<typeof runPlanCli>>();
/** `runPlanCli`, once per argument list: several tests read the same plan, and each run evaluates the program. */
function plan(...args: string[]) {
  const key = JSON.stringify(args);
  const result = runs.get(key) ?? runPlanCli(...args);
  runs.set(key, result);
  return result;
}

/** Lines wider than the plan's 120 columns, counted in code points. */
const wideLines = (text: string) => text.split("\n").filter((line) => [...line].length > 120);

const costLine = z.strictObject({ item: z.string(), usd: z.number().optional(), basis: z.string() });
const costPart = z.strictObject({ usd: z.number().optional(), lines: z.array(costLine) });
const note = z.strictObject({ text: z.string(), detail: z.string().optional(), source: z.string().optional() });
const resource: z.ZodType<unknown> = z.lazy(() =>
  z.strictObject({ type: z.string(), name: z.string(), settings: z.array(z.string()), children: z.array(resource) }),
);
/** The --json document CI consumes. */
const share = z.strictObject({
  percent: z.number().int().min(0).max(100),
  release: z.enum(["candidate", "stable"]),
  image: z.string(),
  tag: z.string().optional(),
});
const planDocument = z.strictObject({
  ok: z.literal(true),
  stack: z.string(),
  summary: z.string(),
  placeholder: z.string().optional(),
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
    briefNotes: z.array(note),
  }),
  replaces: z.array(z.string()),
  traffic: z.strictObject({
    previousFrom: z.string(),
    previous: z.union([z.array(share), z.string()]),
    next: z.array(share).min(1),
    changed: z.boolean(),
  }),
});

describe("npm run plan", () => {
  it("starts the dev plan with a one-line summary, then the target, resource tree and cost, labelling outputs as mock", () => {
    const { code, stdout, stderr } = plan("--stack", "dev");
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^dev: cloudrun · 15 resources · idle \$0\.15\/month \(set runway:load for under load\)\n/);
    assert.match(stdout, /\nTarget cloudrun\n  because runway:target is cloudrun: an explicit target always wins\n/);
    assert.match(
      stdout,
      /\n  Project APIs \(runway:index:ProjectApis\) echo\n(    API \(gcp:projects\/service:Service\) echo-[a-z]+-api — enables [a-z]+\.googleapis\.com\n){5}  Image and registry \(runway:index:ArtifactImage\) echo\n/,
    );
    assert.match(stdout, /\n  names in the project start with echo-dev \(runway:physicalName\)\n/);
    // Too long for one line, the settings go below the resource; the digest is shortened as `docker images` does.
    assert.match(
      stdout,
      /\n      Cloud Run service \(gcp:cloudrunv2\/service:Service\) echo-service\n          image [a-z0-9.-]+-docker\.pkg\.dev\/[a-z0-9-]+\/echo-dev\/echo-dev@sha256:[0-9a-f]{12}…; cpu 1\n          memory 512Mi; instances 0\.\.5; concurrency 80; request-based billing; ingress INGRESS_TRAFFIC_ALL\n          deletion protection false; revision echo-dev-[0-9a-f]{12}; traffic 100% to latest \(this revision\)\n/,
    );
    assert.match(
      stdout,
      /\nTraffic \(unchanged from Pulumi\.dev\.yaml (at git HEAD|on disk)\):\n  100%  candidate: the image this deploy builds\n/,
    );
    assert.match(stdout, /\n  idle: \$0\.15\n/);
    assert.match(stdout, /\nOutputs \(mock values from the offline plan, not real\):\n/);
    assert.equal(stderr, "");
  });

  it("plans the prod stack on GKE with a protected repository and an internal load balancer, never printing the kubeconfig", () => {
    const { code, stdout } = plan("--stack", "prod");
    assert.equal(code, 0);
    assert.match(stdout, /^prod: gke · 42 resources · idle \$745\.08\/month \(under load \$745\.08\)\n/);
    assert.match(stdout, /\nTarget gke\n/);
    assert.match(
      stdout,
      /GKE node pool \(gcp:container\/nodePool:NodePool\) echo-gpu-pool\n +g2-standard-8 with 1× nvidia-l4; nodes 0\.\.4 per zone; on-demand\n/,
    );
    assert.match(stdout, /echo-system-pool — e2-standard-4; nodes 1\.\.1 per zone; on-demand\n/);
    assert.match(
      stdout,
      /\n  note: System pool fit: add-ons and GKE's pods request 1360m CPU \/ 770Mi; 1 × e2-standard-4 give /,
    );
    assert.match(
      stdout,
      /Artifact Registry repository \(gcp:artifactregistry\/repository:Repository\) echo-repo\n +DOCKER in us-central1; keeps 10 recent versions; protected from pulumi destroy\n/,
    );
    assert.match(stdout, /Kubernetes Service \(kubernetes:core\/v1:Service\) echo-entry — LoadBalancer \(internal\)/);
    assert.doesNotMatch(stdout, /kubeconfig|gke-gcloud-auth-plugin/);
  });

  it("keeps every line of the dev and prod plans within 120 columns, prod --verbose too", () => {
    for (const args of [["dev"], ["prod"], ["prod", "--verbose"]]) {
      const { code, stdout } = plan("--stack", ...args);
      assert.equal(code, 0);
      assert.deepEqual(wideLines(stdout), [], args.join(" "));
    }
  });

  it("labels the free tier credit instead of printing a negative amount; the JSON keeps the number", () => {
    const { stdout } = plan("--stack", "prod");
    assert.match(
      stdout,
      /\n {8}\$73\.00 off  GKE free tier credit \(zonal cluster\) \(min\(\$74\.4\/month credit, the fee\)\)\n/,
    );
    assert.doesNotMatch(stdout, /\$-|-\$|−\$/);
    const cost = planDocument.parse(JSON.parse(plan("--stack", "prod", "--json").stdout)).estimatedMonthlyCost;
    assert.ok(cost.idle.lines.some((line) => line.item.startsWith("GKE free tier credit") && line.usd === -73));
    // Under load the lines are the idle ones (the load fits the GPU node that stays up): said once, not repeated.
    assert.match(stdout, /\n  under the runway:load profile: \$745\.08, the same lines as idle\n/);
  });

  it("prints short notes, once each; the price sources and unconfirmed prices go to --verbose and --json", () => {
    const short = plan("--stack", "prod").stdout;
    const notes = short.split("\n").filter((line) => line.startsWith("  note: "));
    assert.equal(new Set(notes).size, notes.length);
    assert.ok(notes.length <= 14, notes.join("\n"));
    assert.doesNotMatch(short, /Unconfirmed price|Prices from https/);
    assert.match(
      short,
      /\n  note: Prices from 5 sources, 1 price unconfirmed by Google: --verbose or --json lists them\.\n/,
    );
    assert.match(
      short,
      /\n  note: Idle tail: a GPU node stays billed ~10 min after traffic stops, \$0\.14 per node each time/,
    );

    const verbose = plan("--stack", "prod", "--verbose").stdout;
    assert.match(
      verbose,
      /\n  note: Unconfirmed price: 0\.025 USD\/hour per rule \(first 5\) \(from the global forwarding-rule table/,
    );
    assert.match(verbose, /\n  note: Prices from https:\/\/cloud\.google\.com\/nat\/pricing /);
    assert.match(verbose, /\n  note: Idle tail: after the last request a GPU node stays billed for about 300 s/);

    const cost = planDocument.parse(JSON.parse(plan("--stack", "prod", "--json").stdout)).estimatedMonthlyCost;
    assert.equal(cost.briefNotes.length, cost.notes.length);
    assert.deepEqual(
      cost.briefNotes.map((n) => n.detail ?? n.text),
      cost.notes,
    );
    // What the text output prints of a note fits on its `  note: ` line.
    assert.deepEqual(
      cost.briefNotes.filter((n) => n.source === undefined && n.text.length > 110),
      [],
    );
    const sources = cost.briefNotes.filter((n) => n.text.startsWith("Prices from"));
    assert.equal(sources.length, 5);
    assert.ok(sources.every((n) => n.source && n.text.includes(n.source)));
  });

  it("emits one JSON document of the documented shape with --json", () => {
    for (const stack of ["dev", "prod"]) {
      const { code, stdout } = plan("--stack", stack, "--json");
      assert.equal(code, 0);
      const document = planDocument.parse(JSON.parse(stdout));
      assert.equal(document.stack, stack);
      assert.equal(document.physicalName, `echo-${stack}`);
      assert.equal(document.estimatedMonthlyCost.known, true);
      assert.match(document.summary, new RegExp(`^${stack}: ${document.target} · \\d+ resources · idle \\$`));
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
    assert.match(stdout, /^dev: cloudrun · 15 resources · idle \$0\.15\/month \(under load \$\d+\.\d\d\)\n/);
  });

  it("answers what-ifs with --unset, in command-line order with --set: prod without its GPU and its load profile", () => {
    const { code, stdout, stderr } = plan(
      "--stack",
      "prod",
      "--json",
      "--unset",
      "runway:service.gpu",
      "--unset",
      "runway:gke",
      "--set",
      "runway:gke.location=us-central1-a",
      "--unset",
      "runway:load",
    );
    assert.equal(code, 0, stderr);
    const document = planDocument.parse(JSON.parse(stdout));
    assert.equal(document.target, "gke");
    assert.doesNotMatch(JSON.stringify(document.resources), /echo-gpu-pool/);
    assert.equal(document.estimatedMonthlyCost.underLoad, undefined);
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
    assert.match(stderr, /^The stack config has 2 problems:\n/);
    assert.match(stderr, /\n  runway:servce: unknown key; did you mean runway:service\? valid keys here: /);
    assert.match(stderr, /\n  runway:service\.memory: 64Gi is more than Cloud Run's maximum of 32Gi\n$/);
    const json = plan("--stack", "dev", "--json", "--set", "runway:service.memory=64Gi");
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), {
      ok: false,
      problems: [{ path: "runway:service.memory", message: "64Gi is more than Cloud Run's maximum of 32Gi" }],
    });
  });

  // A bad --set or --unset exits 2 the same way, with its one line (plan-text.test.ts has --unset's messages).
  it("says how to call it, listing the stacks there are, when the stack is missing or unknown (exit 2)", () => {
    const none = plan();
    assert.equal(none.code, 2);
    assert.equal(
      none.stderr,
      "usage: npm run plan -- --stack NAME [--json] [--verbose] [--set key=value ...] [--unset key ...] [--export knative|cloudrun]\n" +
        "stacks here: dev, prod\n",
    );
    const unknown = plan("--stack", "nope");
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, "");
    assert.equal(
      unknown.stderr,
      "plan: no stack nope (no Pulumi.nope.yaml); the stacks here are dev, prod (pulumi stack init nope creates one)\n",
    );
  });
});
