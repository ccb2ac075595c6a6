import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { formatProblems, keyPath, nestConfig, validateConfig } from "../../components/config/validate";
import { applyOverride } from "../../tools/plan/overrides";
import { flatConfig, problemsOf, validConfig, type Raw } from "../helpers/config";

/** A valid Cloud Run config; each case below changes one thing. */
const base = {
  "gcp:project": "acme-dev",
  "gcp:region": "us-central1",
  "runway:target": "cloudrun",
  "runway:service": { name: "echo" } as Record<string, unknown>,
};

const withService = (service: Raw, extra: Raw = {}): Raw => ({
  ...base,
  "runway:service": { name: "echo", ...service },
  ...extra,
});

describe("stack config: defaults", () => {
  it("fills every default of the contract from a name alone", () => {
    const { "runway:target": _explicit, ...nameOnly } = base;
    assert.deepEqual(validConfig(nameOnly), {
      decision: {
        target: "cloudrun",
        reasons: [
          "no GPU requested",
          "cpu 1 and memory 512Mi are within Cloud Run's 8 vCPU / 32Gi",
          "timeout 300 s is within Cloud Run's 3600 s",
          "no GKE-only settings (runway:gke)",
        ],
        // Request-based billing and Cloud Run's choice of execution environment for 1 vCPU / 512Mi.
        settings: {
          ingress: "INGRESS_TRAFFIC_ALL",
          cpuIdle: true,
          startupCpuBoost: true,
          executionEnvironment: undefined,
          deletionProtection: false,
          gpuZonalRedundancyDisabled: undefined,
        },
      },
      gcp: { project: "acme-dev", region: "us-central1" },
      // No stack given (validateConfig's stack option), so names are the service's.
      physicalName: "echo",
      runway: {
        target: "auto",
        image: { keepRecent: 10 },
        service: {
          name: "echo",
          port: 8080,
          cpu: "1",
          memory: "512Mi",
          minInstances: 0,
          maxInstances: 5,
          concurrency: 80,
          timeoutSeconds: 300,
          public: false,
          healthPath: "/healthz",
          drainSeconds: 8,
          env: {},
          secrets: {},
          sidecars: [],
          events: [],
          volumes: {},
          labels: {},
        },
        cloudrun: { ingress: "all", startupCpuBoost: true },
        protect: false,
        allowDataLoss: false,
      },
    });
  });

  it("reads scalars as Pulumi passes them (text) and structured values as JSON", () => {
    assert.deepEqual(
      nestConfig({
        "runway:protect": "true",
        "runway:service": '{"name":"x"}',
        "gcp:project": "123",
        "aws:region": "x",
      }),
      {
        gcp: { project: "123" },
        runway: { protect: true, service: { name: "x" } },
      },
    );
  });

  it("accepts numeric cpu and stringifies env values", () => {
    const { service } = validConfig(withService({ cpu: 2, memory: "2Gi", env: { N: 3, B: true } })).runway;
    assert.equal(service.cpu, "2");
    assert.deepEqual(service.env, { N: "3", B: "true" });
  });

  it("accepts a prebuilt image pinned by digest", () => {
    const ref = `us-central1-docker.pkg.dev/acme/apps/echo@sha256:${"a".repeat(64)}`;
    assert.equal(validConfig({ ...base, "runway:image": { ref } }).runway.image.ref, ref);
  });

  it("accepts one L4 GPU with 4 vCPU and 16Gi in us-central1", () => {
    assert.deepEqual(validConfig(withService(L4)).runway.service.gpu, { type: "nvidia-l4", count: 1 });
  });

  it("accepts the fractional-CPU combination Cloud Run allows", () => {
    validConfig(withService({ cpu: "0.5", memory: "1Gi", concurrency: 1 }));
  });

  it("defaults concurrency to 1 below 1 vCPU and to 80 from 1 vCPU, as Cloud Run does", () => {
    assert.equal(validConfig(withService({ cpu: "0.5" })).runway.service.concurrency, 1);
    assert.equal(validConfig(withService({ cpu: "1" })).runway.service.concurrency, 80);
    assert.equal(validConfig(withService({ cpu: "4", memory: "2Gi" })).runway.service.concurrency, 80);
  });
});

const REQUIRED_NAME = 'runway:service.name: is required: a name such as "echo"';
const NAME_RULE =
  "must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 49 characters";
