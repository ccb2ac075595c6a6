/**
 * Issue 13 item 2, sidecars on GKE: native sidecars for the start-first ones, plain containers for the rest, the
 * same hardening as the app, secrets as files, and pod requests that add the sidecars. Expected values by hand.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import { deploymentArgs, secretProviderClassArgs } from "../../../components/targets/gke/workload-spec";
import { gkeDifferences } from "../../../components/targets/gke/differences";
import { gkeKeySettings } from "../../../components/targets/gke/summary";
import { fitsMachine, podRequests, podsPerNodeOf } from "../../../components/targets/gke/sizing";
import { MACHINE_TYPES } from "../../../components/facts/gpus";
import { findInputs } from "../../helpers/inventory";
import { kubernetesServiceInventory } from "../../helpers/gke-service";
import { validateKubernetesObjects, validateObject } from "../../helpers/kubernetes-schemas";
import { problemsOf, validConfig, type Raw } from "../../helpers/config";
import { IMAGE, FORWARDER, PROXY, SIDECARS } from "../../helpers/sidecars";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass";

const serviceOf = (fields: Raw) => serviceSchema.parse({ name: "echo", ...fields });

function deploymentOf(fields: Raw, podSecurity: "restricted" | "baseline" = "restricted") {
  return deploymentArgs({
    service: serviceOf(fields),
    namespace: "echo",
    project: "acme-dev",
    image: IMAGE,
    rolloutDeadlineSeconds: 600,
    podSecurity,
  }) as unknown as {
    spec: {
      template: {
        spec: { initContainers?: Record<string, unknown>[]; containers: Record<string, unknown>[]; volumes: unknown[] };
      };
    };
  };
}

const RESTRICTED = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};

describe("GKE sidecars: the pod", () => {
  it("makes start-first sidecars native (restartable init containers) and the rest plain containers", () => {
    const pod = deploymentOf({ sidecars: SIDECARS }).spec.template.spec;
    assert.deepEqual(
      pod.initContainers?.map((c) => [c.name, c.restartPolicy]),
      [["sql-proxy", "Always"]],
    );
    assert.deepEqual(
      pod.containers.map((c) => c.name),
      ["echo", "log-forwarder"],
    );
    assert.deepEqual(pod.initContainers[0], {
      name: "sql-proxy",
      image: PROXY,
      restartPolicy: "Always",
      env: [{ name: "DB_PASSWORD_FILE", value: "/run/secrets/runway/sql-proxy-DB_PASSWORD" }],
      resources: { requests: { cpu: "0.5", memory: "256Mi" }, limits: { cpu: "0.5", memory: "256Mi" } },
      startupProbe: {
        httpGet: { path: "/startup", port: 9090 },
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: 24,
      },
      securityContext: RESTRICTED,
      volumeMounts: [
        { name: "tmp", mountPath: "/tmp" },
        { name: "secrets", mountPath: "/run/secrets/runway", readOnly: true },
      ],
    });
    assert.deepEqual(pod.containers[1], {
      name: "log-forwarder",
      image: FORWARDER,
      env: [{ name: "FLUSH", value: "5" }],
      resources: { requests: { cpu: "0.25", memory: "128Mi" }, limits: { cpu: "0.25", memory: "128Mi" } },
      securityContext: RESTRICTED,
      volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    });
  });

  it("hardens sidecars exactly like the app container, under restricted and baseline", () => {
    for (const podSecurity of ["restricted", "baseline"] as const) {
      const pod = deploymentOf({ sidecars: SIDECARS }, podSecurity).spec.template.spec;
      const app = pod.containers[0]!.securityContext;
      assert.deepEqual(pod.initContainers![0]!.securityContext, app);
      assert.deepEqual(pod.containers[1]!.securityContext, app);
    }
  });

  it("defines the secrets volume when only a sidecar has secrets, and the app does not mount it", () => {
    const pod = deploymentOf({ sidecars: SIDECARS }).spec.template.spec;
    assert.equal(pod.volumes.length, 2);
    assert.deepEqual(pod.containers[0]!.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
  });

  it("names the sidecar's secret files in the SecretProviderClass after the sidecar", () => {
    const spc = secretProviderClassArgs(
      serviceOf({ secrets: { API_KEY: "api-key" }, sidecars: SIDECARS }),
      "echo",
      "acme-dev",
    ) as unknown as { spec: { parameters: { secrets: string } } };
    assert.equal(
      spc.spec.parameters.secrets,
      '- resourceName: "projects/acme-dev/secrets/api-key/versions/latest"\n  path: "API_KEY"\n' +
        '- resourceName: "projects/acme-dev/secrets/db-password/versions/2"\n  path: "sql-proxy-DB_PASSWORD"\n',
    );
  });

  it("is a valid Deployment by the upstream schema", () => {
    validateObject(DEPLOYMENT, deploymentOf({ sidecars: SIDECARS }));
    validateObject(DEPLOYMENT, deploymentOf({ sidecars: SIDECARS }, "baseline"));
  });

  it("without sidecars has no initContainers and one container", () => {
    const pod = deploymentOf({}).spec.template.spec;
    assert.equal("initContainers" in pod, false);
    assert.equal(pod.containers.length, 1);
  });

  it("shows the sidecars in the plan and says what differs", () => {
    const text = gkeKeySettings[DEPLOYMENT]!(deploymentOf({ sidecars: SIDECARS }));
    assert.deepEqual(text.slice(-2), [
      "sidecar sql-proxy 0.5 vCPU / 256Mi, native, starts first",
      "sidecar log-forwarder 0.25 vCPU / 128Mi",
    ]);
    const differences = gkeDifferences(serviceOf({ minInstances: 1, sidecars: SIDECARS }));
    assert.deepEqual(differences.slice(1), [
      "start-first sidecars are native sidecars (restartable init containers): they start one after another in order, each once its startup probe passes, before the app; Cloud Run starts them together and holds only the app back (dependsOn)",
      "sidecar secrets are files in the pod's secrets volume (`<NAME>_FILE` names `<sidecar>-<NAME>`), not variables holding the value as on Cloud Run",
    ]);
  });
});

describe("GKE sidecars under the mock runtime", () => {
  it("registers valid Kubernetes objects and grants the sidecar's secret", async () => {
    const inventory = await kubernetesServiceInventory(serviceOf({ sidecars: SIDECARS }), IMAGE);
    validateKubernetesObjects(inventory);
    const pod = findInputs(inventory, DEPLOYMENT, "echo-deployment").spec?.template.spec;
    assert.deepEqual(
      pod?.initContainers?.map((c) => c.name),
      ["sql-proxy"],
    );
    assert.ok(inventory.resources.some((r) => r.type === SPC));
    const secretIds = [
      ...new Set(
        inventory.resources
          .filter((r) => r.type === "gcp:secretmanager/secretIamMember:SecretIamMember")
          .map((r) => String(r.inputs.secretId)),
      ),
    ];
    assert.deepEqual(secretIds, ["db-password"]);
  });
});

describe("GKE sidecars: pod requests and node fit", () => {
  it("adds the sidecars to the pod's requests", () => {
    assert.deepEqual(podRequests(serviceOf({ cpu: "1", memory: "512Mi", sidecars: SIDECARS })), {
      cpu: 1.75,
      memoryMiB: 896,
    });
    assert.deepEqual(podRequests(serviceOf({ cpu: "1", memory: "512Mi" })), { cpu: 1, memoryMiB: 512 });
  });

  it("fits nodes and counts pods per node by the sum", () => {
    // g2-standard-4 leaves GPU pods 3.19 vCPU / 11.9Gi (test/targets/gke/rules.test.ts).
    const app = { cpu: "3", memory: "11Gi", gpu: { type: "nvidia-l4" } };
    assert.equal(fitsMachine(serviceOf(app), "g2-standard-4", "gpu"), true);
    assert.equal(fitsMachine(serviceOf({ ...app, sidecars: [SIDECARS[0]] }), "g2-standard-4", "gpu"), false);
    const shape = MACHINE_TYPES["e2-standard-4" as keyof typeof MACHINE_TYPES];
    const one = podsPerNodeOf(serviceOf({ cpu: "1", memory: "1Gi" }), shape);
    const withSidecar = podsPerNodeOf(
      serviceOf({ cpu: "1", memory: "1Gi", sidecars: [{ name: "s", image: PROXY, cpu: "1", memory: "1Gi" }] }),
      shape,
    );
    assert.equal(withSidecar, podsPerNodeOf(serviceOf({ cpu: "2", memory: "2Gi" }), shape));
    assert.ok(withSidecar < one);
  });

  const gkeStack = (service: Raw, gke: Raw = {}): Raw => ({
    "gcp:project": "acme-prod",
    "gcp:region": "us-central1",
    "runway:target": "gke",
    "runway:service": { name: "infer", maxInstances: 3, ...service },
    "runway:gke": gke,
  });

  it("refuses a GPU machine the app fits but app + sidecars do not, saying so", () => {
    const app = { cpu: "3", memory: "11Gi", gpu: { type: "nvidia-l4" } };
    const pool = { gpuPool: { machineType: "g2-standard-4" } };
    assert.deepEqual(problemsOf(gkeStack(app, pool)), []);
    assert.deepEqual(problemsOf(gkeStack({ ...app, sidecars: [SIDECARS[0]] }, pool)), [
      "runway:gke.gpuPool.machineType: g2-standard-4 cannot hold cpu 3.5 / memory 11520Mi (app + 1 sidecar): a pod may request at most 3.19 vCPU and 11.9Gi memory there",
    ]);
  });

  it("picks a default GPU machine that fits app + sidecars", () => {
    const app = { cpu: "3", memory: "11Gi", gpu: { type: "nvidia-l4" } };
    const alone = validConfig(gkeStack(app));
    const withSidecar = validConfig(gkeStack({ ...app, sidecars: [SIDECARS[0]] }));
    assert.equal((alone.decision.settings as { gpuMachineType?: string }).gpuMachineType, "g2-standard-4");
    assert.equal((withSidecar.decision.settings as { gpuMachineType?: string }).gpuMachineType, "g2-standard-8");
  });
});

describe("sidecar rules on every target", () => {
  const stack = (service: Raw, target = "gke"): Raw => ({
    "gcp:project": "acme-dev",
    "gcp:region": "us-central1",
    "runway:target": target,
    "runway:service": { name: "echo", ...service },
  });
  const sc = (extra: Raw) => ({ name: "side", image: FORWARDER, cpu: "0.25", memory: "128Mi", ...extra });

  for (const target of ["gke", "cloudrun"]) {
    it(`refuses clashing names, a start-first sidecar without a probe and the app's port (${target})`, () => {
      assert.deepEqual(
        problemsOf(
          stack(
            {
              sidecars: [
                sc({ name: "echo" }),
                sc({ startsFirst: true }),
                sc({ startupProbe: { path: "/ready", port: 8080 } }),
                sc({ name: "other", env: { TOKEN: "x" }, secrets: { TOKEN: "token" } }),
              ],
            },
            target,
          ),
        ),
        [
          "runway:service.sidecars[0].name: echo is the service's name; the app container has it",
          "runway:service.sidecars[1].startsFirst: needs a startupProbe: without one the app would wait only for the sidecar's process to start",
          "runway:service.sidecars[2].name: side names another sidecar; sidecar names are unique",
          "runway:service.sidecars[2].startupProbe.port: 8080 is the service's port; containers of one instance share its network",
          "runway:service.sidecars[3].secrets.TOKEN: is also set in runway:service.sidecars[3].env; a variable comes from env or from secrets, not both",
        ],
      );
    });
  }

  it("refuses a sidecar variable that GKE sets to a secret's path", () => {
    assert.deepEqual(problemsOf(stack({ sidecars: [sc({ env: { TOKEN_FILE: "x" }, secrets: { TOKEN: "token" } })] })), [
      "runway:service.sidecars[0].env.TOKEN_FILE: is set by runway on GKE to the path of secret TOKEN; rename it",
    ]);
    assert.deepEqual(
      problemsOf(stack({ sidecars: [sc({ env: { TOKEN_FILE: "x" }, secrets: { TOKEN: "token" } })] }, "cloudrun")),
      [],
    );
  });

  it("checks the shape: a pinned image, a container name, cpu and memory", () => {
    assert.deepEqual(
      problemsOf(stack({ sidecars: [{ name: "Bad_Name", image: "fluent/fluent-bit:3.0", cpu: "x" }] })),
      [
        "runway:service.sidecars[0].name: must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 63 characters",
        "runway:service.sidecars[0].image: must be an image pinned by digest: NAME@sha256: and 64 hex digits",
        'runway:service.sidecars[0].cpu: must be a number of vCPUs such as "1", "0.5" or "4"',
        "runway:service.sidecars[0].memory: is required",
      ],
    );
  });
});
