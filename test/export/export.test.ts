/**
 * The export's content beyond the goldens: what each flavour reports it does not carry (exact messages), how secrets,
 * visibility and GPUs map, and the CLI's streams and exit codes. Every expected value is written by hand.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { runPlanCli } from "../helpers/plan-cli";
import { exportService } from "../../components/export";
import { exportStack } from "../../tools/plan/cli";
import { validConfig } from "../helpers/config";
import { GOLDEN_DIR } from "../helpers/golden";

function stackExport(stack: string, flavour: "knative" | "cloudrun") {
  const result = exportStack(stack, flavour);
  assert.ok(result.ok, JSON.stringify(result));
  return result.export;
}

/** A Cloud Run service with secrets, public behind internal ingress, and a timeout above Knative's default ceiling. */
const secretService = validConfig({
  "gcp:project": "acme-dev",
  "gcp:region": "us-central1",
  "runway:target": "cloudrun",
  "runway:service": {
    name: "api",
    public: true,
    timeoutSeconds: 900,
    secrets: { API_KEY: "api_key:3", TOKEN: "token" },
  },
  "runway:cloudrun": { ingress: "internal" },
});
const IMAGE = "us-docker.pkg.dev/acme/repo/api@sha256:" + "a".repeat(64);

type Manifest = {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: Record<string, unknown> & { containers: { env: unknown[] }[] };
    };
  };
};

describe("knative export", () => {
  it("dev: reports IAM, the grace period and the Cloud Run settings it drops", () => {
    assert.deepEqual(stackExport("dev", "knative").unsupported, [
      "runway:service.public: false: Knative has no invoker IAM check; the service is cluster-local (networking.knative.dev/visibility) instead",
      "runway:service.drainSeconds: 8: Knative sets the pod's terminationGracePeriodSeconds itself (from timeoutSeconds); only SHUTDOWN_DEADLINE_MS is passed",
      "runway:cloudrun.cpuIdle: true: CPU billing is Cloud Run's; Knative pods keep their CPU",
      "runway:cloudrun.startupCpuBoost: true: Cloud Run only",
    ]);
  });

  it("prod: the GPU goes to GKE's node label with a toleration, and needs two config-features flags", () => {
    const result = stackExport("prod", "knative");
    assert.deepEqual(result.features, ["kubernetes.podspec-nodeselector", "kubernetes.podspec-tolerations"]);
    const spec = (result.manifest as unknown as Manifest).spec.template.spec;
    assert.deepEqual(spec.nodeSelector, { "cloud.google.com/gke-accelerator": "nvidia-l4" });
    assert.deepEqual(spec.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    assert.deepEqual(result.unsupported, [
      "runway:service.public: false: Knative has no invoker IAM check; the service is cluster-local (networking.knative.dev/visibility) instead",
      "runway:service.drainSeconds: 8: Knative sets the pod's terminationGracePeriodSeconds itself (from timeoutSeconds); only SHUTDOWN_DEADLINE_MS is passed",
      "runway:service.gpu: the node selector is GKE's label (cloud.google.com/gke-accelerator); other clusters label GPU nodes their own way",
      "runway:load: a traffic profile for the cost estimate, not part of the service",
      "runway:gke.authorizedNetworks: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.binaryAuthorization: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.coldStartResponse: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.deletionProtection: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.gpuPool: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.location: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.podSecurity: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.privateNodes: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.releaseChannel: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.scaleDownSeconds: a GKE cluster or KEDA setting; a Knative Service has no field for it",
      "runway:gke.systemPool: a GKE cluster or KEDA setting; a Knative Service has no field for it",
    ]);
  });

  it("secrets become Kubernetes Secrets the user creates, listed with their Secret Manager source", () => {
    const result = exportService("knative", { config: secretService, image: IMAGE });
    const manifest = result.manifest as unknown as Manifest;
    const env = manifest.spec.template.spec.containers[0]?.env;
    assert.deepEqual(env, [
      { name: "API_KEY", valueFrom: { secretKeyRef: { name: "api-key", key: "3" } } },
      { name: "GOOGLE_CLOUD_PROJECT", value: "acme-dev" },
      { name: "SHUTDOWN_DEADLINE_MS", value: "8000" },
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "token", key: "latest" } } },
    ]);
    assert.deepEqual(result.prerequisites, [
      "Kubernetes ServiceAccount api in namespace api",
      "Kubernetes Secret api-key in namespace api with key 3: the value of Secret Manager secret api_key version 3",
      "Kubernetes Secret token in namespace api with key latest: the value of Secret Manager secret token version latest",
    ]);
    assert.equal(manifest.metadata.labels["networking.knative.dev/visibility"], "cluster-local");
    assert.deepEqual(result.unsupported.slice(0, 4), [
      "runway:service.public: true: Knative has no invoker IAM check; runway:cloudrun.ingress internal makes it cluster-local",
      "runway:service.drainSeconds: 8: Knative sets the pod's terminationGracePeriodSeconds itself (from timeoutSeconds); only SHUTDOWN_DEADLINE_MS is passed",
      "runway:service.secrets: read from Kubernetes Secrets (values stored in the cluster), not from Secret Manager",
      "runway:service.timeoutSeconds: 900 is above Knative's default max-revision-timeout-seconds (600); raise it in config-defaults",
    ]);
  });

  it("a public service open to all traffic is external: no visibility label", () => {
    const config = validConfig({
      "gcp:project": "acme-dev",
      "gcp:region": "us-central1",
      "runway:target": "cloudrun",
      "runway:service": { name: "web", public: true },
    });
    const result = exportService("knative", { config, image: IMAGE });
    assert.deepEqual((result.manifest as unknown as Manifest).metadata.labels, {});
    assert.equal(
      result.unsupported[0],
      "runway:service.public: true: Knative has no invoker IAM check; the service is external on the cluster's ingress, open to anyone who reaches it",
    );
  });
});

