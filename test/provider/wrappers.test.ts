/**
 * The package's components constructed with flat arguments, as a Python or Go program's SDK sends them, under the
 * mock runtime: what they register (types, names, parents, key inputs), and their refusals, named by flat argument.
 */
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Cluster, KubernetesWorkload, Service, type ServiceArgs } from "../../provider";
import { ProgramFailure, runUnderMocks, type Inventory } from "../../tools/mock-runtime";
import { describeUrn, find, findInputs, isSecretValue, listing, parentOf } from "../helpers/inventory";

const config = { "gcp:project": "acme-platform", "gcp:region": "us-central1" };
const project = "acme-platform";
const region = "us-central1";
const image = "us-central1-docker.pkg.dev/acme-platform/apps/api@sha256:" + "0".repeat(64);

async function refusal(program: () => void): Promise<{ message: string; registered: string[] }> {
  try {
    await runUnderMocks(program, { config });
  } catch (failure) {
    assert.ok(failure instanceof ProgramFailure);
    assert.equal((failure.cause as Error).constructor.name, "RunError");
    const registered = failure.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    return { message: failure.message, registered: registered.map((r) => `${r.type} ${r.name}`) };
  }
  assert.fail("the arguments were not refused");
}

/** The resource a registration's provider reference (URN::id) names. */
function providerOf(inventory: Inventory, type: string, name: string): string | undefined {
  return describeUrn(inventory, find(inventory, type, name).provider?.replace(/::[^:]*$/, ""));
}

