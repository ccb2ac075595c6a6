/**
 * runway:gke.podSecurity: the Pod Security Standard of the service's namespace, what the pod spec sets under each,
 * and the refusal of an image that "restricted" would not start (components/targets/gke/rules.ts imageUserProblems).
 */
import * as k8s from "@pulumi/kubernetes";
import { Deployment, type IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { Namespace, type INamespace } from "kubernetes-models/v1/Namespace";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { serviceSchema, type PodSecurity } from "../../../components/config/schema";
import { KubernetesService } from "../../../components/targets/gke/service";
import { deploymentArgs, namespaceArgs } from "../../../components/targets/gke/workload-spec";
import { loadProgram, runUnderMocks } from "../../../tools/mock-runtime";
import { applyOverride } from "../../../tools/plan/overrides";
import { stackConfig } from "../../helpers/stack";
import { problemsOf, validConfig, type Raw } from "../../helpers/config";
import { find } from "../../helpers/inventory";
import { validateKubernetesObjects } from "../../helpers/kubernetes-schemas";

const ROOT = path.join(__dirname, "..", "..", "..");
const IMAGE = `us-central1-docker.pkg.dev/acme-prod/echo/echo@sha256:${"c".repeat(64)}`;
const service = serviceSchema.parse({ name: "infer", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4" } });

/** A valid GKE stack (one L4); each case changes one thing. */
function gkeStack(gke: Raw = {}, extra: Raw = {}): Raw {
  return {
    "gcp:project": "acme-prod",
    "gcp:region": "us-central1",
    "runway:target": "gke",
    "runway:service": { name: "infer", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4" }, maxInstances: 3 },
    "runway:gke": gke,
    ...extra,
  };
}

/** A project directory in os.tmpdir() whose `file` (relative to it) holds the given Dockerfile lines. */
const projects: string[] = [];
function projectWith(lines: readonly string[], file = path.join("app", "Dockerfile")): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runway-pod-security-"));
  projects.push(dir);
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), `${lines.join("\n")}\n`);
  return dir;
}
after(() => {
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true });
});

const CUDA_ROOT = [
  "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04",
  "RUN pip install vllm",
  'CMD ["python3", "-m", "vllm"]',
];
const FIX = "or set runway:gke.podSecurity: baseline";
const RESTRICTED = "GKE's restricted Pod Security Standard (runway:gke.podSecurity, the default)";
const DOCKERFILE = path.join("app", "Dockerfile");

