import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CloudRunService, type CloudRunServiceArgs } from "../../../components/targets/cloudrun/service";
import { cloudRunKeySettings } from "../../../components/targets/cloudrun/summary";
import { serviceSchema } from "../../../components/config/schema";
import { runUnderMocks } from "../../../tools/mock-runtime";
import { assertChildrenOf, dependenciesOf, find, findInputs, inputsOf, listing } from "../../helpers/inventory";

const IMAGE = `us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:${"c".repeat(64)}`;
const config = { "gcp:project": "acme-dev", "gcp:region": "us-central1" };

function argsFor(service: Record<string, unknown>, extra: Partial<CloudRunServiceArgs> = {}): CloudRunServiceArgs {
  return {
    project: "acme-dev",
    region: "us-central1",
    service: serviceSchema.parse({ name: "echo", ...service }),
    image: IMAGE,
    repository: { project: "acme-dev", location: "us-central1", name: "echo" },
    ...extra,
  };
}

async function inventoryOf(args: CloudRunServiceArgs) {
  return runUnderMocks(
    () => {
      const run = new CloudRunService("echo", args);
      return { url: run.url, serviceName: run.serviceName, serviceAccountEmail: run.serviceAccountEmail };
    },
    { config },
  );
}

const SERVICE = "gcp:cloudrunv2/service:Service";

