import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Inventory, Registration } from "../../tools/mock-runtime";
import { applyOverride } from "../../tools/plan/overrides";
import { dependenciesOf, describeUrn, find, findInputs, listing } from "../helpers/inventory";
import { validateKubernetesObjects } from "../helpers/kubernetes-schemas";
import { escaped, runStack, stackConfig, stackNames, withService } from "../helpers/stack";

describe("index.ts on Pulumi.prod.yaml (GKE, one L4)", () => {
  const config = stackConfig("prod");
  // The names the stack file gives (service, project): a template copy renames them.
  const prodNames = stackNames("prod");
  const s = prodNames.service;

  it("registers exactly the prod inventory", async () => {
    assert.deepEqual(listing(await runStack(config, "prod")), [
      `docker:index/image:Image ${s}-image`,
      `gcp:artifactregistry/repository:Repository ${s}-repo`,
      `gcp:artifactregistry/repositoryIamMember:RepositoryIamMember ${s}-node-repo-reader`,
      `gcp:compute/network:Network ${s}-network`,
      `gcp:compute/router:Router ${s}-router`,
      `gcp:compute/routerNat:RouterNat ${s}-nat`,
      `gcp:compute/subnetwork:Subnetwork ${s}-subnet`,
      `gcp:container/cluster:Cluster ${s}-cluster`,
      `gcp:container/nodePool:NodePool ${s}-gpu-pool`,
      `gcp:container/nodePool:NodePool ${s}-system-pool`,
      `gcp:projects/iAMMember:IAMMember ${s}-logging-logWriter`,
      `gcp:projects/iAMMember:IAMMember ${s}-monitoring-metricWriter`,
      `gcp:projects/iAMMember:IAMMember ${s}-nodes-container-defaultNodeServiceAccount`,
      `gcp:projects/service:Service ${s}-artifactregistry-api`,
      `gcp:projects/service:Service ${s}-cloudresourcemanager-api`,
      `gcp:projects/service:Service ${s}-compute-api`,
      `gcp:projects/service:Service ${s}-container-api`,
      `gcp:projects/service:Service ${s}-containerscanning-api`,
      `gcp:projects/service:Service ${s}-iam-api`,
      `gcp:serviceaccount/account:Account ${s}-gsa`,
      `gcp:serviceaccount/account:Account ${s}-nodes-sa`,
      `gcp:serviceaccount/iAMMember:IAMMember ${s}-workload-identity`,
      `kubernetes:apps/v1:Deployment ${s}-deployment`,
      `kubernetes:cloud.google.com/v1:ComputeClass ${s}-gpu-class`,
      `kubernetes:core/v1:Namespace ${s}-keda`,
      `kubernetes:core/v1:Namespace ${s}-namespace`,
      `kubernetes:core/v1:Service ${s}-entry`,
      `kubernetes:core/v1:Service ${s}-service`,
      `kubernetes:core/v1:ServiceAccount ${s}-ksa`,
      `kubernetes:helm.sh/v4:Chart ${s}-keda`,
      `kubernetes:helm.sh/v4:Chart ${s}-keda-http`,
      `kubernetes:http.keda.sh/v1beta1:InterceptorRoute ${s}-route`,
      `kubernetes:keda.sh/v1alpha1:ScaledObject ${s}-scaler`,
      `kubernetes:networking.k8s.io/v1:NetworkPolicy ${s}-deny-ingress`,
      `kubernetes:networking.k8s.io/v1:NetworkPolicy ${s}-from-interceptor`,
      `kubernetes:policy/v1:PodDisruptionBudget ${s}-pdb`,
      `pulumi:providers:kubernetes ${s}-k8s`,
      `runway:index:ArtifactImage ${s}`,
      `runway:index:ContainerService ${s}`,
      `runway:index:GpuCluster ${s}`,
      `runway:index:KubernetesService ${s}`,
      `runway:index:ProjectApis ${s}`,
    ]);
  });

  it("protects the cluster twice, as runway:protect true says: deletion protection and the protect option", async () => {
    const inventory = await runStack(config, "prod");
    const cluster = find(inventory, "gcp:container/cluster:Cluster", `${s}-cluster`);
    assert.equal(cluster.inputs.deletionProtection, true);
    assert.equal(cluster.protect, true, "so pulumi destroy refuses at preview, before deleting the pools");
  });

  it("puts every Kubernetes object on the cluster's provider, which waits for both node pools", async () => {
    const inventory = await runStack(config, "prod");
    const provider = find(inventory, "pulumi:providers:kubernetes", `${s}-k8s`);
    assert.deepEqual(dependenciesOf(inventory, provider), [
      `gcp:container/cluster:Cluster ${s}-cluster`,
      `gcp:container/nodePool:NodePool ${s}-gpu-pool`,
      `gcp:container/nodePool:NodePool ${s}-system-pool`,
    ]);
    const objects = inventory.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.equal(objects.length, 14); // 10 of the service; the keda namespace, two charts and the ComputeClass of the cluster
    // A provider reference is "<urn>::<id>".
    for (const r of objects) assert.ok(r.provider?.startsWith(`${provider.urn}::`), r.name);
  });

  it("builds the image without waiting for the cluster", async () => {
    const inventory = await runStack(config, "prod");
    const imageSide = inventory.resources.filter(
      (r) => describeUrn(inventory, r.parent) === `runway:index:ArtifactImage ${s}`,
    );
    assert.equal(imageSide.length, 2);
    const imageApis = [`${s}-artifactregistry-api`, `${s}-containerscanning-api`].map((name) =>
      find(inventory, "gcp:projects/service:Service", name),
    );
    const insideImage = new Set([...imageSide, ...imageApis].map((r) => r.urn));
    for (const r of imageSide) {
      for (const urn of r.dependencies)
        assert.ok(insideImage.has(urn), `${r.name} waits for ${describeUrn(inventory, urn)}`);
    }
  });

  it("runs the pods on the L4 pool with the digest the build pushed", async () => {
    const inventory = await runStack(config, "prod");
    const pod = findInputs(inventory, "kubernetes:apps/v1:Deployment", `${s}-deployment`).spec?.template.spec;
    const [container] = pod?.containers ?? [];
    assert.equal(container?.image, inventory.outputs.image);
    assert.deepEqual(container?.resources?.limits, { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" });
    assert.deepEqual(pod?.nodeSelector, {
      "cloud.google.com/gke-accelerator": "nvidia-l4",
      "cloud.google.com/compute-class": "runway-gpu",
    });
    const pool = findInputs(inventory, "gcp:container/nodePool:NodePool", `${s}-gpu-pool`);
    assert.equal(pool.nodeConfig?.machineType, "g2-standard-8");
    assert.deepEqual(pool.nodeLocations, [
      (JSON.parse(config["runway:gke"] ?? "{}") as { location?: string }).location,
    ]);
  });

  it("validates every Kubernetes object against the upstream schema", async () => {
    assert.deepEqual(validateKubernetesObjects(await runStack(config, "prod")).sort(), [
      "kubernetes:apps/v1:Deployment",
      "kubernetes:cloud.google.com/v1:ComputeClass",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:Service",
      "kubernetes:core/v1:Service",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:http.keda.sh/v1beta1:InterceptorRoute",
      "kubernetes:keda.sh/v1alpha1:ScaledObject",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:policy/v1:PodDisruptionBudget",
    ]);
  });

  it("exports the GKE outputs, the kubeconfig as a secret", async () => {
    const { outputs, secretOutputs } = await runStack(config, "prod");
    assert.deepEqual(Object.keys(outputs).sort(), [
      "cluster",
      "estimatedMonthlyUsd",
      "image",
      "kubeconfig",
      "serviceAccount",
      "tags",
      "target",
      "targetReasons",
      "url",
    ]);
    assert.equal(outputs.target, "gke");
    assert.deepEqual(outputs.targetReasons, ["runway:target is gke: an explicit target always wins"]);
    assert.equal(outputs.cluster, `${s}-prod`);
    assert.equal(outputs.url, "http://10.128.0.10"); // the mock's internal LB address, wired through to the stack output
    assert.equal(outputs.serviceAccount, `${prodNames.physical}-gke@${prodNames.gcpProject}.iam.gserviceaccount.com`);
    assert.deepEqual(outputs.tags, {}); // no release tags in the shipped stack
    assert.deepEqual(secretOutputs, ["kubeconfig"]);
    assert.match(String(outputs.kubeconfig), /gke-gcloud-auth-plugin/);
  });
});

/** A service both targets accept: 4 vCPU / 16Gi / one L4 (Cloud Run's L4 minimum; g2-standard-8 on GKE). */
const onBothTargets = (config: Record<string, string>) =>
  withService(config, { cpu: "4", memory: "16Gi", gpu: { type: "nvidia-l4" }, maxInstances: 3 });

function imageSide(inventory: Inventory, s: string): Omit<Registration, "dependencies">[] {
  return inventory.resources
    .filter(
      (r) =>
        r.urn.includes("runway:index:ArtifactImage") ||
        new RegExp(`::${escaped(s)}-(artifactregistry|containerscanning)-api$`).test(r.urn),
    )
    .map(({ dependencies: _urnsDifferOnlyIfTheSubtreeDoes, ...rest }) => rest)
    .sort((a, b) => a.urn.localeCompare(b.urn));
}

describe("switching the dev stack from cloudrun to gke", () => {
  const dev = stackConfig("dev");
  const s = stackNames("dev").service;
  const onCloudRun = applyOverride(onBothTargets(dev), "runway:target=cloudrun");
  const onGke = applyOverride(onBothTargets(dev), "runway:target=gke");

  it("keeps the image resources unchanged: same URNs, same inputs, so no rebuild and no new repository", async () => {
    const before = imageSide(await runStack(onCloudRun, "dev"), s);
    const after = imageSide(await runStack(onGke, "dev"), s);
    assert.equal(before.length, 5);
    assert.deepEqual(after, before);
  });

  it("leaves the cluster of an unprotected stack unprotected: deletion protection follows runway:protect false", async () => {
    assert.equal(onGke["runway:protect"], "false");
    const inventory = await runStack(onGke, "dev");
    const cluster = find(inventory, "gcp:container/cluster:Cluster", `${s}-cluster`);
    assert.equal(cluster.inputs.deletionProtection, false);
    assert.equal(cluster.protect, false);
  });

  it("protects the cluster when the stack is protected and runway:gke.deletionProtection is not set", async () => {
    const inventory = await runStack(applyOverride(onGke, "runway:protect=true"), "dev");
    const cluster = find(inventory, "gcp:container/cluster:Cluster", `${s}-cluster`);
    assert.equal(cluster.inputs.deletionProtection, true);
    assert.equal(cluster.protect, true);
  });

  it("deploys the identical image reference on both targets", async () => {
    const run = await runStack(onCloudRun, "dev");
    const gke = await runStack(onGke, "dev");
    const cloudRunImage = findInputs(run, "gcp:cloudrunv2/service:Service", `${s}-service`).template.containers?.[0]
      ?.image;
    const gkeImage = findInputs(gke, "kubernetes:apps/v1:Deployment", `${s}-deployment`).spec?.template.spec
      ?.containers[0]?.image;
    assert.equal(cloudRunImage, run.outputs.image);
    assert.equal(gkeImage, gke.outputs.image);
    assert.equal(gkeImage, cloudRunImage);
    assert.equal(run.outputs.target, "cloudrun");
    assert.equal(gke.outputs.target, "gke");
  });
});

describe("a prebuilt runway:image.ref", () => {
  const dev = stackConfig("dev");
  const { service: s, physical } = stackNames("dev");
  const ref = `europe-west4-docker.pkg.dev/acme-images/shared/echo@sha256:${"f".repeat(64)}`;
  const prebuilt = applyOverride(onBothTargets(dev), `runway:image={"ref":"${ref}"}`);
  const readers = (inventory: Inventory) =>
    inventory.resources
      .filter((r) => r.type === "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember")
      .map((r) => [r.name, r.inputs.project, r.inputs.location, r.inputs.repository, r.inputs.member]);

  it("on GKE makes the nodes' account reader of the ref's repository, so pods can pull it", async () => {
    const inventory = await runStack(applyOverride(prebuilt, "runway:target=gke"), "dev");
    assert.deepEqual(readers(inventory), [
      [
        `${s}-node-repo-reader`,
        "acme-images",
        "europe-west4",
        "shared",
        `serviceAccount:${physical}-nodes@${dev["gcp:project"]}.iam.gserviceaccount.com`,
      ],
    ]);
    assert.equal(inventory.resources.filter((r) => r.type === "docker:index/image:Image").length, 0);
  });

  it("on Cloud Run makes the Cloud Run service agent reader of a repository in another project", async () => {
    const inventory = await runStack(applyOverride(prebuilt, "runway:target=cloudrun"), "dev");
    assert.deepEqual(readers(inventory), [
      [
        `${s}-agent-repo-reader`,
        "acme-images",
        "europe-west4",
        "shared",
        // 123456789012 is the mock runtime's stand-in project number.
        "serviceAccount:service-123456789012@serverless-robot-prod.iam.gserviceaccount.com",
      ],
    ]);
  });
});

describe("runway:gke.binaryAuthorization enforce", () => {
  it("enables the Binary Authorization API before the cluster that enforces it", async () => {
    const s = stackNames("prod").service;
    const inventory = await runStack(
      applyOverride(stackConfig("prod"), "runway:gke.binaryAuthorization=enforce"),
      "prod",
    );
    const api = find(inventory, "gcp:projects/service:Service", `${s}-binaryauthorization-api`);
    assert.equal(api.inputs.service, "binaryauthorization.googleapis.com");
    const cluster = find(inventory, "gcp:container/cluster:Cluster", `${s}-cluster`);
    assert.deepEqual(cluster.inputs.binaryAuthorization, { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" });
    assert.ok(dependenciesOf(inventory, cluster).includes(`gcp:projects/service:Service ${s}-binaryauthorization-api`));
  });
});
