import * as k8s from "@pulumi/kubernetes";
import { load as parseYaml } from "js-yaml";

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema, type ServiceConfig } from "../../../components/config/schema";
import { KubernetesService, type KubernetesServiceArgs } from "../../../components/targets/gke/service";
import {
  containerEnv,
  deploymentArgs,
  gpuScheduling,
  loadBalancerAnnotations,
  namespaceArgs,
  podDisruptionBudgetArgs,
  secretMounts,
  secretProviderClassArgs,
  secretsParameter,
  serviceAccountArgs,
  serviceArgs,
  serviceUrl,
  workloadIdentityMember,
} from "../../../components/targets/gke/workload-spec";
import { runUnderMocks, type Inventory } from "../../../tools/mock-runtime";
import {
  assertChildrenOf,
  dependenciesOf,
  find,
  findInputs,
  inputsOf,
  listing,
  metadataOf,
  type InputsByType,
} from "../../helpers/inventory";
import { validateKubernetesObjects, validateObject } from "../../helpers/kubernetes-schemas";
import { plain } from "../../helpers/plain";

const IMAGE = `us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:${"c".repeat(64)}`;
const NODE_SA = "gke-nodes@acme-dev.iam.gserviceaccount.com";
const GSA = "echo-gke@acme-dev.iam.gserviceaccount.com";
const config = { "gcp:project": "acme-dev", "gcp:region": "us-central1" };
const COMPONENT = "runway:index:KubernetesService echo";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const K8S_SERVICE = "kubernetes:core/v1:Service";
const SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const ROUTE = "kubernetes:http.keda.sh/v1beta1:InterceptorRoute";
const SCALER = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const serviceOf = (fields: Record<string, unknown>): ServiceConfig => serviceSchema.parse({ name: "echo", ...fields });

function argsFor(
  fields: Record<string, unknown>,
  extra: Partial<KubernetesServiceArgs> = {},
): Omit<KubernetesServiceArgs, "provider"> {
  return {
    project: "acme-dev",
    service: serviceOf(fields),
    image: IMAGE,
    repository: { project: "acme-dev", location: "us-central1", name: "echo" },
    ...extra,
  };
}

/** Runs the component with a Kubernetes provider created in the same mocked program. */
async function inventoryOf(args: Omit<KubernetesServiceArgs, "provider">): Promise<Inventory> {
  return runUnderMocks(
    () => {
      const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
      const svc = new KubernetesService("echo", { ...args, provider });
      return { url: svc.url, serviceAccountEmail: svc.serviceAccountEmail, namespace: svc.namespace };
    },
    { config },
  );
}

const kubernetesObjects = (inventory: Inventory) => inventory.resources.filter((r) => r.type.startsWith("kubernetes:"));

/** The Deployment's pod spec; throws when it has none. */
function podSpec(inventory: Inventory) {
  const pod = findInputs(inventory, DEPLOYMENT, "echo-deployment").spec?.template.spec;
  if (!pod) throw new Error("the Deployment has no pod spec");
  return pod;
}

/** The pod's first container; throws when it has none. */
function container(inventory: Inventory) {
  const [first] = podSpec(inventory).containers;
  if (!first) throw new Error("the pod has no container");
  return first;
}

/** Every key anywhere in a value, to search registered inputs for fields that would carry secret values. */
function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...keysDeep(v)]);
  return [];
}