describe("the package's components, from flat arguments", () => {
  it("Service deploys to Cloud Run by target, through ContainerService", async () => {
    const inventory = await runUnderMocks(
      () => {
        const api = new Service("api", {
          project,
          region,
          image,
          target: "cloudrun",
          name: "api",
          cpu: "2",
          memory: "1Gi",
          maxInstances: 7,
          env: { MODE: "fast" },
          ingress: "internal",
        });
        return { url: api.url, target: api.target, clusterName: api.clusterName };
      },
      { config },
    );
    assert.equal(
      parentOf(inventory, find(inventory, "runway:index:ContainerService", "api")),
      "runway:index:Service api",
    );
    assert.equal(
      parentOf(inventory, find(inventory, "runway:index:CloudRunService", "api")),
      "runway:index:ContainerService api",
    );
    const run = findInputs(inventory, "gcp:cloudrunv2/service:Service", "api-service");
    assert.equal(run.name, "api");
    assert.equal(run.ingress, "INGRESS_TRAFFIC_INTERNAL_ONLY");
    assert.equal(run.template?.scaling?.maxInstanceCount, 7);
    const [container] = run.template?.containers ?? [];
    assert.equal(container?.image, image);
    assert.deepEqual(container?.resources?.limits, { cpu: "2", memory: "1Gi" });
    assert.ok(container?.envs?.some((env) => env.name === "MODE" && env.value === "fast"));
    assert.deepEqual(inventory.outputs, { url: "https://api-mock.a.run.app", target: "cloudrun", clusterName: "" });
    assert.ok(!listing(inventory).some((r) => r.startsWith("gcp:container/")));
  });

  it("Service deploys the same description to GKE when target says gke, GPU included", async () => {
    const inventory = await runUnderMocks(
      () => {
        const infer = new Service("infer", {
          project,
          region,
          image,
          target: "gke",
          name: "infer",
          cpu: "4",
          memory: "16Gi",
          gpuType: "nvidia-l4",
          maxInstances: 2,
          spot: true,
        });
        return { target: infer.target, clusterName: infer.clusterName };
      },
      { config },
    );
    assert.equal(
      parentOf(inventory, find(inventory, "runway:index:GpuCluster", "infer")),
      "runway:index:ContainerService infer",
    );
    const pool = findInputs(inventory, "gcp:container/nodePool:NodePool", "infer-gpu-pool");
    assert.equal(pool.nodeConfig?.guestAccelerators?.[0]?.type, "nvidia-l4");
    assert.equal(pool.nodeConfig?.spot, true);
    const deployment = findInputs(inventory, "kubernetes:apps/v1:Deployment", "infer-deployment");
    const [container] = deployment.spec?.template.spec?.containers ?? [];
    assert.equal(container?.image, image);
    assert.equal(container?.resources?.limits?.["nvidia.com/gpu"], "1");
    assert.equal(inventory.outputs.target, "gke");
    assert.equal(
      inventory.outputs.clusterName,
      findInputs(inventory, "gcp:container/cluster:Cluster", "infer-cluster").name,
    );
    assert.ok(!listing(inventory).some((r) => r.startsWith("gcp:cloudrunv2/")));
  });

  it("Cluster and a KubernetesWorkload on it, joined by its kubeconfig and nodes' account only", async () => {
    const inventory = await runUnderMocks(
      () => {
        const cluster = new Cluster("shared", {
          project,
          region,
          gpuType: "nvidia-l4",
          cpu: "3",
          memory: "12Gi",
          maxInstances: 3,
          systemPoolMaxNodes: 3,
          authorizedNetworks: [{ cidr: "203.0.113.0/24", name: "office" }],
        });
        const api = new KubernetesWorkload("api", {
          project,
          image,
          kubeconfig: cluster.kubeconfig,
          nodeServiceAccountEmail: cluster.nodeServiceAccountEmail,
          name: "api",
          cpu: "0.5",
          coldStartSeconds: 900,
          podSecurity: "baseline",
        });
        return { kubeconfig: cluster.kubeconfig, nodes: cluster.nodeServiceAccountEmail, url: api.url };
      },
      { config },
    );
    assert.equal(
      parentOf(inventory, find(inventory, "runway:index:GpuCluster", "shared")),
      "runway:index:Cluster shared",
    );
    const gke = findInputs(inventory, "gcp:container/cluster:Cluster", "shared-cluster");
    assert.deepEqual(gke.masterAuthorizedNetworksConfig?.cidrBlocks, [
      { cidrBlock: "203.0.113.0/24", displayName: "office" },
    ]);
    assert.equal(
      findInputs(inventory, "gcp:container/nodePool:NodePool", "shared-gpu-pool").nodeConfig?.guestAccelerators?.[0]
        ?.type,
      "nvidia-l4",
    );
    assert.equal(
      findInputs(inventory, "gcp:container/nodePool:NodePool", "shared-system-pool").autoscaling?.maxNodeCount,
      3,
    );

    // The workload reaches the cluster through a provider made from the kubeconfig, kept secret.
    assert.equal(
      parentOf(inventory, find(inventory, "runway:index:KubernetesService", "api")),
      "runway:index:KubernetesWorkload api",
    );
    const provider = find(inventory, "pulumi:providers:kubernetes", "api-k8s");
    assert.equal(parentOf(inventory, provider), "runway:index:KubernetesWorkload api");
    assert.ok(isSecretValue(provider.inputs.kubeconfig));
    assert.equal((provider.inputs.kubeconfig as { value: unknown }).value, inventory.outputs.kubeconfig);
    assert.equal(
      providerOf(inventory, "kubernetes:apps/v1:Deployment", "api-deployment"),
      "pulumi:providers:kubernetes api-k8s",
    );
    assert.equal(
      providerOf(inventory, "kubernetes:core/v1:Namespace", "api-namespace"),
      "pulumi:providers:kubernetes api-k8s",
    );
    const namespace = findInputs(inventory, "kubernetes:core/v1:Namespace", "api-namespace");
    assert.equal(namespace.metadata?.labels?.["pod-security.kubernetes.io/enforce"], "baseline");
    const deployment = findInputs(inventory, "kubernetes:apps/v1:Deployment", "api-deployment");
    assert.equal(deployment.spec?.progressDeadlineSeconds, 900);

    // The nodes' account, passed as a plain value, is made reader of the image's repository.
    const reader = find(
      inventory,
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
      "api-node-repo-reader",
    );
    assert.equal(reader.inputs.member, `serviceAccount:${String(inventory.outputs.nodes)}`);
    assert.equal(reader.inputs.repository, "apps");
  });

  it("refuses with the stack path's rules, each problem named by its flat argument, before registering anything", async () => {
    const base: ServiceArgs = { project, region, image, name: "api" };
    assert.deepEqual(
      await refusal(() => new Service("api", { ...base, target: "cloudrun", cpu: "8", memory: "64Gi" })),
      {
        message: [
          "Service api: the arguments have 1 problem:",
          "  memory: 64Gi is more than Cloud Run's maximum of 32Gi",
        ].join("\n"),
        registered: [],
      },
    );
    const gpu = await refusal(() => new Service("api", { ...base, gpuType: "nvidia-h9000", target: "warp" }));
    assert.match(gpu.message, /^Service api: the arguments have 2 problems:$/m);
    assert.match(gpu.message, /^ {2}target: must be one of "cloudrun", "gke", "auto"$/m);
    assert.match(gpu.message, /^ {2}gpuType: must be one of nvidia-/m);
    assert.deepEqual(gpu.registered, []);

    const cluster = await refusal(() => new Cluster("shared", { project, region, releaseChannel: "NIGHTLY" }));
    assert.match(cluster.message, /^ {2}releaseChannel: must be one of "RAPID"/m);
    assert.deepEqual(cluster.registered, []);

    const workload = await refusal(
      () =>
        new KubernetesWorkload("api", {
          project,
          image,
          kubeconfig: "{}",
          name: "api",
          podSecurity: "privileged",
          port: 0,
        }),
    );
    assert.equal(
      workload.message,
      [
        "KubernetesWorkload api: the arguments have 2 problems:",
        "  port: must be a TCP port from 1 to 65535",
        '  podSecurity: must be "restricted" or "baseline"',
      ].join("\n"),
    );
    assert.deepEqual(workload.registered, []);
  });

  it("takes an unset optional argument sent as null as left out, so its default applies", async () => {
    // What an SDK in another language sends for an optional argument it leaves out.
    const unset = null as never;
    const inventory = await runUnderMocks(
      () => {
        new Service("api", { project, region, image, name: "api", cpu: unset, gpuType: unset, target: unset });
      },
      { config },
    );
    const run = findInputs(inventory, "gcp:cloudrunv2/service:Service", "api-service");
    assert.deepEqual(run.template?.containers?.[0]?.resources?.limits, { cpu: "1", memory: "512Mi" });
  });

  it("refuses an Output where a plain value decides what is created", async () => {
    const name = pulumi.output("api") as unknown as string;
    assert.deepEqual(await refusal(() => new Service("api", { project, region, image, name })), {
      message:
        "Service api: the arguments have 1 problem:\n  name: must be a plain value, known before deployment, not an Output",
      registered: [],
    });
  });
});