const GPU_LIST =
  "nvidia-tesla-t4, nvidia-tesla-p4, nvidia-tesla-v100, nvidia-tesla-p100, nvidia-l4, nvidia-rtx-pro-6000, nvidia-tesla-a100, nvidia-a100-80gb, nvidia-h100-80gb, nvidia-h100-mega-80gb, nvidia-h200-141gb, nvidia-b200";
const L4 = { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" } };
const SERVICE_KEYS =
  "name, port, cpu, memory, gpu, minInstances, maxInstances, concurrency, timeoutSeconds, public, healthPath, readyPath, drainSeconds, env, secrets, sidecars, events, volumes, release, labels";

/** [what is wrong, config, the exact problem lines] */
const BAD: [string, Raw, string[]][] = [
  [
    "no project",
    { "gcp:region": "us-central1", "runway:target": "cloudrun", "runway:service": { name: "echo" } },
    ["gcp:project: is required: pulumi config set gcp:project <project-id>"],
  ],
  [
    "bad project id",
    { ...base, "gcp:project": "Acme" },
    ["gcp:project: must be a project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter"],
  ],
  [
    "no region",
    { "gcp:project": "acme-dev", "runway:target": "cloudrun", "runway:service": { name: "echo" } },
    ["gcp:region: is required: pulumi config set gcp:region <region>, e.g. us-central1"],
  ],
  ["bad region", { ...base, "gcp:region": "central" }, ['gcp:region: must be a region such as "us-central1"']],
  // Region-shaped names that are not regions: checked against components/facts/regions.ts (43 regions of
  // `gcloud compute regions list`, 2026-01-09), with the nearest name when it is at most two edits away.
  [
    "misspelt region",
    { ...base, "gcp:region": "us-centrl1" },
    ["gcp:region: us-centrl1 is not a Google Cloud region (list as of 2026-01-09); did you mean us-central1?"],
  ],
  [
    "region that does not exist",
    { ...base, "gcp:region": "us-central2" },
    ["gcp:region: us-central2 is not a Google Cloud region (list as of 2026-01-09); did you mean us-central1?"],
  ],
  [
    "GKE zone that the region does not have",
    { ...base, "runway:target": "gke", "runway:gke": { location: "us-central1-e" } },
    [
      "runway:gke.location: us-central1-e is not a zone of us-central1 (zone list: undated, read 2026-12-01); " +
        "its zones are us-central1-a, us-central1-b, us-central1-c, us-central1-f",
    ],
  ],
  [
    "GKE location in a region that does not exist",
    { ...base, "runway:target": "gke", "runway:gke": { location: "us-central2-a" } },
    [
      "runway:gke.location: us-central2-a is not a Google Cloud zone: us-central2 is not a region " +
        "(list as of 2026-01-09); did you mean us-central1?",
    ],
  ],
  ["no service", { "gcp:project": "acme-dev", "gcp:region": "us-central1" }, ["runway:service: is required"]],
  ["no name", { ...base, "runway:service": {} }, [REQUIRED_NAME]],
  ["uppercase name", withService({ name: "Echo" }), [`runway:service.name: ${NAME_RULE}`]],
  ["name ends with hyphen", withService({ name: "echo-" }), [`runway:service.name: ${NAME_RULE}`]],
  ["name starts with digit", withService({ name: "1echo" }), [`runway:service.name: ${NAME_RULE}`]],
  ["name of 50 characters", withService({ name: "e".repeat(50) }), [`runway:service.name: ${NAME_RULE}`]],
  [
    "unknown top-level key",
    { ...base, "runway:servce": {} },
    [
      "runway:servce: unknown key; did you mean runway:service? valid keys here: target, image, service, cloudrun, gke, load, protect, allowDataLoss, physicalName, serviceName",
    ],
  ],
  [
    "unknown service key",
    withService({ memroy: "1Gi" }),
    [`runway:service.memroy: unknown key; did you mean runway:service.memory? valid keys here: ${SERVICE_KEYS}`],
  ],
  [
    "unknown cloudrun key",
    { ...base, "runway:cloudrun": { ingres: "all" } },
    [
      "runway:cloudrun.ingres: unknown key; did you mean runway:cloudrun.ingress? valid keys here: ingress, cpuIdle, startupCpuBoost, executionEnvironment, deletionProtection, gpuZonalRedundancy, vpcAccess",
    ],
  ],
  [
    "unknown image key",
    { ...base, "runway:image": { dockerFile: "x" } },
    [
      "runway:image.dockerFile: unknown key; did you mean runway:image.dockerfile? valid keys here: context, dockerfile, ref, keepRecent",
    ],
  ],
  [
    "unknown gpu key",
    withService({ cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4", cnt: 1 } }),
    ["runway:service.gpu.cnt: unknown key; did you mean runway:service.gpu.count? valid keys here: type, count"],
  ],
  ["bad target", { ...base, "runway:target": "k8s" }, ['runway:target: must be one of "cloudrun", "gke", "auto"']],
  ["port 0", withService({ port: 0 }), ["runway:service.port: must be a TCP port from 1 to 65535"]],
  ["port 70000", withService({ port: 70000 }), ["runway:service.port: must be a TCP port from 1 to 65535"]],
  ["port as text", withService({ port: "http" }), ["runway:service.port: must be a TCP port from 1 to 65535"]],
  [
    "cpu as words",
    withService({ cpu: "one" }),
    ['runway:service.cpu: must be a number of vCPUs such as "1", "0.5" or "4"'],
  ],
  [
    "cpu 3",
    withService({ cpu: "3", memory: "2Gi" }),
    ["runway:service.cpu: 3 is not a Cloud Run CPU value; use 0.08 to 1, or 1, 2, 4, 6, 8"],
  ],
  [
    "cpu 16",
    withService({ cpu: "16", memory: "8Gi" }),
    ["runway:service.cpu: 16 vCPUs is more than Cloud Run's maximum of 8"],
  ],
  [
    "cpu 1.5",
    withService({ cpu: "1.5" }),
    ["runway:service.cpu: 1.5 is not a Cloud Run CPU value; use 0.08 to 1, or 1, 2, 4, 6, 8"],
  ],
  [
    "cpu 0.05",
    withService({ cpu: "0.05", memory: "256Mi", concurrency: 1 }),
    ["runway:service.cpu: 0.05 is not a Cloud Run CPU value; below 1 use 0.08 to 1 in steps of 0.001"],
  ],
  [
    "cpu 0.0005 steps",
    withService({ cpu: "0.5005", concurrency: 1 }),
    ["runway:service.cpu: 0.5005 is not a Cloud Run CPU value; below 1 use 0.08 to 1 in steps of 0.001"],
  ],
  [
    "memory as words",
    withService({ memory: "lots" }),
    ['runway:service.memory: must be a quantity such as "512Mi" or "4Gi"'],
  ],
  [
    "memory over 4Gi at 1 vCPU",
    withService({ memory: "8Gi" }),
    ["runway:service.memory: 8Gi does not fit 1 vCPU; Cloud Run allows 128Mi to 4Gi with that CPU"],
  ],
  [
    "memory below 2Gi at 4 vCPU",
    withService({ cpu: "4", memory: "1Gi" }),
    ["runway:service.memory: 1Gi does not fit 4 vCPU; Cloud Run allows 2Gi to 16Gi with that CPU"],
  ],
  [
    "memory over 32Gi",
    withService({ cpu: "8", memory: "64Gi" }),
    ["runway:service.memory: 64Gi is more than Cloud Run's maximum of 32Gi"],
  ],
  [
    "memory over 1Gi below 1 vCPU",
    withService({ cpu: "0.5", memory: "2Gi", concurrency: 1 }),
    ["runway:service.memory: 2Gi is too much for 0.5 vCPU; with cpu below 1 Cloud Run allows at most 1Gi"],
  ],
  [
    "memory over 512Mi below 0.5 vCPU",
    withService({ cpu: "0.25", memory: "1Gi", concurrency: 1 }),
    ["runway:service.memory: 1Gi is too much for 0.25 vCPU; with cpu below 0.5 Cloud Run allows at most 512Mi"],
  ],
  [
    "gen2 below 512Mi",
    withService({ memory: "256Mi" }, { "runway:cloudrun": { executionEnvironment: "gen2" } }),
    ["runway:service.memory: 256Mi is below gen2's minimum of 512Mi; use gen1 or more memory"],
  ],
  [
    "concurrency above 1 below 1 vCPU",
    withService({ cpu: "0.5", concurrency: 80 }),
    ["runway:service.concurrency: must be 1 when cpu is below 1 (cpu is 0.5)"],
  ],
  [
    "instance billing below 1 vCPU",
    withService({ cpu: "0.5", concurrency: 1 }, { "runway:cloudrun": { cpuIdle: false } }),
    ["runway:cloudrun.cpuIdle: must be true when cpu is below 1 (request-based billing only)"],
  ],
  [
    "gen2 below 1 vCPU",
    withService({ cpu: "0.5", concurrency: 1 }, { "runway:cloudrun": { executionEnvironment: "gen2" } }),
    ["runway:cloudrun.executionEnvironment: must be gen1 when cpu is below 1"],
  ],
  ["concurrency 0", withService({ concurrency: 0 }), ["runway:service.concurrency: must be from 1 to 1000"]],
  ["concurrency 1001", withService({ concurrency: 1001 }), ["runway:service.concurrency: must be from 1 to 1000"]],
  [
    "concurrency 2.5",
    withService({ concurrency: 2.5 }),
    ["runway:service.concurrency: must be a whole number from 1 to 1000"],
  ],
  ["negative minInstances", withService({ minInstances: -1 }), ["runway:service.minInstances: must be 0 or more"]],
  ["maxInstances 0", withService({ maxInstances: 0 }), ["runway:service.maxInstances: must be at least 1"]],
  [
    "min above max",
    withService({ minInstances: 6, maxInstances: 5 }),
    ["runway:service.minInstances: 6 is more than maxInstances (5); minInstances must be at most maxInstances"],
  ],
  ["timeout 0", withService({ timeoutSeconds: 0 }), ["runway:service.timeoutSeconds: must be at least 1"]],
  [
    "timeout over an hour",
    withService({ timeoutSeconds: 3601 }),
    ["runway:service.timeoutSeconds: 3601 s is more than Cloud Run's maximum of 3600 s"],
  ],
  ["public as text", withService({ public: "yes" }), ["runway:service.public: must be true or false"]],
  [
    "relative health path",
    withService({ healthPath: "healthz" }),
    ['runway:service.healthPath: must be an absolute HTTP path such as "/healthz"'],
  ],
  [
    "env name with a dash",
    withService({ env: { "LOG-LEVEL": "info" } }),
    [
      "runway:service.env.LOG-LEVEL: environment variable names use letters, digits and _ and do not start with a digit",
    ],
  ],
  [
    "env value too long",
    withService({ env: { BIG: "x".repeat(32769) } }),
    ["runway:service.env.BIG: must be at most 32768 characters"],
  ],
  [
    "env value an object",
    withService({ env: { OBJ: { a: 1 } } }),
    ["runway:service.env.OBJ: environment variable values must be strings"],
  ],
  [
    "reserved PORT",
    withService({ env: { PORT: "80" } }),
    [
      "runway:service.env.PORT: is reserved (set by the platform); reserved names: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, SHUTDOWN_DEADLINE_MS",
    ],
  ],
  [
    "reserved K_SERVICE as secret",
    withService({ secrets: { K_SERVICE: "x" } }),
    [
      "runway:service.secrets.K_SERVICE: is reserved (set by the platform); reserved names: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, SHUTDOWN_DEADLINE_MS",
    ],
  ],
  [
    "secret version 0",
    withService({ secrets: { API_KEY: "api-key:0" } }),
    ['runway:service.secrets.API_KEY: must be a Secret Manager secret id such as "api-key" or "api-key:3"'],
  ],
  [
    "secret id with a slash",
    withService({ secrets: { API_KEY: "projects/x/secrets/y" } }),
    ['runway:service.secrets.API_KEY: must be a Secret Manager secret id such as "api-key" or "api-key:3"'],
  ],
  [
    "secret and env both",
    withService({ env: { API_KEY: "x" }, secrets: { API_KEY: "api-key" } }),
    [
      "runway:service.secrets.API_KEY: is also set in runway:service.env; a variable comes from env or from secrets, not both",
    ],
  ],
  [
    "label key uppercase",
    withService({ labels: { Team: "x" } }),
    [
      "runway:service.labels.Team: label keys must start with a lowercase letter and use only a-z, 0-9, _ and - (at most 63)",
    ],
  ],
  [
    "label value with space",
    withService({ labels: { team: "the platform" } }),
    ["runway:service.labels.team: label values use only a-z, 0-9, _ and - (at most 63)"],
  ],
  [
    "image ref by tag",
    { ...base, "runway:image": { ref: "us-central1-docker.pkg.dev/acme/apps/echo:latest" } },
    [
      "runway:image.ref: must be an Artifact Registry image pinned by digest: LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:<64 hex>",
    ],
  ],
  [
    "ref and context both",
    {
      ...base,
      "runway:image": { ref: `us-central1-docker.pkg.dev/acme/apps/echo@sha256:${"a".repeat(64)}`, context: "app" },
    },
    ["runway:image.ref: give either ref (a prebuilt image) or context/dockerfile (a build), not both"],
  ],
  ["keepRecent 0", { ...base, "runway:image": { keepRecent: 0 } }, ["runway:image.keepRecent: must be from 1 to 1000"]],
  [
    "bad ingress",
    { ...base, "runway:cloudrun": { ingress: "public" } },
    ['runway:cloudrun.ingress: must be one of "all", "internal", "internal-and-cloud-load-balancing"'],
  ],
  [
    "bad execution environment",
    { ...base, "runway:cloudrun": { executionEnvironment: "gen3" } },
    ['runway:cloudrun.executionEnvironment: must be "gen1" or "gen2"'],
  ],
  [
    "zonal redundancy without GPU",
    { ...base, "runway:cloudrun": { gpuZonalRedundancy: false } },
    ["runway:cloudrun.gpuZonalRedundancy: applies only with a GPU (runway:service.gpu)"],
  ],
  ["protect as text", { ...base, "runway:protect": "yes" }, ["runway:protect: must be true or false"]],
  [
    "physical name with capitals",
    { ...base, "runway:physicalName": "Echo_Dev" },
    [
      "runway:physicalName: must be lowercase letters, digits and hyphens, start with a letter, not end with a hyphen, at most 49",
    ],
  ],
  [
    "gpu type not nvidia",
    withService({ gpu: { type: "tpu-v5" } }),
    [`runway:service.gpu.type: must be one of ${GPU_LIST}`],
  ],
  [
    "gpu count 0",
    withService({ cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4", count: 0 } }),
    ["runway:service.gpu.count: must be at least 1"],
  ],
  [
    "GPU type Cloud Run lacks",
    withService({ ...L4, gpu: { type: "nvidia-tesla-t4" } }),
    ["runway:service.gpu.type: nvidia-tesla-t4 is not offered by Cloud Run; Cloud Run offers nvidia-l4"],
  ],
  [
    "preview GPU type on Cloud Run",
    withService({ cpu: "20", memory: "80Gi", gpu: { type: "nvidia-rtx-pro-6000" } }),
    [
      "runway:service.cpu: 20 vCPUs is more than Cloud Run's maximum of 8",
      "runway:service.memory: 80Gi is more than Cloud Run's maximum of 32Gi",
      "runway:service.gpu.type: nvidia-rtx-pro-6000 is not offered by Cloud Run; Cloud Run offers nvidia-l4",
    ],
  ],
  [
    "two GPUs on Cloud Run",
    withService({ ...L4, gpu: { type: "nvidia-l4", count: 2 } }),
    ["runway:service.gpu.count: 2 GPUs per instance; Cloud Run allows 1"],
  ],
  [
    "GPU in a region without it",
    withService(L4, { "gcp:region": "us-west1" }),
    [
      "runway:service.gpu.type: Cloud Run has no nvidia-l4 GPUs in us-west1; regions with it: asia-southeast1, europe-west1, europe-west4, us-central1, us-east4",
    ],
  ],
  [
    "GPU with 2 vCPU",
    withService({ ...L4, cpu: "2" }),
    ["runway:service.cpu: with a nvidia-l4 GPU Cloud Run needs a whole number of at least 4 vCPUs"],
  ],
  [
    "GPU with 8Gi",
    withService({ ...L4, memory: "8Gi" }),
    ["runway:service.memory: with a nvidia-l4 GPU Cloud Run needs at least 16Gi"],
  ],
  [
    "GPU with request billing",
    withService(L4, { "runway:cloudrun": { cpuIdle: true } }),
    ["runway:cloudrun.cpuIdle: must be false with a GPU (Cloud Run GPUs need instance-based billing)"],
  ],
  [
    "GPU on gen1",
    withService(L4, { "runway:cloudrun": { executionEnvironment: "gen1" } }),
    ["runway:cloudrun.executionEnvironment: must be gen2 with a GPU"],
  ],
];

describe("stack config: physical names", () => {
  it("derives them from the service and the stack, unless runway:physicalName is set", () => {
    const derived = validateConfig(flatConfig(base), { stack: "staging" });
    assert.ok(derived.ok);
    assert.equal(derived.config.physicalName, "echo-staging");
    const pinned = validateConfig(flatConfig({ ...base, "runway:physicalName": "echo" }), { stack: "staging" });
    assert.ok(pinned.ok);
    assert.equal(pinned.config.physicalName, "echo");
  });
});

describe("stack config: each mistake gives its exact message", () => {
  for (const [what, config, expected] of BAD) {
    it(what, () => assert.deepEqual(problemsOf(config), expected));
  }
});

describe("stack config: problems are reported together", () => {
  it("lists shape and limit problems of different sections in one run", () => {
    assert.deepEqual(
      problemsOf({ ...withService({ memory: "8Gi", minInstances: 9 }), "runway:cloudrun": { ingress: "everyone" } }),
      [
        'runway:cloudrun.ingress: must be one of "all", "internal", "internal-and-cloud-load-balancing"',
        "runway:service.minInstances: 9 is more than maxInstances (5); minInstances must be at most maxInstances",
        "runway:service.memory: 8Gi does not fit 1 vCPU; Cloud Run allows 128Mi to 4Gi with that CPU",
      ],
    );
  });

  it("formats them as one message with one line each and no stack trace", () => {
    assert.equal(
      formatProblems([
        { path: "runway:service.memory", message: "a" },
        { path: "runway:service.cpu", message: "b" },
      ]),
      "The stack config has 2 problems:\n  runway:service.memory: a\n  runway:service.cpu: b",
    );
  });

  it("writes key paths the way `pulumi config set --path` takes them", () => {
    assert.equal(keyPath(["runway", "gke", "authorizedNetworks", 0, "cidr"]), "runway:gke.authorizedNetworks[0].cidr");
    assert.equal(keyPath(["gcp", "region"]), "gcp:region");
  });
});

describe("stack config: values as `pulumi config set --path` stores them", () => {
  it("reads numbers and booleans stored as text where the schema expects them", () => {
    const config = validConfig({
      ...withService({ maxInstances: "3", public: "false" }),
      "runway:load": { requestsPerMonth: "1000000", avgRequestSeconds: "0.5", concurrency: 2 },
      "runway:cloudrun": { startupCpuBoost: "false" },
    });
    assert.deepEqual(config.runway.load, { requestsPerMonth: 1000000, avgRequestSeconds: 0.5, concurrency: 2 });
    assert.equal(config.runway.service.maxInstances, 3);
    assert.equal(config.runway.service.public, false);
    assert.equal(config.runway.cloudrun.startupCpuBoost, false);
  });

  it("leaves strings where the schema wants strings, and reports text that is not exactly a number", () => {
    const { service } = validConfig(
      withService({ cpu: "2", memory: "2Gi", env: { N: "3" }, labels: { v: "1" } }),
    ).runway;
    assert.equal(service.cpu, "2");
    assert.deepEqual(service.env, { N: "3" });
    assert.deepEqual(service.labels, { v: "1" });
    assert.deepEqual(
      problemsOf({
        ...withService({ public: "yes" }),
        "runway:load": { requestsPerMonth: "1e", avgRequestSeconds: "0.5s" },
      }),
      [
        "runway:service.public: must be true or false",
        "runway:load.requestsPerMonth: must be a whole number, 0 or more",
        "runway:load.avgRequestSeconds: must be a number of seconds",
      ],
    );
  });

  it("gets the same config from the plan's --set as from Pulumi's stored strings", () => {
    const set = ["runway:load.requestsPerMonth=1000", "runway:load.avgRequestSeconds=0.5"].reduce(
      applyOverride,
      flatConfig(base),
    );
    assert.equal(set["runway:load"], '{"requestsPerMonth":1000,"avgRequestSeconds":"0.5"}');
    const result = validateConfig(set);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.config.runway.load, { requestsPerMonth: 1000, avgRequestSeconds: 0.5, concurrency: 1 });
  });
});

describe("stack config: runway keys under another namespace", () => {
  it("names the runway: key meant for a project-namespaced runway key", () => {
    assert.deepEqual(problemsOf({ ...base, "myapp:target": "gke", "myapp:protect": "true" }), [
      "myapp:target: runway reads runway:target, not myapp:target; run pulumi config set runway:target <value> (and pulumi config rm myapp:target)",
      "myapp:protect: runway reads runway:protect, not myapp:protect; run pulumi config set runway:protect <value> (and pulumi config rm myapp:protect)",
    ]);
  });

  it("reports it together with the schema's problems", () => {
    assert.deepEqual(problemsOf({ ...withService({ port: 0 }), "acme-web:service": { name: "echo" } }), [
      "acme-web:service: runway reads runway:service, not acme-web:service; run pulumi config set runway:service <value> (and pulumi config rm acme-web:service)",
      "runway:service.port: must be a TCP port from 1 to 65535",
    ]);
  });

  it("ignores providers' namespaces and other namespaces' own keys", () => {
    validConfig({
      ...base,
      "kubernetes:namespace": "x",
      "docker:host": "unix:///var/run/docker.sock",
      "pulumi:tags": { team: "platform" },
      "gcp:target": "x",
      "myapp:owner": "platform",
      "aws:region": "us-east-1",
    });
  });
});

describe("stack config: build inputs must exist in the project directory", () => {
  const projects: string[] = [];
  after(() => projects.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  /** A project directory in os.tmpdir() holding the given files (relative paths), each with a FROM line. */
  function projectWith(...files: string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-build-inputs-"));
    projects.push(dir);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), "FROM scratch\n");
    }
    return dir;
  }
  const cloudrun = { ...base, "runway:service": { name: "echo" } };
  const gke = {
    ...base,
    "runway:target": "gke",
    "runway:service": { name: "infer", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4" }, maxInstances: 3 },
  };

  for (const [target, stack] of [
    ["cloudrun", cloudrun],
    ["gke", gke],
  ] as const) {
    it(`refuses a context that is not a directory (${target})`, () => {
      const projectDir = projectWith("app/Dockerfile");
      assert.deepEqual(problemsOf({ ...stack, "runway:image": { context: "app2" } }, { projectDir }), [
        `runway:image.context: app2 is not a directory in the project (${path.join(projectDir, "app2")})`,
      ]);
    });

    it(`refuses a Dockerfile that is not a file (${target})`, () => {
      const projectDir = projectWith("app/Dockerfile");
      assert.deepEqual(problemsOf({ ...stack, "runway:image": { dockerfile: "gpu.Dockerfile" } }, { projectDir }), [
        `runway:image.dockerfile: app/gpu.Dockerfile is not a file in the project (${path.join(projectDir, "app", "gpu.Dockerfile")})`,
      ]);
    });
  }

  it("refuses the default context when the project has no app directory", () => {
    const projectDir = projectWith();
    assert.deepEqual(problemsOf(cloudrun, { projectDir }), [
      `runway:image.context: app is not a directory in the project (${path.join(projectDir, "app")})`,
    ]);
  });

  it("refuses a context that is a file, and a Dockerfile that is a directory", () => {
    const projectDir = projectWith("svc", "app/Dockerfile/keep");
    assert.deepEqual(problemsOf({ ...cloudrun, "runway:image": { context: "svc" } }, { projectDir }), [
      `runway:image.context: svc is not a directory in the project (${path.join(projectDir, "svc")})`,
    ]);
    assert.deepEqual(problemsOf(cloudrun, { projectDir }), [
      `runway:image.dockerfile: app/Dockerfile is not a file in the project (${path.join(projectDir, "app", "Dockerfile")})`,
    ]);
  });

  it("accepts a context and Dockerfile that are there, and a prebuilt ref with neither", () => {
    const projectDir = projectWith("svc/gpu.Dockerfile");
    validConfig({ ...cloudrun, "runway:image": { context: "svc", dockerfile: "gpu.Dockerfile" } }, { projectDir });
    const ref = `us-central1-docker.pkg.dev/acme/apps/echo@sha256:${"a".repeat(64)}`;
    validConfig({ ...cloudrun, "runway:image": { ref } }, { projectDir: projectWith() });
  });

  it("reports a missing build input together with the other problems", () => {
    const projectDir = projectWith();
    assert.deepEqual(
      problemsOf({ ...cloudrun, "runway:service": { name: "echo", minInstances: 5, maxInstances: 2 } }, { projectDir }),
      [
        "runway:service.minInstances: 5 is more than maxInstances (2); minInstances must be at most maxInstances",
        `runway:image.context: app is not a directory in the project (${path.join(projectDir, "app")})`,
      ],
    );
  });
});