describe("cloudrun export", () => {
  it("dev: the v1 annotations carry scaling, billing and boost; only readyPath is reported", () => {
    const result = stackExport("dev", "cloudrun");
    const manifest = result.manifest as unknown as Manifest;
    assert.deepEqual(manifest.metadata.annotations, { "run.googleapis.com/ingress": "all" });
    assert.deepEqual(manifest.spec.template.metadata.annotations, {
      "autoscaling.knative.dev/minScale": "0",
      "autoscaling.knative.dev/maxScale": "5",
      "run.googleapis.com/cpu-throttling": "true",
      "run.googleapis.com/startup-cpu-boost": "true",
    });
    assert.deepEqual(result.unsupported, [
      "runway:service.readyPath: not exported: Cloud Run's readiness probes are Preview; the startup and liveness probes use healthPath (/healthz)",
    ]);
  });

  it("prod (a GKE stack): the GPU, gen2, instance billing and zonal redundancy, and the GKE keys reported", () => {
    const result = stackExport("prod", "cloudrun");
    const template = (result.manifest as unknown as Manifest).spec.template;
    assert.deepEqual(template.metadata.annotations, {
      "autoscaling.knative.dev/minScale": "1",
      "autoscaling.knative.dev/maxScale": "3",
      "run.googleapis.com/cpu-throttling": "false",
      "run.googleapis.com/startup-cpu-boost": "true",
      "run.googleapis.com/execution-environment": "gen2",
      "run.googleapis.com/gpu-zonal-redundancy-disabled": "false",
    });
    assert.deepEqual(template.spec.nodeSelector, { "run.googleapis.com/accelerator": "nvidia-l4" });
    assert.deepEqual(result.unsupported.slice(0, 4), [
      "runway:target: this stack runs on gke; this YAML runs the same service on Cloud Run, with Cloud Run's defaults for runway:cloudrun",
      "runway:service.readyPath: not exported: Cloud Run's readiness probes are Preview; the startup and liveness probes use healthPath (/healthz)",
      "runway:cloudrun.deletionProtection: the v1 YAML has no field for it; set it with gcloud run services update --deletion-protection",
      "runway:load: a traffic profile for the cost estimate, not part of the service",
    ]);
    assert.equal(result.unsupported.length, 15);
  });

  it("secrets are v1 secretKeyRefs (name: the secret, key: its version); public disables the invoker check", () => {
    const result = exportService("cloudrun", { config: secretService, image: IMAGE });
    const manifest = result.manifest as unknown as Manifest;
    assert.deepEqual(manifest.metadata.annotations, {
      "run.googleapis.com/ingress": "internal",
      "run.googleapis.com/invoker-iam-disabled": "true",
    });
    assert.deepEqual(manifest.spec.template.spec.containers[0]?.env, [
      { name: "API_KEY", valueFrom: { secretKeyRef: { name: "api_key", key: "3" } } },
      { name: "GOOGLE_CLOUD_PROJECT", value: "acme-dev" },
      { name: "SHUTDOWN_DEADLINE_MS", value: "8000" },
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "token", key: "latest" } } },
    ]);
    assert.equal(manifest.spec.template.spec.serviceAccountName, "api-run@acme-dev.iam.gserviceaccount.com");
    assert.equal(manifest.spec.template.spec.timeoutSeconds, 900);
    assert.deepEqual(result.prerequisites, [
      "service account api-run@acme-dev.iam.gserviceaccount.com with roles/logging.logWriter and roles/monitoring.metricWriter (pulumi up creates it; this YAML does not)",
      "roles/secretmanager.secretAccessor on Secret Manager secret api_key for api-run@acme-dev.iam.gserviceaccount.com",
      "roles/secretmanager.secretAccessor on Secret Manager secret token for api-run@acme-dev.iam.gserviceaccount.com",
    ]);
    assert.deepEqual(result.unsupported, []);
  });
});

const cli = runPlanCli;

describe("npm run plan -- --export", () => {
  it("prints the YAML on stdout and what it does not carry on stderr", () => {
    const run = cli("--stack", "dev", "--export", "cloudrun");
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, fs.readFileSync(path.join(GOLDEN_DIR, "export-dev-cloudrun.yaml"), "utf8"));
    assert.equal(
      run.stderr,
      "not carried by the cloudrun export (1):\n" +
        "  runway:service.readyPath: not exported: Cloud Run's readiness probes are Preview; the startup and liveness probes use healthPath (/healthz)\n",
    );
  });

  it("--json prints one document with the manifest and the lists", () => {
    const run = cli("--stack", "dev", "--export", "knative", "--json");
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), [
      "ok",
      "placeholder",
      "flavour",
      "manifest",
      "unsupported",
      "prerequisites",
      "features",
    ]);
    assert.equal(doc.flavour, "knative");
    assert.equal(run.stderr, "");
  });

  it("an unknown flavour is a usage mistake (exit 2); invalid config prints the problems (exit 1)", () => {
    const bad = cli("--stack", "dev", "--export", "helm");
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'plan: --export takes knative or cloudrun, not "helm"\n');
    const invalid = cli("--stack", "dev", "--export", "knative", "--set", "runway:service.maxInstances=0");
    assert.equal(invalid.code, 1);
    assert.equal(invalid.stdout, "");
    assert.match(invalid.stderr, /runway:service\.maxInstances: must be at least 1/);
  });
});
