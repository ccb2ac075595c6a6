import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadProgram, ProgramFailure, runUnderMocks } from "../../tools/mock-runtime";
import { readStackConfig } from "../../tools/plan/stack-file";
import { flatConfig } from "../helpers/config";
import { dependenciesOf, find, listing } from "../helpers/inventory";

const ROOT = path.join(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "index.ts");

function runStack(config: Record<string, string>, stack: string) {
  return runUnderMocks(() => loadProgram(PROGRAM), { config, stack });
}

describe("index.ts on Pulumi.dev.yaml", () => {
  const config = readStackConfig(ROOT, "dev");

  it("registers exactly the dev inventory", async () => {
    assert.deepEqual(listing(await runStack(config, "dev")), [
      "docker:index/image:Image echo-image",
      "gcp:artifactregistry/repository:Repository echo-repo",
      "gcp:cloudrunv2/service:Service echo-service",
      "gcp:projects/iAMMember:IAMMember echo-logging-logWriter",
      "gcp:projects/iAMMember:IAMMember echo-monitoring-metricWriter",
      "gcp:projects/service:Service echo-artifactregistry-api",
      "gcp:projects/service:Service echo-cloudresourcemanager-api",
      "gcp:projects/service:Service echo-containerscanning-api",
      "gcp:projects/service:Service echo-iam-api",
      "gcp:projects/service:Service echo-run-api",
      "gcp:serviceaccount/account:Account echo-sa",
      "runway:index:ArtifactImage echo",
      "runway:index:CloudRunService echo",
      "runway:index:ContainerService echo",
      "runway:index:ProjectApis echo",
    ]);
  });

  it("deploys the digest the build pushed, and waits for it", async () => {
    const inventory = await runStack(config, "dev");
    const service = find(inventory, "gcp:cloudrunv2/service:Service", "echo-service");
    const template = service.inputs.template as { containers: { image: string }[] };
    assert.equal(template.containers[0]?.image, inventory.outputs.image);
    assert.match(
      String(inventory.outputs.image),
      /^us-central1-docker\.pkg\.dev\/acme-dev\/echo-dev\/echo-dev@sha256:[0-9a-f]{64}$/,
    );
    assert.ok(dependenciesOf(inventory, service).includes("docker:index/image:Image echo-image"));
    const image = find(inventory, "docker:index/image:Image", "echo-image");
    assert.deepEqual(image.inputs.build, { context: "app", dockerfile: "app/Dockerfile", platform: "linux/amd64" });
  });

  it("exports target and its reasons, url, image, serviceAccount and the cost estimate", async () => {
    const { outputs } = await runStack(config, "dev");
    assert.deepEqual(Object.keys(outputs).sort(), [
      "estimatedMonthlyUsd",
      "image",
      "serviceAccount",
      "target",
      "targetReasons",
      "url",
    ]);
    assert.equal(outputs.target, "cloudrun");
    assert.deepEqual(outputs.targetReasons, ["runway:target is cloudrun: an explicit target always wins"]);
    // Scale to zero: only image storage, 10 versions × 0.2 GB − 0.5 GB free = 1.5 GB × $0.10.
    assert.deepEqual(outputs.estimatedMonthlyUsd, { idle: 0.15, underLoad: null });
    assert.equal(outputs.url, "https://echo-dev-mock.a.run.app"); // the mock's stand-in URI, wired through to the stack output
    assert.equal(outputs.serviceAccount, "echo-dev-run@acme-dev.iam.gserviceaccount.com");
  });

  it("keeps the dev service private", async () => {
    const inventory = await runStack(config, "dev");
    assert.equal(inventory.resources.filter((r) => r.inputs.member === "allUsers").length, 0);
  });
});

describe("index.ts on invalid config", () => {
  it("registers no resource and reports every problem with its key path", async () => {
    const config = {
      ...readStackConfig(ROOT, "dev"),
      ...flatConfig({ "runway:service": { name: "Echo", memory: "64Gi" }, "runway:protekt": "true" }),
    };
    await assert.rejects(runStack(config, "dev"), (failure: ProgramFailure) => {
      assert.ok(failure instanceof ProgramFailure);
      assert.equal((failure.cause as Error).constructor.name, "RunError");
      assert.equal(
        failure.message,
        [
          "The stack config has 3 problems:",
          "  runway:service.name: must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 49 characters",
          "  runway:protekt: unknown key; did you mean runway:protect? valid keys here: target, image, service, cloudrun, gke, load, protect, physicalName",
          "  runway:service.memory: 64Gi is more than Cloud Run's maximum of 32Gi",
        ].join("\n"),
      );
      assert.deepEqual(
        failure.resources.map((r) => r.type),
        ["pulumi:pulumi:Stack"],
      );
      return true;
    });
  });
});
