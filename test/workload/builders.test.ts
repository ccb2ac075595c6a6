import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveCloudRun } from "../../components/targets/cloudrun/settings";
import { containerEnvs } from "../../components/targets/cloudrun/spec";
import { secretIds } from "../../components/workload/contract";
import { cpuCount, formatMiB, memoryMiB } from "../../components/config/quantities";
import { serviceSchema } from "../../components/config/schema";
import { repositoryOf } from "../../components/workload/image-pull";
import { dockerHost, serviceAccountId, stackPhysicalName } from "../../components/workload/naming";
import { applyOverride } from "../../tools/plan/overrides";
import { flatConfig } from "../helpers/config";

const service = (extra: Record<string, unknown> = {}) => serviceSchema.parse({ name: "echo", ...extra });

describe("quantities", () => {
  it("reads memory in binary and decimal units", () => {
    assert.equal(memoryMiB("512Mi"), 512);
    assert.equal(memoryMiB("4Gi"), 4096);
    assert.equal(memoryMiB("1G"), 1e9 / 2 ** 20);
    assert.equal(memoryMiB("lots"), undefined);
    assert.equal(formatMiB(16384), "16Gi");
    assert.equal(formatMiB(640), "640Mi");
  });
  it("reads plain decimal CPUs only", () => {
    assert.equal(cpuCount("0.25"), 0.25);
    assert.equal(cpuCount("500m"), undefined);
  });
});

describe("naming", () => {
  it("derives service account ids within 6 to 30 characters", () => {
    assert.equal(serviceAccountId("echo", "run"), "echo-run");
    assert.equal(serviceAccountId("a", "run"), "a-run-sa");
    const long = serviceAccountId("a-very-long-service-name-that-goes-on-and-on", "run");
    // 30 characters: the name cut to 21, 4 hex of sha256(name), the role.
    assert.equal(long, "a-very-long-service-n-9af3-run");
    assert.equal(long.length, 30);
    assert.notEqual(long, serviceAccountId("a-very-long-service-name-that-goes-on-and-off", "run"));
  });
  it("names the regional Docker host", () => assert.equal(dockerHost("europe-west4"), "europe-west4-docker.pkg.dev"));
});

describe("Cloud Run defaults", () => {
  it("bills per request and lets Cloud Run pick the environment for a plain service", () => {
    assert.deepEqual(resolveCloudRun(service(), {}, false), {
      ingress: "INGRESS_TRAFFIC_ALL",
      cpuIdle: true,
      startupCpuBoost: true,
      executionEnvironment: undefined,
      deletionProtection: false,
      gpuZonalRedundancyDisabled: undefined,
    });
  });
  it("uses gen1 below 1 vCPU or 512Mi, gen2 and instance billing with a GPU", () => {
    assert.equal(
      resolveCloudRun(service({ cpu: "0.5", concurrency: 1 }), {}, false).executionEnvironment,
      "EXECUTION_ENVIRONMENT_GEN1",
    );
    assert.equal(
      resolveCloudRun(service({ memory: "256Mi" }), {}, false).executionEnvironment,
      "EXECUTION_ENVIRONMENT_GEN1",
    );
    const gpu = resolveCloudRun(service({ cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" } }), {}, true);
    assert.equal(gpu.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN2");
    assert.equal(gpu.cpuIdle, false);
    assert.equal(gpu.gpuZonalRedundancyDisabled, false);
    assert.equal(gpu.deletionProtection, true);
  });
  it("lets explicit settings win over runway:protect and the defaults", () => {
    const resolved = resolveCloudRun(
      service(),
      { deletionProtection: false, ingress: "internal", cpuIdle: false },
      true,
    );
    assert.equal(resolved.deletionProtection, false);
    assert.equal(resolved.ingress, "INGRESS_TRAFFIC_INTERNAL_ONLY");
    assert.equal(resolved.cpuIdle, false);
  });
  it("orders env by name and keeps a user's GOOGLE_CLOUD_PROJECT", () => {
    assert.deepEqual(containerEnvs(service({ env: { Z: "1", GOOGLE_CLOUD_PROJECT: "other" } }), "acme"), [
      { name: "GOOGLE_CLOUD_PROJECT", value: "other" },
      { name: "SHUTDOWN_DEADLINE_MS", value: "8000" },
      { name: "Z", value: "1" },
    ]);
    assert.deepEqual(secretIds(service({ secrets: { A: "x:2", B: "x", C: "a" } })), ["a", "x"]);
  });
});

describe("plan --set overrides", () => {
  const base = flatConfig({ "runway:service": { name: "echo", env: { A: "1" } }, "runway:target": "cloudrun" });
  it("replaces a top-level key", () => assert.equal(applyOverride(base, "runway:target=gke")["runway:target"], "gke"));
  it("sets a nested key with JSON values", () => {
    const out = applyOverride(base, 'runway:service.gpu={"type":"nvidia-l4"}');
    assert.deepEqual(JSON.parse(out["runway:service"] ?? "null"), {
      name: "echo",
      env: { A: "1" },
      gpu: { type: "nvidia-l4" },
    });
  });
  it("creates arrays for index paths", () => {
    const out = applyOverride(base, "runway:gke.authorizedNetworks[0].cidr=203.0.113.0/24");
    assert.deepEqual(JSON.parse(out["runway:gke"] ?? "null"), { authorizedNetworks: [{ cidr: "203.0.113.0/24" }] });
  });
  it("rejects an assignment without a namespace", () => {
    assert.throws(() => applyOverride(base, "cpu=4"), /expected namespace:key\[\.path\]=value/);
  });
});

describe("repositoryOf", () => {
  it("reads location, project and repository from an Artifact Registry reference", () => {
    assert.deepEqual(
      repositoryOf(`asia-southeast1-docker.pkg.dev/acme-images/models/llm/server@sha256:${"a".repeat(64)}`),
      {
        location: "asia-southeast1",
        project: "acme-images",
        name: "models",
      },
    );
  });

  it("finds none in another registry's reference", () => {
    assert.equal(repositoryOf(`docker.io/library/nginx@sha256:${"a".repeat(64)}`), undefined);
    assert.equal(repositoryOf("gcr.io/acme/echo:latest"), undefined);
  });
});

describe("stackPhysicalName", () => {
  it("joins the service and the stack, with the stack made a valid name", () => {
    assert.equal(stackPhysicalName("echo", "dev"), "echo-dev");
    assert.equal(stackPhysicalName("echo", "Staging_EU.2"), "echo-staging-eu-2");
    assert.equal(stackPhysicalName("echo", "__"), "echo");
  });

  it("cuts a long result to 49 characters with a hash, so two long stack names stay distinct", () => {
    const a = stackPhysicalName("inference-gateway-for-the-llm-team", "production-europe-west4-blue");
    const b = stackPhysicalName("inference-gateway-for-the-llm-team", "production-europe-west4-green");
    assert.equal(a.length, 49);
    assert.equal(b.length, 49);
    assert.notEqual(a, b);
    // 44 characters of the joined name, a hyphen and 4 hex digits of its hash.
    assert.match(a, /^inference-gateway-for-the-llm-team-productio-[0-9a-f]{4}$/);
    assert.match(a, /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/);
  });
});
