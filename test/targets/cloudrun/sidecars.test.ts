/**
 * Issue 13 item 2, sidecars on Cloud Run: the containers of the revision, the rules and the price of an instance.
 * Expected values are written by hand from the description.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import { cloudRunServiceArgs } from "../../../components/targets/cloudrun/spec";
import { cloudRunDifferences } from "../../../components/targets/cloudrun/differences";
import { cloudRunKeySettings } from "../../../components/targets/cloudrun/summary";
import { CloudRunService } from "../../../components/targets/cloudrun/service";
import { estimateMonthlyCost } from "../../../components/cost/estimate";
import { runUnderMocks } from "../../../tools/mock-runtime";
import { findInputs } from "../../helpers/inventory";
import { problemsOf, validConfig, type Raw } from "../../helpers/config";
import { IMAGE, FORWARDER, PROXY, SIDECARS } from "../../helpers/sidecars";

const settings = {
  ingress: "INGRESS_TRAFFIC_ALL",
  executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
  cpuIdle: true,
  startupCpuBoost: true,
  deletionProtection: false,
  gpuZonalRedundancyDisabled: undefined,
} as const;

function argsOf(service: Raw) {
  return plainArgs({
    service: serviceSchema.parse({ name: "echo", ...service }),
    settings: settings,
    region: "us-central1",
    project: "acme-dev",
    image: IMAGE,
    serviceAccountEmail: "echo-run@acme-dev.iam.gserviceaccount.com",
  });
}

/** The builder's output as plain data (it holds no Outputs here). */
function plainArgs(input: Parameters<typeof cloudRunServiceArgs>[0]) {
  return cloudRunServiceArgs(input) as unknown as { template: { containers: Containers } };
}

function stack(service: Raw, extra: Raw = {}): Raw {
  return {
    "gcp:project": "acme-dev",
    "gcp:region": "us-central1",
    "runway:target": "cloudrun",
    "runway:service": { name: "echo", ...service },
    ...extra,
  };
}

type Containers = { name?: string; ports?: unknown; dependsOns?: string[]; resources?: { limits?: unknown } }[];

