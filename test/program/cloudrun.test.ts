import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProgramFailure } from "../../tools/mock-runtime";
import { flatConfig } from "../helpers/config";
import { dependenciesOf, find, listing } from "../helpers/inventory";
import { escaped, runStack, stackConfig, stackNames } from "../helpers/stack";

describe("index.ts on Pulumi.dev.yaml", () => {
  const config = stackConfig("dev");
  // The names the stack file gives (service, project, region): a template copy renames them.
  const { service: s, physical, gcpProject, region } = stackNames("dev");

  it("registers exactly the dev inventory", async () => {
    assert.deepEqual(listing(await runStack(config, "dev")), [
      `docker:index/image:Image ${s}-image`,
      `gcp:artifactregistry/repository:Repository ${s}-repo`,
      `gcp:cloudrunv2/service:Service ${s}-service`,
      `gcp:projects/iAMMember:IAMMember ${s}-logging-logWriter`,
      `gcp:projects/iAMMember:IAMMember ${s}-monitoring-metricWriter`,
      `gcp:projects/service:Service ${s}-artifactregistry-api`,
      `gcp:projects/service:Service ${s}-cloudresourcemanager-api`,
      `gcp:projects/service:Service ${s}-containerscanning-api`,
      `gcp:projects/service:Service ${s}-iam-api`,
      `gcp:projects/service:Service ${s}-run-api`,
      `gcp:serviceaccount/account:Account ${s}-sa`,
      `runway:index:ArtifactImage ${s}`,
      `runway:index:CloudRunService ${s}`,
      `runway:index:ContainerService ${s}`,
      `runway:index:ProjectApis ${s}`,
    ]);
  });

  it("deploys the digest the build pushed, and waits for it", async () => {
    const inventory = await runStack(config, "dev");
    const service = find(inventory, "gcp:cloudrunv2/service:Service", `${s}-service`);
    const template = service.inputs.template as { containers: { image: string }[] };
    assert.equal(template.containers[0]?.image, inventory.outputs.image);
    assert.match(
      String(inventory.outputs.image),
      new RegExp(`^${escaped(`${region}-docker.pkg.dev/${gcpProject}/${physical}/${physical}`)}@sha256:[0-9a-f]{64}$`),
    );
    assert.ok(dependenciesOf(inventory, service).includes(`docker:index/image:Image ${s}-image`));
    const image = find(inventory, "docker:index/image:Image", `${s}-image`);
    assert.deepEqual(image.inputs.build, { context: "app", dockerfile: "app/Dockerfile", platform: "linux/amd64" });
  });

  it("exports target and its reasons, url, image, serviceAccount and the cost estimate", async () => {
    const { outputs } = await runStack(config, "dev");
    assert.deepEqual(Object.keys(outputs).sort(), [
      "estimatedMonthlyUsd",
      "image",
      "serviceAccount",
      "tags",
      "target",
      "targetReasons",
      "url",
    ]);
    assert.equal(outputs.target, "cloudrun");
    assert.deepEqual(outputs.targetReasons, ["runway:target is cloudrun: an explicit target always wins"]);
    // Scale to zero: only image storage, 10 versions × 0.2 GB − 0.5 GB free = 1.5 GB × $0.10.
    assert.deepEqual(outputs.estimatedMonthlyUsd, { idle: 0.15, underLoad: null });
    assert.equal(outputs.url, `https://${physical}-mock.a.run.app`); // the mock's stand-in URI, wired through to the stack output
    assert.equal(outputs.serviceAccount, `${physical}-run@${gcpProject}.iam.gserviceaccount.com`);
    assert.deepEqual(outputs.tags, {}); // no release tags in the shipped stack
  });

  it("keeps the dev service private", async () => {
    const inventory = await runStack(config, "dev");
    assert.equal(inventory.resources.filter((r) => r.inputs.member === "allUsers").length, 0);
  });
});

describe("index.ts on invalid config", () => {
  it("registers no resource and reports every problem with its key path", async () => {
    const { "runway:serviceName": _name, ...dev } = stackConfig("dev"); // the name is set in runway:service here
    const config = {
      ...dev,
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
          "  runway:protekt: unknown key; did you mean runway:protect? valid keys here: target, image, service, cloudrun, gke, load, protect, allowDataLoss, physicalName, serviceName",
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