describe("runway:gke.podSecurity: validation on the stack path", () => {
  it("refuses a restricted GKE stack whose Dockerfile has no USER, with the fix", () => {
    assert.deepEqual(problemsOf(gkeStack(), { projectDir: projectWith(CUDA_ROOT) }), [
      `runway:image.dockerfile: ${DOCKERFILE}'s final stage has no USER, so the image runs as root (runway does not look into the base image), and ${RESTRICTED} refuses root containers; end the final stage with USER 65532 (or another numeric non-root uid), ${FIX}`,
    ]);
  });

  it("refuses USER root and USER 0:0, and says which", () => {
    for (const user of ["root", "0:0"]) {
      assert.deepEqual(problemsOf(gkeStack(), { projectDir: projectWith([...CUDA_ROOT, `USER ${user}`]) }), [
        `runway:image.dockerfile: ${DOCKERFILE}'s final stage runs as root (USER ${user}), and ${RESTRICTED} refuses root containers; end the final stage with USER 65532 (or another numeric non-root uid), ${FIX}`,
      ]);
    }
  });

  it("refuses a named user, which the kubelet cannot verify as non-root", () => {
    assert.deepEqual(problemsOf(gkeStack(), { projectDir: projectWith([...CUDA_ROOT, "USER nonroot"]) }), [
      `runway:image.dockerfile: ${DOCKERFILE}'s final stage runs as the named user nonroot, which the kubelet cannot verify as non-root under ${RESTRICTED} and refuses to start ("image has non-numeric user"); use the numeric uid, e.g. USER 65532, ${FIX}`,
    ]);
  });

  it("names the Dockerfile the stack builds", () => {
    const file = path.join("svc", "gpu.Dockerfile");
    const projectDir = projectWith(CUDA_ROOT, file);
    const image = { "runway:image": { context: "svc", dockerfile: "gpu.Dockerfile" } };
    assert.deepEqual(
      problemsOf(gkeStack({ podSecurity: "restricted" }, image), { projectDir }).map((p) => p.split("'")[0]),
      [`runway:image.dockerfile: ${file}`],
    );
  });

  it("refuses it when auto picks GKE for a GPU too", () => {
    const projectDir = projectWith(CUDA_ROOT);
    assert.deepEqual(
      problemsOf(gkeStack({}, { "runway:target": "auto" }), { projectDir }).map((p) => p.split(",")[0]),
      [`runway:image.dockerfile: ${DOCKERFILE}'s final stage has no USER`],
    );
  });

  it("accepts a numeric non-root uid, and the sample app's Dockerfile (USER 65532:65532)", () => {
    assert.deepEqual(problemsOf(gkeStack(), { projectDir: projectWith([...CUDA_ROOT, "USER 10001"]) }), []);
    assert.deepEqual(problemsOf(gkeStack(), { projectDir: ROOT }), []);
  });

  it("accepts a root or named image with podSecurity baseline, which the decision carries", () => {
    for (const lines of [CUDA_ROOT, [...CUDA_ROOT, "USER nonroot"]]) {
      const config = validConfig(gkeStack({ podSecurity: "baseline" }), { projectDir: projectWith(lines) });
      assert.equal(config.decision.target === "gke" && config.decision.settings.podSecurity, "baseline");
    }
  });

  it("defaults to restricted", () => {
    const config = validConfig(gkeStack(), { projectDir: ROOT });
    assert.equal(config.runway.gke?.podSecurity, "restricted");
    assert.equal(config.decision.target === "gke" && config.decision.settings.podSecurity, "restricted");
  });

  it("reports no USER problem when the Dockerfile is missing, the image is prebuilt, or the target is Cloud Run", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "runway-pod-security-"));
    projects.push(empty);
    // A missing build context is its own problem (workload/rules.ts buildInputProblems), not a USER one.
    assert.deepEqual(problemsOf(gkeStack(), { projectDir: empty }), [
      `runway:image.context: app is not a directory in the project (${path.join(empty, "app")})`,
    ]);
    const projectDir = projectWith(CUDA_ROOT);
    const ref = `us-central1-docker.pkg.dev/acme-prod/apps/infer@sha256:${"a".repeat(64)}`;
    assert.deepEqual(problemsOf(gkeStack({}, { "runway:image": { ref } }), { projectDir }), []);
    const cloudRun = { "runway:target": "cloudrun", "runway:service": { name: "infer" } };
    assert.deepEqual(problemsOf(gkeStack({}, cloudRun), { projectDir }), []);
  });

  it("does not judge a USER made of build variables", () => {
    assert.deepEqual(problemsOf(gkeStack(), { projectDir: projectWith([...CUDA_ROOT, "USER $APP_UID"]) }), []);
  });

  it("refuses another value", () => {
    assert.deepEqual(problemsOf(gkeStack({ podSecurity: "privileged" }), { projectDir: ROOT }), [
      'runway:gke.podSecurity: must be "restricted" or "baseline"',
    ]);
  });
});

/**
 * The fields the Pod Security Standards restrict that runway's pod sets, and what each level allows
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/): baseline forbids added capabilities
 * beyond its default set, privileged containers, host namespaces and an Unconfined seccomp profile; restricted
 * also requires runAsNonRoot true, allowPrivilegeEscalation false, capabilities dropping ALL and a RuntimeDefault
 * or Localhost seccomp profile. readOnlyRootFilesystem is not part of either.
 */
function violations(pod: IPodSpec, level: PodSecurity): string[] {
  const found: string[] = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) found.push("host namespaces");
  const podSeccomp = pod.securityContext?.seccompProfile?.type;
  for (const container of pod.containers) {
    const context = container.securityContext ?? {};
    const seccomp = context.seccompProfile?.type ?? podSeccomp;
    if (context.privileged) found.push("privileged");
    if ((context.capabilities?.add ?? []).length > 0) found.push("capabilities.add");
    if (seccomp === "Unconfined") found.push("seccomp Unconfined");
    if (level === "baseline") continue;
    if ((context.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) found.push("runAsNonRoot");
    if (context.allowPrivilegeEscalation !== false) found.push("allowPrivilegeEscalation");
    if (!(context.capabilities?.drop ?? []).includes("ALL")) found.push("capabilities.drop");
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") found.push("seccomp");
  }
  return found;
}