describe("CloudRunService, private and without secrets", () => {
  it("registers exactly the service account, its grants, the APIs and the service, as children", async () => {
    const inventory = await inventoryOf(argsFor({}));
    assert.deepEqual(listing(inventory), [
      `${SERVICE} echo-service`,
      "gcp:projects/iAMMember:IAMMember echo-logging-logWriter",
      "gcp:projects/iAMMember:IAMMember echo-monitoring-metricWriter",
      "gcp:projects/service:Service echo-cloudresourcemanager-api",
      "gcp:projects/service:Service echo-iam-api",
      "gcp:projects/service:Service echo-run-api",
      "gcp:serviceaccount/account:Account echo-sa",
      "runway:index:CloudRunService echo",
      "runway:index:ProjectApis echo",
    ]);
    assertChildrenOf(
      inventory,
      "runway:index:CloudRunService echo",
      inventory.resources.filter((r) => r.custom),
    );
  });

  it("runs as a dedicated account with only log and metric roles (it pulls no image)", async () => {
    const inventory = await inventoryOf(argsFor({}));
    const account = find(inventory, "gcp:serviceaccount/account:Account", "echo-sa");
    assert.equal(account.inputs.accountId, "echo-run");
    const member = "serviceAccount:echo-run@acme-dev.iam.gserviceaccount.com";
    const roles = inventory.resources
      .filter((r) => r.type.includes("IamMember") || r.type.includes("IAMMember"))
      .map((r) => `${String(r.inputs.role)} ${String(r.inputs.member)}`)
      .sort();
    assert.deepEqual(roles, [`roles/logging.logWriter ${member}`, `roles/monitoring.metricWriter ${member}`]);
  });

  it("makes the Cloud Run service agent reader of an image repository in another project, before the service", async () => {
    const image = `europe-west4-docker.pkg.dev/acme-images/shared/echo@sha256:${"d".repeat(64)}`;
    const inventory = await inventoryOf(argsFor({}, { image, repository: undefined }));
    const reader = find(
      inventory,
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
      "echo-agent-repo-reader",
    );
    assert.deepEqual(reader.inputs, {
      project: "acme-images",
      location: "europe-west4",
      repository: "shared",
      role: "roles/artifactregistry.reader",
      // 123456789012 is the mock runtime's stand-in for acme-dev's project number.
      member: "serviceAccount:service-123456789012@serverless-robot-prod.iam.gserviceaccount.com",
    });
    assert.ok(inventory.calls.includes("gcp:organizations/getProject:getProject"));
    assert.ok(
      dependenciesOf(inventory, find(inventory, SERVICE, "echo-service")).includes(
        "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember echo-agent-repo-reader",
      ),
    );
  });

  it("deploys the image by digest with the described container", async () => {
    const inventory = await inventoryOf(argsFor({ env: { LOG_LEVEL: "info" }, labels: { team: "platform" } }));
    const service = find(inventory, SERVICE, "echo-service");
    assert.equal(service.inputs.name, "echo");
    assert.equal(service.inputs.location, "us-central1");
    assert.equal(service.inputs.ingress, "INGRESS_TRAFFIC_ALL");
    assert.equal(service.inputs.deletionProtection, false);
    assert.equal(service.inputs.invokerIamDisabled, false);
    assert.deepEqual(service.inputs.labels, { team: "platform" });
    const { template } = inputsOf(service, SERVICE);
    assert.equal(template.serviceAccount, "echo-run@acme-dev.iam.gserviceaccount.com");
    assert.deepEqual(template.scaling, { minInstanceCount: 0, maxInstanceCount: 5 });
    assert.equal(template.maxInstanceRequestConcurrency, 80);
    assert.equal(template.timeout, "300s");
    assert.equal(template.nodeSelector, undefined);
    assert.equal(template.executionEnvironment, undefined);
    const [container] = template.containers ?? [];
    assert.equal(container?.image, IMAGE);
    assert.deepEqual(container?.ports, { name: "http1", containerPort: 8080 });
    assert.deepEqual(container?.resources, {
      limits: { cpu: "1", memory: "512Mi" },
      cpuIdle: true,
      startupCpuBoost: true,
    });
    assert.deepEqual(container?.envs, [
      { name: "GOOGLE_CLOUD_PROJECT", value: "acme-dev" },
      { name: "LOG_LEVEL", value: "info" },
      { name: "SHUTDOWN_DEADLINE_MS", value: "8000" }, // the default drainSeconds, 8
    ]);
    assert.deepEqual(container?.startupProbe, {
      httpGet: { path: "/healthz", port: 8080 },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 24,
    });
    assert.deepEqual(container?.livenessProbe, {
      httpGet: { path: "/healthz", port: 8080 },
      periodSeconds: 15,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
  });

  it("creates the service after its APIs and grants", async () => {
    const inventory = await inventoryOf(argsFor({}));
    assert.deepEqual(dependenciesOf(inventory, find(inventory, SERVICE, "echo-service")), [
      "gcp:projects/iAMMember:IAMMember echo-logging-logWriter",
      "gcp:projects/iAMMember:IAMMember echo-monitoring-metricWriter",
      "gcp:projects/service:Service echo-iam-api",
      "gcp:projects/service:Service echo-run-api",
      "gcp:serviceaccount/account:Account echo-sa",
    ]);
    assert.deepEqual(dependenciesOf(inventory, find(inventory, "gcp:serviceaccount/account:Account", "echo-sa")), [
      "gcp:projects/service:Service echo-iam-api",
      "gcp:projects/service:Service echo-run-api",
    ]);
  });

  // The URI is the mock runtime's stand-in for Cloud Run's; what is checked is that `url` carries the service's URI.
  it("outputs the URL, the service name and the account email", async () => {
    const { outputs } = await inventoryOf(argsFor({}));
    assert.deepEqual(outputs, {
      url: "https://echo-mock.a.run.app",
      serviceName: "echo",
      serviceAccountEmail: "echo-run@acme-dev.iam.gserviceaccount.com",
    });
  });

  it("has deletion protection when the stack protects", async () => {
    const service = find(await inventoryOf(argsFor({}, { protect: true })), SERVICE, "echo-service");
    assert.equal(service.inputs.deletionProtection, true);
  });
});

describe("CloudRunService, public", () => {
  it("disables the invoker IAM check instead of granting allUsers, and only then", async () => {
    const inventory = await inventoryOf(argsFor({ public: true }));
    assert.equal(find(inventory, SERVICE, "echo-service").inputs.invokerIamDisabled, true);
    assert.deepEqual(
      inventory.resources.filter((r) => r.type === "gcp:cloudrunv2/serviceIamMember:ServiceIamMember"),
      [],
    );
    assert.equal(inventory.resources.filter((r) => r.inputs.member === "allUsers").length, 0);
    const privateInventory = await inventoryOf(argsFor({}));
    assert.equal(find(privateInventory, SERVICE, "echo-service").inputs.invokerIamDisabled, false);
    assert.equal(privateInventory.resources.filter((r) => r.inputs.member === "allUsers").length, 0);
  });

  it("says so in the plan summary", async () => {
    const inventory = await inventoryOf(argsFor({ public: true }));
    const summarize = cloudRunKeySettings[SERVICE]!;
    assert.ok(
      summarize(find(inventory, SERVICE, "echo-service").inputs).includes("invoker IAM check disabled (PUBLIC)"),
    );
    const privateInventory = await inventoryOf(argsFor({}));
    assert.ok(
      !summarize(find(privateInventory, SERVICE, "echo-service").inputs).some((s) => s.includes("invoker IAM")),
    );
  });
});

describe("CloudRunService with secrets", () => {
  const secrets = { API_KEY: "api-key", DB_PASSWORD: "db:3", API_KEY_COPY: "api-key:latest" };

  it("grants secret access on exactly the secrets used, before the service deploys", async () => {
    const inventory = await inventoryOf(argsFor({ secrets }));
    const grants = inventory.resources.filter((r) => r.type === "gcp:secretmanager/secretIamMember:SecretIamMember");
    assert.deepEqual(grants.map((g) => `${g.name} ${String(g.inputs.secretId)} ${String(g.inputs.role)}`).sort(), [
      "echo-secret-api-key api-key roles/secretmanager.secretAccessor",
      "echo-secret-db db roles/secretmanager.secretAccessor",
    ]);
    const deps = dependenciesOf(inventory, find(inventory, SERVICE, "echo-service"));
    assert.ok(deps.includes("gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-api-key"));
    assert.ok(deps.includes("gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-db"));
    assert.ok(listing(inventory).includes("gcp:projects/service:Service echo-secretmanager-api"));
  });

  it("passes secrets by reference, never by value", async () => {
    const inventory = await inventoryOf(argsFor({ secrets }));
    const { template } = findInputs(inventory, SERVICE, "echo-service");
    assert.deepEqual(template.containers?.[0]?.envs, [
      { name: "API_KEY", valueSource: { secretKeyRef: { secret: "api-key", version: "latest" } } },
      { name: "API_KEY_COPY", valueSource: { secretKeyRef: { secret: "api-key", version: "latest" } } },
      { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db", version: "3" } } },
      { name: "GOOGLE_CLOUD_PROJECT", value: "acme-dev" },
      { name: "SHUTDOWN_DEADLINE_MS", value: "8000" },
    ]);
  });
});

describe("CloudRunService with an L4 GPU", () => {
  it("selects the accelerator, bills per instance and runs gen2", async () => {
    const args = argsFor(
      { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, minInstances: 1 },
      { cloudrun: { gpuZonalRedundancy: false } },
    );
    const { template } = findInputs(await inventoryOf(args), SERVICE, "echo-service");
    assert.deepEqual(template.nodeSelector, { accelerator: "nvidia-l4" });
    assert.equal(template.gpuZonalRedundancyDisabled, true);
    assert.equal(template.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN2");
    const [container] = template.containers ?? [];
    assert.deepEqual(container?.resources, {
      limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" },
      cpuIdle: false,
      startupCpuBoost: true,
    });
    assert.equal(container?.startupProbe?.periodSeconds, 10);
  });
});
