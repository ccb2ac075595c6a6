import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArtifactImage, type ArtifactImageArgs } from "../../components/image/artifact-image";
import { runUnderMocks } from "../../tools/mock-runtime";
import { assertChildrenOf, dependenciesOf, find, isSecretValue, listing } from "../helpers/inventory";

const config = { "gcp:project": "acme-dev", "gcp:region": "us-central1" };
const args: ArtifactImageArgs = {
  project: "acme-dev",
  location: "us-central1",
  repositoryId: "echo",
  source: { context: "app" },
  labels: { team: "platform" },
};

async function inventoryOf(imageArgs: ArtifactImageArgs) {
  return runUnderMocks(() => ({ imageRef: new ArtifactImage("echo", imageArgs).imageRef }), { config });
}

describe("ArtifactImage building from source", () => {
  it("registers the APIs, a repository and the image build, all as its children", async () => {
    const inventory = await inventoryOf(args);
    assert.deepEqual(listing(inventory), [
      "docker:index/image:Image echo-image",
      "gcp:artifactregistry/repository:Repository echo-repo",
      "gcp:projects/service:Service echo-artifactregistry-api",
      "gcp:projects/service:Service echo-cloudresourcemanager-api",
      "gcp:projects/service:Service echo-containerscanning-api",
      "runway:index:ArtifactImage echo",
      "runway:index:ProjectApis echo",
    ]);
    assertChildrenOf(
      inventory,
      "runway:index:ArtifactImage echo",
      inventory.resources.filter((r) => r.custom),
    );
  });

  it("leaves the APIs on when destroyed and enables them before the repository", async () => {
    const inventory = await inventoryOf(args);
    const api = find(inventory, "gcp:projects/service:Service", "echo-artifactregistry-api");
    assert.deepEqual(api.inputs, {
      project: "acme-dev",
      service: "artifactregistry.googleapis.com",
      disableOnDestroy: false,
      disableDependentServices: false,
    });
    const repo = find(inventory, "gcp:artifactregistry/repository:Repository", "echo-repo");
    assert.deepEqual(dependenciesOf(inventory, repo), [
      "gcp:projects/service:Service echo-artifactregistry-api",
      "gcp:projects/service:Service echo-containerscanning-api",
    ]);
  });

  it("creates a Docker repository with cleanup policies and vulnerability scanning", async () => {
    const repo = find(await inventoryOf(args), "gcp:artifactregistry/repository:Repository", "echo-repo");
    assert.equal(repo.inputs.format, "DOCKER");
    assert.equal(repo.inputs.location, "us-central1");
    assert.equal(repo.inputs.repositoryId, "echo");
    assert.deepEqual(repo.inputs.labels, { team: "platform" });
    assert.equal(repo.inputs.cleanupPolicyDryRun, false);
    assert.deepEqual(repo.inputs.cleanupPolicies, [
      { id: "keep-recent", action: "KEEP", mostRecentVersions: { keepCount: 10 } },
      { id: "delete-old-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: "604800s" } },
    ]);
    assert.deepEqual(repo.inputs.vulnerabilityScanningConfig, { enablementConfig: "INHERITED" });
    assert.equal(repo.protect, false);
  });

  it("protects the repository when asked", async () => {
    const repo = find(
      await inventoryOf({ ...args, protect: true }),
      "gcp:artifactregistry/repository:Repository",
      "echo-repo",
    );
    assert.equal(repo.protect, true);
  });

  it("builds for linux/amd64 and pushes with an explicit, secret access token", async () => {
    const inventory = await inventoryOf({ ...args, source: { context: "app", dockerfile: "build/Dockerfile" } });
    const image = find(inventory, "docker:index/image:Image", "echo-image");
    assert.equal(image.inputs.imageName, "us-central1-docker.pkg.dev/acme-dev/echo/echo:latest");
    assert.deepEqual(image.inputs.build, {
      context: "app",
      dockerfile: "app/build/Dockerfile",
      platform: "linux/amd64",
    });
    // The token is a secret, and so the whole registry block that carries it is stored encrypted.
    assert.ok(isSecretValue(image.inputs.registry), "the registry credentials are a secret");
    assert.deepEqual((image.inputs.registry as { value: unknown }).value, {
      server: "us-central1-docker.pkg.dev",
      username: "oauth2accesstoken",
      password: "mock-access-token",
    });
    assert.ok(inventory.calls.includes("gcp:organizations/getClientConfig:getClientConfig"));
    assert.deepEqual(dependenciesOf(inventory, image), ["gcp:artifactregistry/repository:Repository echo-repo"]);
  });

  it("outputs the pushed image by digest", async () => {
    const { outputs } = await inventoryOf(args);
    assert.match(String(outputs.imageRef), /^us-central1-docker\.pkg\.dev\/acme-dev\/echo\/echo@sha256:[0-9a-f]{64}$/);
  });
});

describe("ArtifactImage with a prebuilt ref", () => {
  const ref = `europe-west4-docker.pkg.dev/shared/images/echo@sha256:${"b".repeat(64)}`;

  it("builds nothing and passes the ref on unchanged", async () => {
    const inventory = await inventoryOf({ ...args, source: { ref } });
    assert.deepEqual(listing(inventory), ["runway:index:ArtifactImage echo"]);
    assert.equal(inventory.outputs.imageRef, ref);
    assert.deepEqual(inventory.calls, []);
  });
});