function deployment(podSecurity?: PodSecurity): IDeployment {
  const args = deploymentArgs({
    service,
    namespace: "infer",
    project: "acme-prod",
    image: IMAGE,
    rolloutDeadlineSeconds: 1800,
    ...(podSecurity && { podSecurity }),
  });
  return args as unknown as IDeployment;
}

const podOf = (d: IDeployment): IPodSpec => {
  const pod = d.spec?.template.spec;
  if (!pod) throw new Error("the Deployment has no pod spec");
  return pod;
};

describe("runway:gke.podSecurity: the namespace and the pod", () => {
  it("restricted (the default): the namespace enforces it and the pod meets it, on a read-only root", () => {
    const namespace = namespaceArgs(service, "infer") as unknown as INamespace;
    new Namespace(namespace).validate();
    assert.equal(namespace.metadata?.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
    assert.deepEqual(deployment(), deployment("restricted"));
    new Deployment(deployment()).validate();
    const pod = podOf(deployment());
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(pod.containers[0]?.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.deepEqual(violations(pod, "restricted"), []);
  });

  it("baseline: the namespace enforces it; the pod may run as root and write, still without escalation or capabilities", () => {
    const namespace = namespaceArgs(service, "infer", "baseline") as unknown as INamespace;
    new Namespace(namespace).validate();
    assert.equal(namespace.metadata?.labels?.["pod-security.kubernetes.io/enforce"], "baseline");
    new Deployment(deployment("baseline")).validate();
    const pod = podOf(deployment("baseline"));
    assert.deepEqual(pod.securityContext, { seccompProfile: { type: "RuntimeDefault" } });
    assert.deepEqual(pod.containers[0]?.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    assert.deepEqual(violations(pod, "baseline"), []);
    assert.deepEqual(violations(pod, "restricted"), ["runAsNonRoot"]);
  });

  it("KubernetesService takes it, restricted unless told", async () => {
    const run = (podSecurity?: PodSecurity) =>
      runUnderMocks(
        () => {
          const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
          new KubernetesService("infer", {
            project: "acme-prod",
            service,
            image: IMAGE,
            provider,
            ...(podSecurity && { podSecurity }),
          });
        },
        { config: { "gcp:project": "acme-prod", "gcp:region": "us-central1" } },
      );
    for (const [given, expected] of [
      [undefined, "restricted"],
      ["baseline", "baseline"],
    ] as const) {
      const inventory = await run(given);
      const namespace = find(inventory, "kubernetes:core/v1:Namespace", "infer-namespace");
      const pods = find(inventory, "kubernetes:apps/v1:Deployment", "infer-deployment");
      assert.deepEqual(validateKubernetesObjects({ ...inventory, resources: [namespace, pods] }), [
        "kubernetes:core/v1:Namespace",
        "kubernetes:apps/v1:Deployment",
      ]);
      const labels = (namespace.inputs as unknown as INamespace).metadata?.labels;
      assert.equal(labels?.["pod-security.kubernetes.io/enforce"], expected);
      assert.deepEqual(violations(podOf(pods.inputs as unknown as IDeployment), expected), []);
    }
  });

  it("flows from the stack config through the resolved GKE settings into the namespace of the prod stack", async () => {
    const config = applyOverride(stackConfig("prod"), "runway:gke.podSecurity=baseline");
    const inventory = await runUnderMocks(() => loadProgram(path.join(ROOT, "index.ts")), { config, stack: "prod" });
    const namespace = find(inventory, "kubernetes:core/v1:Namespace", "echo-namespace").inputs as unknown as INamespace;
    assert.equal(namespace.metadata?.labels?.["pod-security.kubernetes.io/enforce"], "baseline");
    const pods = find(inventory, "kubernetes:apps/v1:Deployment", "echo-deployment").inputs as unknown as IDeployment;
    assert.equal(podOf(pods).containers[0]?.securityContext?.runAsNonRoot, undefined);
  });
});