const BASE_LISTING = [
  "gcp:projects/iAMMember:IAMMember echo-logging-logWriter",
  "gcp:projects/iAMMember:IAMMember echo-monitoring-metricWriter",
  "gcp:projects/service:Service echo-cloudresourcemanager-api",
  "gcp:projects/service:Service echo-iam-api",
  "gcp:serviceaccount/account:Account echo-gsa",
  "gcp:serviceaccount/iAMMember:IAMMember echo-workload-identity",
  `${DEPLOYMENT} echo-deployment`,
  "kubernetes:core/v1:Namespace echo-namespace",
  `${K8S_SERVICE} echo-entry`,
  `${K8S_SERVICE} echo-service`,
  "kubernetes:core/v1:ServiceAccount echo-ksa",
  `${ROUTE} echo-route`,
  `${SCALER} echo-scaler`,
  `${NETWORK_POLICY} echo-deny-ingress`,
  `${NETWORK_POLICY} echo-from-interceptor`,
  "kubernetes:policy/v1:PodDisruptionBudget echo-pdb",
  "pulumi:providers:kubernetes cluster",
  COMPONENT,
  "runway:index:ProjectApis echo",
];

describe("KubernetesService, private and without secrets", () => {
  it("registers exactly the GCP identity, its grants, the API and the Kubernetes objects, as children", async () => {
    const inventory = await inventoryOf(argsFor({}));
    assert.deepEqual(listing(inventory), BASE_LISTING);
    assertChildrenOf(
      inventory,
      COMPONENT,
      inventory.resources.filter((r) => r.custom && r.type !== "pulumi:providers:kubernetes"),
    );
  });

  it("creates every Kubernetes object with the given provider", async () => {
    const inventory = await inventoryOf(argsFor({ secrets: { API_KEY: "api-key" } }));
    const provider = find(inventory, "pulumi:providers:kubernetes", "cluster");
    const objects = kubernetesObjects(inventory);
    // namespace, KSA, secret class, Deployment, 2 Services, PDB, route, ScaledObject, 2 NetworkPolicies
    assert.equal(objects.length, 11);
    for (const r of objects) assert.equal(r.provider, `${provider.urn}::cluster-id`, r.name);
  });

  it("puts every object in the service's namespace, which enforces the restricted Pod Security Standard", async () => {
    const inventory = await inventoryOf(argsFor({}));
    const namespace = findInputs(inventory, "kubernetes:core/v1:Namespace", "echo-namespace").metadata;
    assert.equal(namespace?.name, "echo");
    assert.equal(namespace?.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
    // The entry load balancer is the exception: it must select the interceptor pods, in the keda namespace.
    const own = (r: { name: string }) => r.name !== "echo-namespace" && r.name !== "echo-entry";
    for (const r of kubernetesObjects(inventory).filter(own)) {
      assert.equal(metadataOf(r)?.namespace, "echo", r.name);
      assert.ok(dependenciesOf(inventory, r).includes("kubernetes:core/v1:Namespace echo-namespace"), r.name);
    }
    assert.equal(findInputs(inventory, K8S_SERVICE, "echo-entry").metadata?.namespace, "keda");
    const custom = await inventoryOf(argsFor({}, { namespace: "team-a" }));
    assert.equal(findInputs(custom, K8S_SERVICE, "echo-entry").metadata?.name, "team-a-echo");
    for (const r of kubernetesObjects(custom).filter(own)) {
      assert.equal(metadataOf(r)?.namespace, "team-a", r.name);
    }
    assert.equal(custom.outputs.namespace, "team-a");
  });

  it("acts through Workload Identity as a dedicated account with only log and metric roles", async () => {
    const inventory = await inventoryOf(argsFor({}));
    assert.equal(find(inventory, "gcp:serviceaccount/account:Account", "echo-gsa").inputs.accountId, "echo-gke");
    const ksa = findInputs(inventory, "kubernetes:core/v1:ServiceAccount", "echo-ksa");
    assert.equal(ksa.metadata?.name, "echo");
    assert.deepEqual(ksa.metadata?.annotations, { "iam.gke.io/gcp-service-account": GSA });
    assert.equal(ksa.automountServiceAccountToken, false);
    const binding = find(inventory, "gcp:serviceaccount/iAMMember:IAMMember", "echo-workload-identity").inputs;
    assert.deepEqual(binding, {
      serviceAccountId: `projects/acme-dev/serviceAccounts/${GSA}`,
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:acme-dev.svc.id.goog[echo/echo]",
    });
    const member = `serviceAccount:${GSA}`;
    const roles = inventory.resources
      .filter((r) => /IamMember|IAMMember/.test(r.type) && r.name !== "echo-workload-identity")
      .map((r) => `${String(r.inputs.role)} ${String(r.inputs.member)}`)
      .sort();
    // The pods pull no image themselves (the nodes do), so their account reads no repository.
    assert.deepEqual(roles, [`roles/logging.logWriter ${member}`, `roles/monitoring.metricWriter ${member}`]);
  });

  it("makes the nodes' account a reader of the repository when given", async () => {
    const inventory = await inventoryOf(argsFor({}, { imagePullServiceAccount: NODE_SA }));
    const reader = find(
      inventory,
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
      "echo-node-repo-reader",
    ).inputs;
    assert.deepEqual(
      {
        role: reader.role,
        member: reader.member,
        repository: reader.repository,
        location: reader.location,
        project: reader.project,
      },
      {
        role: "roles/artifactregistry.reader",
        member: `serviceAccount:${NODE_SA}`,
        repository: "echo",
        location: "us-central1",
        project: "acme-dev",
      },
    );
    const elsewhere = `europe-west4-docker.pkg.dev/acme-images/shared/echo@sha256:${"d".repeat(64)}`;
    const parsed = await inventoryOf(
      argsFor({}, { image: elsewhere, repository: undefined, imagePullServiceAccount: NODE_SA }),
    );
    const parsedReader = find(
      parsed,
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
      "echo-node-repo-reader",
    ).inputs;
    assert.deepEqual(
      [parsedReader.project, parsedReader.location, parsedReader.repository],
      ["acme-images", "europe-west4", "shared"],
    );
    const dockerHub = await inventoryOf(
      argsFor(
        {},
        {
          image: `docker.io/library/nginx@sha256:${"e".repeat(64)}`,
          repository: undefined,
          imagePullServiceAccount: NODE_SA,
        },
      ),
    );
    assert.equal(dockerHub.resources.filter((r) => r.type.includes("repositoryIamMember")).length, 0);
  });

  it("runs the image by digest in a hardened pod without replicas, behind an internal load balancer", async () => {
    const inventory = await inventoryOf(argsFor({ env: { LOG_LEVEL: "info" }, labels: { team: "platform" } }));
    const deployment = findInputs(inventory, DEPLOYMENT, "echo-deployment");
    assert.equal(deployment.metadata?.name, "echo");
    assert.deepEqual(deployment.metadata?.labels, { team: "platform", "app.kubernetes.io/name": "echo" });
    assert.equal(deployment.spec?.replicas, undefined);
    assert.deepEqual(deployment.spec?.selector, { matchLabels: { "app.kubernetes.io/name": "echo" } });
    assert.deepEqual(deployment.spec?.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    const pod = podSpec(inventory);
    assert.equal(pod.serviceAccountName, "echo");
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.terminationGracePeriodSeconds, 15);
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.equal(pod.nodeSelector, undefined);
    assert.equal(pod.tolerations, undefined);
    assert.deepEqual(pod.volumes, [{ name: "tmp", emptyDir: {} }]);
    const c = container(inventory);
    assert.equal(pod.containers.length, 1);
    assert.equal(c.image, IMAGE);
    assert.deepEqual(c.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    assert.deepEqual(c.resources, { requests: { cpu: "1", memory: "512Mi" }, limits: { cpu: "1", memory: "512Mi" } });
    assert.deepEqual(c.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.deepEqual(c.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
    assert.deepEqual(c.lifecycle, { preStop: { sleep: { seconds: 5 } } });
    assert.deepEqual(c.startupProbe, {
      httpGet: { path: "/healthz", port: 8080 },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 24,
    });
    assert.deepEqual(c.readinessProbe, {
      httpGet: { path: "/healthz", port: 8080 },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 2,
    });
    assert.deepEqual(c.livenessProbe, {
      httpGet: { path: "/healthz", port: 8080 },
      periodSeconds: 15,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    assert.deepEqual(c.env, [
      { name: "GOOGLE_CLOUD_PROJECT", value: "acme-dev" },
      { name: "LOG_LEVEL", value: "info" },
      { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
      { name: "PORT", value: "8080" },
      { name: "SHUTDOWN_DEADLINE_MS", value: "8000" }, // the default drainSeconds, 8
    ]);

    const service = findInputs(inventory, K8S_SERVICE, "echo-service");
    assert.equal(service.metadata?.annotations, undefined);
    assert.deepEqual(service.spec, {
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "echo" },
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    });
    // Clients reach the interceptor through an internal load balancer in the keda namespace.
    const entry = findInputs(inventory, K8S_SERVICE, "echo-entry");
    assert.deepEqual(entry.metadata, {
      name: "echo-echo",
      namespace: "keda",
      labels: { team: "platform", "app.kubernetes.io/name": "echo" },
      annotations: { "networking.gke.io/load-balancer-type": "Internal" },
    });
    assert.equal(entry.spec?.type, "LoadBalancer");
  });

  it("scales from zero to maxInstances on requests in flight, the route first, one eviction at a time", async () => {
    const inventory = await inventoryOf(argsFor({ minInstances: 0, maxInstances: 4, concurrency: 8 }));
    const route = find(inventory, ROUTE, "echo-route");
    assert.deepEqual(route.inputs.spec, {
      target: { service: "echo", port: 80 },
      // The mock gives the internal load balancer 10.128.0.10; clients send it as Host.
      rules: [{ hosts: ["10.128.0.10"] }],
      scalingMetric: { concurrency: { targetValue: 8 } },
      timeouts: { request: "300s", responseHeader: "300s", readiness: "600s" },
    });
    const scaler = find(inventory, SCALER, "echo-scaler");
    assert.equal(inputsOf(scaler, SCALER).spec?.minReplicaCount, 0);
    assert.equal(inputsOf(scaler, SCALER).spec?.maxReplicaCount, 4);
    for (const first of [`${DEPLOYMENT} echo-deployment`, `${ROUTE} echo-route`]) {
      assert.ok(dependenciesOf(inventory, scaler).includes(first), first);
    }
    assert.ok(dependenciesOf(inventory, route).includes(`${K8S_SERVICE} echo-entry`));
    const pdb = findInputs(inventory, PDB, "echo-pdb");
    assert.deepEqual(pdb.spec, { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "echo" } } });
  });

  it("starts pods only after their identity and image grants, and waits 10 minutes for a rollout", async () => {
    const inventory = await inventoryOf(argsFor({}, { imagePullServiceAccount: NODE_SA }));
    const deps = dependenciesOf(inventory, find(inventory, DEPLOYMENT, "echo-deployment"));
    for (const needed of [
      "gcp:serviceaccount/iAMMember:IAMMember echo-workload-identity",
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember echo-node-repo-reader",
      "gcp:projects/iAMMember:IAMMember echo-logging-logWriter",
      "kubernetes:core/v1:ServiceAccount echo-ksa",
    ]) {
      assert.ok(deps.includes(needed), needed);
    }
    assert.equal(findInputs(inventory, DEPLOYMENT, "echo-deployment").spec?.progressDeadlineSeconds, 600);
  });

  it("outputs the internal load balancer's URL, the account email and the namespace", async () => {
    const { outputs } = await inventoryOf(argsFor({}));
    assert.deepEqual(outputs, { url: "http://10.128.0.10", serviceAccountEmail: GSA, namespace: "echo" });
  });
});

describe("KubernetesService, public", () => {
  it("is an external backend service-based load balancer, and outputs its address", async () => {
    const inventory = await inventoryOf(argsFor({ public: true }));
    assert.deepEqual(listing(inventory), BASE_LISTING);
    const entry = findInputs(inventory, K8S_SERVICE, "echo-entry");
    assert.deepEqual(entry.metadata?.annotations, { "cloud.google.com/l4-rbs": "enabled" });
    assert.equal(entry.spec?.type, "LoadBalancer");
    assert.equal(inventory.outputs.url, "http://203.0.113.10");
  });
});

describe("KubernetesService with secrets", () => {
  const secrets = { API_KEY: "api-key", DB_PASSWORD: "db:3", API_KEY_COPY: "api-key:latest" };

  it("adds the Secret Manager API, one accessor grant per secret used and the SecretProviderClass", async () => {
    const inventory = await inventoryOf(argsFor({ secrets }));
    assert.deepEqual(
      listing(inventory),
      [
        ...BASE_LISTING,
        "gcp:projects/service:Service echo-secretmanager-api",
        "gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-api-key",
        "gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-api-key-ksa",
        "gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-db",
        "gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-db-ksa",
        `${SPC} echo-secrets`,
      ].sort(),
    );
    // The Kubernetes account as a principal, as Google's add-on page grants it; 123456789012 is the mock runtime's
    // stand-in project number.
    const principal =
      "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/" +
      "acme-dev.svc.id.goog/subject/ns/echo/sa/echo";
    const grants = inventory.resources.filter((r) => r.type === "gcp:secretmanager/secretIamMember:SecretIamMember");
    const grantText = (g: (typeof grants)[number]) =>
      `${String(g.inputs.secretId)} ${String(g.inputs.role)} ${String(g.inputs.member)}`;
    assert.deepEqual(grants.map(grantText).sort(), [
      `api-key roles/secretmanager.secretAccessor ${principal}`,
      `api-key roles/secretmanager.secretAccessor serviceAccount:${GSA}`,
      `db roles/secretmanager.secretAccessor ${principal}`,
      `db roles/secretmanager.secretAccessor serviceAccount:${GSA}`,
    ]);
    const deps = dependenciesOf(inventory, find(inventory, DEPLOYMENT, "echo-deployment"));
    for (const needed of [
      "gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-api-key",
      "gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-api-key-ksa",
      "gcp:secretmanager/secretIamMember:SecretIamMember echo-secret-db",
      `${SPC} echo-secrets`,
    ]) {
      assert.ok(deps.includes(needed), needed);
    }
  });

  it("mounts the versions with the GKE add-on and points <NAME>_FILE at them", async () => {
    const inventory = await inventoryOf(argsFor({ secrets }));
    // SecretProviderClass is a CRD of the Secrets Store CSI driver: there is no upstream Kubernetes schema for
    // it, so its shape is checked here by hand.
    const spc = findInputs(inventory, SPC, "echo-secrets");
    assert.deepEqual(Object.keys(spc).sort(), ["apiVersion", "kind", "metadata", "spec"]);
    assert.equal(spc.apiVersion, "secrets-store.csi.x-k8s.io/v1");
    assert.equal(spc.kind, "SecretProviderClass");
    assert.deepEqual(spc.metadata, { name: "echo", namespace: "echo", labels: { "app.kubernetes.io/name": "echo" } });
    assert.deepEqual(Object.keys(spc.spec ?? {}).sort(), ["parameters", "provider"]);
    assert.equal(spc.spec?.provider, "gke");
    assert.deepEqual(Object.keys(spc.spec?.parameters ?? {}), ["secrets"]);
    assert.equal(typeof spc.spec?.parameters?.secrets, "string");
    assert.deepEqual(parseYaml(spc.spec?.parameters?.secrets ?? ""), [
      { resourceName: "projects/acme-dev/secrets/api-key/versions/latest", path: "API_KEY" },
      { resourceName: "projects/acme-dev/secrets/api-key/versions/latest", path: "API_KEY_COPY" },
      { resourceName: "projects/acme-dev/secrets/db/versions/3", path: "DB_PASSWORD" },
    ]);

    const pod = podSpec(inventory);
    assert.deepEqual(pod.volumes, [
      { name: "tmp", emptyDir: {} },
      {
        name: "secrets",
        csi: {
          driver: "secrets-store-gke.csi.k8s.io",
          readOnly: true,
          volumeAttributes: { secretProviderClass: "echo" },
        },
      },
    ]);
    const c = container(inventory);
    assert.deepEqual(c.volumeMounts, [
      { name: "tmp", mountPath: "/tmp" },
      { name: "secrets", mountPath: "/run/secrets/runway", readOnly: true },
    ]);
    const fileVars = (c.env ?? []).filter((e) => e.name.endsWith("_FILE"));
    assert.deepEqual(fileVars, [
      { name: "API_KEY_COPY_FILE", value: "/run/secrets/runway/API_KEY_COPY" },
      { name: "API_KEY_FILE", value: "/run/secrets/runway/API_KEY" },
      { name: "DB_PASSWORD_FILE", value: "/run/secrets/runway/DB_PASSWORD" },
    ]);
  });

  it("never puts a secret value in a registered input", async () => {
    const inventory = await inventoryOf(argsFor({ secrets, env: { LOG_LEVEL: "info" } }));
    // No Secret object, no field that carries secret data, and the secret variables themselves are absent:
    // only their _FILE paths are set, and only references reach the SecretProviderClass.
    assert.equal(inventory.resources.filter((r) => r.type === "kubernetes:core/v1:Secret").length, 0);
    const keys = new Set(inventory.resources.flatMap((r) => keysDeep(r.inputs)));
    for (const key of ["secretKeyRef", "secretRef", "stringData", "data", "secretObjects"])
      assert.ok(!keys.has(key), key);
    const { env } = container(inventory);
    assert.ok(env, "the container has variables");
    const names = env.map((e) => e.name);
    for (const name of Object.keys(secrets)) assert.ok(!names.includes(name), name);
    assert.deepEqual(inventory.secretOutputs, []);
  });
});

describe("KubernetesService with an L4 GPU", () => {
  const gpu = { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" } };

  it("requests the GPU, selects its nodes, tolerates their taint and allows a longer startup and rollout", async () => {
    const inventory = await inventoryOf(argsFor(gpu));
    assert.deepEqual(listing(inventory), BASE_LISTING);
    const pod = podSpec(inventory);
    assert.deepEqual(pod.nodeSelector, {
      "cloud.google.com/gke-accelerator": "nvidia-l4",
      "cloud.google.com/compute-class": "runway-gpu",
    });
    assert.deepEqual(pod.tolerations, [
      { key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" },
      { key: "cloud.google.com/compute-class", operator: "Equal", value: "runway-gpu", effect: "NoSchedule" },
    ]);
    const limits = { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" };
    assert.deepEqual(container(inventory).resources, { requests: limits, limits });
    assert.equal(container(inventory).startupProbe?.periodSeconds, 10);
    assert.equal(findInputs(inventory, DEPLOYMENT, "echo-deployment").spec?.progressDeadlineSeconds, 1800);
  });

  it("selects nodes that share GPUs the same way as the pool", async () => {
    const timeSharing = await inventoryOf(
      argsFor(gpu, { gpuSharing: { strategy: "TIME_SHARING", maxSharedClients: 4 } }),
    );
    assert.deepEqual(listing(timeSharing), BASE_LISTING);
    assert.deepEqual(podSpec(timeSharing).nodeSelector, {
      "cloud.google.com/gke-accelerator": "nvidia-l4",
      "cloud.google.com/compute-class": "runway-gpu",
      "cloud.google.com/gke-gpu-sharing-strategy": "time-sharing",
      "cloud.google.com/gke-max-shared-clients-per-gpu": "4",
    });
    const mps = await inventoryOf(argsFor(gpu, { gpuSharing: { strategy: "MPS", maxSharedClients: 2 } }));
    assert.equal(podSpec(mps).nodeSelector?.["cloud.google.com/gke-gpu-sharing-strategy"], "mps");
    assert.equal(podSpec(mps).nodeSelector?.["cloud.google.com/gke-max-shared-clients-per-gpu"], "2");
  });
});

describe("KubernetesService objects against the upstream Kubernetes schema", () => {
  const cases: [string, Omit<KubernetesServiceArgs, "provider">][] = [
    ["private", argsFor({ env: { LOG_LEVEL: "info" }, labels: { team: "platform" } })],
    ["public", argsFor({ public: true })],
    ["secrets", argsFor({ secrets: { API_KEY: "api-key:2" } })],
    [
      "GPU with sharing",
      argsFor(
        { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" } },
        { gpuSharing: { strategy: "MPS", maxSharedClients: 4 } },
      ),
    ],
  ];
  for (const [label, args] of cases) {
    it(`validates every object of the ${label} service`, async () => {
      const checked = validateKubernetesObjects(await inventoryOf(args));
      assert.equal(checked.length, 10); // every object but the SecretProviderClass, which has no vendored schema
    });
  }

  it("rejects what the API server would reject (the check is live)", () => {
    assert.throws(() => validateObject(DEPLOYMENT, { metadata: { name: "x" }, spec: { template: {} } }));
    assert.throws(() => validateObject(PDB, { metadata: { name: "x" }, spec: { maxUnavailable: true } }));
    assert.throws(() => validateObject(NETWORK_POLICY, { metadata: { name: "x" }, spec: { policyTypes: "Ingress" } }));
  });
});

describe("kubernetes-spec builders", () => {
  const service = serviceOf({ secrets: { TOKEN: "token:7" }, env: { A: "1" } });

  it("formats the Workload Identity member", () => {
    assert.equal(
      workloadIdentityMember("acme-dev", "team-a", "echo"),
      "serviceAccount:acme-dev.svc.id.goog[team-a/echo]",
    );
  });

  it("turns secret refs into version resources, latest by default", () => {
    assert.deepEqual(secretMounts(serviceOf({ secrets: { B: "b", A: "a:4" } }), "p"), [
      { env: "A", resourceName: "projects/p/secrets/a/versions/4" },
      { env: "B", resourceName: "projects/p/secrets/b/versions/latest" },
    ]);
    assert.equal(secretsParameter([]), "");
    assert.deepEqual(parseYaml(secretsParameter(secretMounts(service, "p"))), [
      { resourceName: "projects/p/secrets/token/versions/7", path: "TOKEN" },
    ]);
  });

  it("sorts variables, lets service.env override the platform's defaults and adds _FILE paths", () => {
    const env = containerEnv(
      serviceOf({ env: { GOOGLE_CLOUD_PROJECT: "other", Z: "z" }, secrets: { TOKEN: "token" } }),
      "p",
    );
    assert.deepEqual(
      env.map((e) => e.name),
      [
        "GOOGLE_CLOUD_PROJECT",
        "NODE_NAME",
        "POD_NAME",
        "POD_NAMESPACE",
        "PORT",
        "SHUTDOWN_DEADLINE_MS",
        "TOKEN_FILE",
        "Z",
      ],
    );
    assert.deepEqual(env[0], { name: "GOOGLE_CLOUD_PROJECT", value: "other" });
    assert.deepEqual(
      env.find((e) => e.name === "PORT"),
      { name: "PORT", value: "8080" },
    );
  });

  it("schedules GPU pods only when the service has a GPU", () => {
    assert.deepEqual(gpuScheduling(serviceOf({}), { strategy: "MPS", maxSharedClients: 2 }), {});
    assert.deepEqual(gpuScheduling(serviceOf({ gpu: { type: "nvidia-tesla-t4" } }), null).nodeSelector, {
      "cloud.google.com/gke-accelerator": "nvidia-tesla-t4",
      "cloud.google.com/compute-class": "runway-gpu",
    });
  });

  it("gives the pod time for the preStop pause, the app's drain and 2 s, and tells the app its deadline", () => {
    const pod = (drainSeconds?: number) =>
      plain(
        deploymentArgs({
          service: serviceOf({ drainSeconds }),
          namespace: "echo",
          project: "p",
          image: "i",
          rolloutDeadlineSeconds: 600,
        }),
      ).spec;
    assert.equal(pod()?.template.spec?.terminationGracePeriodSeconds, 15); // 5 s preStop + 8 s default drain + 2 s
    assert.equal(pod(20)?.template.spec?.terminationGracePeriodSeconds, 27); // 5 + 20 + 2
    assert.deepEqual(
      pod(20)?.template.spec?.containers[0]?.env?.find((e) => e.name === "SHUTDOWN_DEADLINE_MS"),
      { name: "SHUTDOWN_DEADLINE_MS", value: "20000" },
    );
    assert.equal(pod()?.template.spec?.containers[0]?.readinessProbe?.httpGet?.path, "/healthz"); // readyPath defaults to healthPath
    assert.equal(
      plain(
        deploymentArgs({
          service: serviceOf({ readyPath: "/readyz" }),
          namespace: "echo",
          project: "p",
          image: "i",
          rolloutDeadlineSeconds: 600,
        }),
      ).spec?.template.spec?.containers[0]?.readinessProbe?.httpGet?.path,
      "/readyz",
    );
    assert.equal(pod()?.progressDeadlineSeconds, 600); // the cold start it was given
  });

  it("annotates internal and external load balancers", () => {
    assert.deepEqual(loadBalancerAnnotations(serviceOf({})), { "networking.gke.io/load-balancer-type": "Internal" });
    assert.deepEqual(loadBalancerAnnotations(serviceOf({ public: true })), { "cloud.google.com/l4-rbs": "enabled" });
  });

  it("builds the URL from the load balancer's address once it has one", () => {
    assert.equal(serviceUrl(undefined), "");
    assert.equal(serviceUrl({ loadBalancer: { ingress: [] } }), "");
    assert.equal(serviceUrl({ loadBalancer: { ingress: [{ ip: "203.0.113.7" }] } }), "http://203.0.113.7");
    assert.equal(serviceUrl({ loadBalancer: { ingress: [{ hostname: "lb.example" }] } }), "http://lb.example");
  });

  it("builds manifests that pass the upstream schema on their own", () => {
    const gpuService = serviceOf({
      cpu: "4",
      memory: "16Gi",
      gpu: { type: "nvidia-l4", count: 1 },
      secrets: { T: "t" },
    });
    validateObject("kubernetes:core/v1:Namespace", namespaceArgs(service, "ns"));
    validateObject(
      "kubernetes:core/v1:ServiceAccount",
      serviceAccountArgs(service, "ns", "a@p.iam.gserviceaccount.com"),
    );
    validateObject(
      DEPLOYMENT,
      deploymentArgs({
        service: gpuService,
        namespace: "ns",
        project: "p",
        image: IMAGE,
        gpuSharing: { strategy: "TIME_SHARING", maxSharedClients: 3 },
        rolloutDeadlineSeconds: 1800,
      }),
    );
    validateObject(K8S_SERVICE, serviceArgs(service, "ns"));
    validateObject(PDB, podDisruptionBudgetArgs(service, "ns"));
    const spc = plain(secretProviderClassArgs(service, "ns", "p")) as InputsByType[typeof SPC];
    assert.equal(spc.spec?.provider, "gke");
    const volumes = plain(
      deploymentArgs({
        service: gpuService,
        namespace: "ns",
        project: "p",
        image: IMAGE,
        rolloutDeadlineSeconds: 1800,
      }),
    ).spec?.template.spec?.volumes;
    assert.equal(volumes?.[1]?.csi?.driver, "secrets-store-gke.csi.k8s.io"); // the GKE Secret Manager add-on's driver
  });
});
