/**
 * Volumes on Cloud Run: the revision's volumes and mounts, the settings they force and the rules. Expected values are
 * written by hand from the description.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import { cloudRunServiceArgs } from "../../../components/targets/cloudrun/spec";
import { resolveCloudRun } from "../../../components/targets/cloudrun/settings";
import { volumeSecretRefs } from "../../../components/workload/volumes";
import { problemsOf, validConfig, type Raw } from "../../helpers/config";

const IMAGE = "us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:" + "a".repeat(64);

const VOLUMES = {
  models: { kind: "gcs", bucket: "acme-models", mountPath: "/models", readOnly: true, mountOptions: ["implicit-dirs"] },
  scratch: { kind: "memory", size: "256Mi", mountPath: "/scratch" },
  shared: { kind: "nfs", server: "10.0.0.2", path: "/exports/shared", mountPath: "/shared" },
  config: { kind: "secret", secret: "app-config:3", mountPath: "/etc/app", file: "config.json" },
};
const VPC = { network: "default", subnetwork: "default", egress: "private-ranges" };

function templateOf(service: Raw, cloudrun: Raw = {}) {
  const parsed = serviceSchema.parse({ name: "echo", memory: "1Gi", ...service });
  const args = cloudRunServiceArgs({
    service: parsed,
    settings: resolveCloudRun(parsed, cloudrun, false),
    region: "us-central1",
    project: "acme-dev",
    image: IMAGE,
    serviceAccountEmail: "echo-run@acme-dev.iam.gserviceaccount.com",
  });
  return args.template as unknown as Record<string, unknown> & { containers: Record<string, unknown>[] };
}

const stack = (service: Raw, cloudrun?: Raw, target = "cloudrun"): Raw => ({
  "gcp:project": "acme-dev",
  "gcp:region": "us-central1",
  "runway:target": target,
  "runway:service": { name: "echo", ...service },
  ...(cloudrun && { "runway:cloudrun": cloudrun }),
});

describe("Cloud Run volumes: the template", () => {
  it("maps each kind to its v2 volume and mounts it in the app container", () => {
    const template = templateOf({ volumes: VOLUMES }, { vpcAccess: VPC });
    assert.deepEqual(template.volumes, [
      { name: "config", secret: { secret: "app-config", items: [{ path: "config.json", version: "3" }] } },
      { name: "models", gcs: { bucket: "acme-models", readOnly: true, mountOptions: ["implicit-dirs"] } },
      { name: "scratch", emptyDir: { medium: "MEMORY", sizeLimit: "256Mi" } },
      { name: "shared", nfs: { server: "10.0.0.2", path: "/exports/shared", readOnly: false } },
    ]);
    assert.deepEqual(template.containers[0]?.volumeMounts, [
      { name: "config", mountPath: "/etc/app" },
      { name: "models", mountPath: "/models" },
      { name: "scratch", mountPath: "/scratch" },
      { name: "shared", mountPath: "/shared" },
    ]);
    assert.deepEqual(template.vpcAccess, {
      networkInterfaces: [{ network: "default", subnetwork: "default" }],
      egress: "PRIVATE_RANGES_ONLY",
    });
  });

  it("names a secret volume's file after the secret, at its latest version, without file", () => {
    const template = templateOf({ volumes: { cfg: { kind: "secret", secret: "app-config", mountPath: "/etc/app" } } });
    assert.deepEqual(template.volumes, [
      { name: "cfg", secret: { secret: "app-config", items: [{ path: "app-config", version: "latest" }] } },
    ]);
  });

  it("runs gcs and nfs volumes on gen2, and sends everything through the VPC with egress all", () => {
    assert.equal(
      templateOf({ volumes: { models: VOLUMES.models } }).executionEnvironment,
      "EXECUTION_ENVIRONMENT_GEN2",
    );
    const nfs = templateOf({ volumes: { shared: VOLUMES.shared } }, { vpcAccess: { ...VPC, egress: "all" } });
    assert.equal(nfs.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN2");
    assert.equal((nfs.vpcAccess as { egress: string }).egress, "ALL_TRAFFIC");
  });

  it("adds no volume, mount or VPC key without volumes, so the revision name stays", () => {
    const template = templateOf({});
    assert.equal("volumes" in template, false);
    assert.equal("vpcAccess" in template, false);
    assert.equal("volumeMounts" in (template.containers[0] ?? {}), false);
  });

  it("reads the secret volumes' secrets (for the account's grants)", () => {
    const service = serviceSchema.parse({ name: "echo", volumes: VOLUMES });
    assert.deepEqual(volumeSecretRefs(service), ["app-config:3"]);
  });
});

describe("Cloud Run volumes: rules", () => {
  it("accepts every kind with vpcAccess", () => {
    assert.deepEqual(problemsOf(stack({ memory: "1Gi", volumes: VOLUMES }, { vpcAccess: VPC })), []);
  });

  it("refuses a gcs volume with gen1", () => {
    assert.deepEqual(problemsOf(stack({ volumes: { models: VOLUMES.models } }, { executionEnvironment: "gen1" })), [
      "runway:cloudrun.executionEnvironment: must be gen2 with a Cloud Storage or NFS volume (models): gen1 cannot mount them",
    ]);
  });

  it("refuses a gcs volume below 1 vCPU (gen1 only)", () => {
    assert.deepEqual(problemsOf(stack({ cpu: "0.5", concurrency: 1, volumes: { models: VOLUMES.models } })), [
      "runway:service.volumes: Cloud Storage and NFS volumes (models) need gen2, which needs at least 1 vCPU and 512Mi (cpu 0.5, memory 512Mi)",
    ]);
  });

  it("refuses an nfs volume without vpcAccess", () => {
    assert.deepEqual(problemsOf(stack({ volumes: { shared: VOLUMES.shared } })), [
      "runway:service.volumes.shared: an NFS volume needs runway:cloudrun.vpcAccess: Cloud Run reaches the server only through Direct VPC egress into its network",
    ]);
  });

  it("refuses memory volumes that take the app's memory", () => {
    const volumes = {
      a: { kind: "memory", size: "384Mi", mountPath: "/a" },
      b: { kind: "memory", size: "128Mi", mountPath: "/b" },
    };
    assert.deepEqual(problemsOf(stack({ memory: "512Mi", volumes })), [
      "runway:service.volumes: the memory volumes (a 384Mi + b 128Mi = 512Mi) must stay below the app's memory (512Mi): what they hold counts against it; raise runway:service.memory or shrink the volumes",
    ]);
  });

  it("refuses a disk volume as something only GKE does, so target auto picks GKE", () => {
    const disk = { data: { kind: "disk", size: "100Gi", mountPath: "/data" } };
    assert.deepEqual(problemsOf(stack({ volumes: disk })), [
      "runway:service.volumes.data: a disk volume: Cloud Run has no persistent disks; use a gcs or nfs volume, or GKE (runway:target: gke)",
    ]);
    // target auto moves it to GKE, which builds it.
    assert.equal(validConfig(stack({ volumes: disk }, undefined, "auto")).decision.target, "gke");
  });
});