describe("Cloud Run sidecars: the revision's containers", () => {
  it("puts the sidecars after the ingress container, without ports, each with its limits", () => {
    const containers = argsOf({ sidecars: SIDECARS }).template.containers;
    assert.deepEqual(
      containers.map((c) => c.name),
      ["echo", "sql-proxy", "log-forwarder"],
    );
    assert.deepEqual(containers[0]!.ports, { name: "http1", containerPort: 8080 });
    assert.equal(containers[1]!.ports, undefined);
    assert.equal(containers[2]!.ports, undefined);
    assert.deepEqual(containers[1], {
      name: "sql-proxy",
      image: PROXY,
      resources: { limits: { cpu: "0.5", memory: "256Mi" } },
      envs: [{ name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db-password", version: "2" } } }],
      startupProbe: {
        httpGet: { path: "/startup", port: 9090 },
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: 24,
      },
    });
    assert.deepEqual(containers[2], {
      name: "log-forwarder",
      image: FORWARDER,
      resources: { limits: { cpu: "0.25", memory: "128Mi" } },
      envs: [{ name: "FLUSH", value: "5" }],
    });
  });

  it("makes the app depend on the start-first sidecars only", () => {
    const containers = argsOf({ sidecars: SIDECARS }).template.containers;
    assert.deepEqual(containers[0]!.dependsOns, ["sql-proxy"]);
    assert.equal(containers[1]!.dependsOns, undefined);
  });

  it("without sidecars the revision has one container and no dependsOns", () => {
    const containers = argsOf({}).template.containers;
    assert.equal(containers.length, 1);
    assert.equal("dependsOns" in containers[0]!, false);
  });

  it("attaches a GPU to the ingress container only", () => {
    const containers = argsOf({
      cpu: "4",
      memory: "16Gi",
      gpu: { type: "nvidia-l4" },
      sidecars: [SIDECARS[1]],
    }).template.containers;
    assert.deepEqual(containers[0]!.resources!.limits, { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" });
    assert.deepEqual(containers[1]!.resources!.limits, { cpu: "0.25", memory: "128Mi" });
  });

  it("shows the sidecars in the plan and says what differs", () => {
    const settingsText = cloudRunKeySettings["gcp:cloudrunv2/service:Service"]!(argsOf({ sidecars: SIDECARS }));
    assert.ok(settingsText.includes("sidecar sql-proxy 0.5 vCPU / 256Mi, starts first"), settingsText.join("; "));
    assert.ok(settingsText.includes("sidecar log-forwarder 0.25 vCPU / 128Mi"), settingsText.join("; "));
    assert.deepEqual(cloudRunDifferences(serviceSchema.parse({ name: "echo", sidecars: SIDECARS })), [
      "sidecars start together and only the app waits for the start-first ones (dependsOn), where GKE starts native sidecars one after another; at most 10 containers per instance (GKE: no such limit)",
    ]);
    assert.deepEqual(cloudRunDifferences(serviceSchema.parse({ name: "echo" })), []);
  });
});

describe("Cloud Run sidecars under the mock runtime", () => {
  it("registers the service with the sidecars and grants the sidecar's secret to the service's account", async () => {
    const service = serviceSchema.parse({ name: "echo", sidecars: SIDECARS });
    const inventory = await runUnderMocks(
      () => {
        const run = new CloudRunService("echo", {
          project: "acme-dev",
          region: "us-central1",
          service,
          image: IMAGE,
          repository: { project: "acme-dev", location: "us-central1", name: "echo" },
        });
        return { url: run.url };
      },
      { config: { "gcp:project": "acme-dev", "gcp:region": "us-central1" } },
    );
    const inputs = findInputs(inventory, "gcp:cloudrunv2/service:Service", "echo-service");
    assert.deepEqual(
      inputs.template.containers!.map((c) => c.name),
      ["echo", "sql-proxy", "log-forwarder"],
    );
    const grants = inventory.resources
      .filter((r) => r.type === "gcp:secretmanager/secretIamMember:SecretIamMember")
      .map((r) => `${String(r.inputs.secretId)} ${String(r.inputs.role)}`);
    assert.deepEqual(grants, ["db-password roles/secretmanager.secretAccessor"]);
  });
});

describe("Cloud Run sidecar rules", () => {
  const sidecar = (i: number, extra: Raw = {}) => ({
    name: `side-${i}`,
    image: FORWARDER,
    cpu: "0.1",
    memory: "128Mi",
    ...extra,
  });

  it("accepts nine sidecars (ten containers) and refuses ten", () => {
    const nine = Array.from({ length: 9 }, (_, i) => sidecar(i));
    assert.deepEqual(problemsOf(stack({ sidecars: nine })), []);
    assert.deepEqual(problemsOf(stack({ sidecars: [...nine, sidecar(9)] })), [
      "runway:service.sidecars: 10 sidecars make 11 containers per instance; Cloud Run allows 10 (the app and 9 sidecars)",
    ]);
  });

  it("refuses a sidecar cpu Cloud Run does not take, with the sidecar's index", () => {
    assert.deepEqual(problemsOf(stack({ sidecars: [sidecar(0), sidecar(1, { cpu: "3" })] })), [
      "runway:service.sidecars[1].cpu: 3 is not a Cloud Run CPU value; use 0.08 to 1 in steps of 0.001, or 1, 2, 4, 6, 8",
    ]);
    assert.deepEqual(problemsOf(stack({ sidecars: [sidecar(0, { cpu: "0.05" })] })), [
      "runway:service.sidecars[0].cpu: 0.05 is not a Cloud Run CPU value; use 0.08 to 1 in steps of 0.001, or 1, 2, 4, 6, 8",
    ]);
  });

  it("refuses more than 8 vCPU or 32Gi for the app and its sidecars together", () => {
    assert.deepEqual(problemsOf(stack({ cpu: "8", memory: "16Gi", sidecars: [sidecar(0, { cpu: "1" })] })), [
      "runway:service.sidecars: the app and its sidecars take 9 vCPUs per instance, more than Cloud Run's maximum of 8",
    ]);
    assert.deepEqual(problemsOf(stack({ cpu: "8", memory: "32Gi", sidecars: [sidecar(0, { cpu: "0.08" })] })), [
      "runway:service.sidecars: the app and its sidecars take 8.08 vCPUs per instance, more than Cloud Run's maximum of 8",
      "runway:service.sidecars: the app and its sidecars take 32896Mi per instance, more than Cloud Run's maximum of 32Gi",
    ]);
  });

  it("lets target auto move a service whose sidecars exceed Cloud Run to GKE", () => {
    const config = validConfig(
      stack(
        { cpu: "8", memory: "16Gi", maxInstances: 2, sidecars: [sidecar(0, { cpu: "1" })] },
        { "runway:target": "auto" },
      ),
    );
    assert.equal(config.decision.target, "gke");
  });
});

describe("Cloud Run sidecars in the cost estimate", () => {
  const costOf = (service: Raw) =>
    estimateMonthlyCost(
      validConfig(stack({ minInstances: 1, maxInstances: 1, ...service }, { "runway:cloudrun": { cpuIdle: false } })),
    );

  it("prices an instance at the app's plus the sidecars' vCPU and memory", () => {
    const withSidecar = costOf({
      cpu: "1",
      memory: "512Mi",
      sidecars: [{ name: "proxy", image: PROXY, cpu: "1", memory: "512Mi" }],
    });
    const same = costOf({ cpu: "2", memory: "1Gi" });
    const alone = costOf({ cpu: "1", memory: "512Mi" });
    const lines = (e: ReturnType<typeof costOf>) => e.idle.lines.map((l) => [l.item, l.usd, l.basis]);
    assert.deepEqual(lines(withSidecar), lines(same));
    assert.notDeepEqual(lines(withSidecar), lines(alone));
    assert.ok(
      withSidecar.idle.lines.some((l) => l.basis.includes("× 2 vCPU")),
      JSON.stringify(withSidecar.idle.lines.map((l) => l.basis)),
    );
  });
});
