import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadProgram, runUnderMocks, type Inventory, type Registration } from "../../tools/mock-runtime";
import { applyOverride } from "../../tools/plan/overrides";
import { readStackConfig } from "../../tools/plan/stack-file";
import { dependenciesOf, describeUrn, find, findInputs, listing } from "../helpers/inventory";
import { validateKubernetesObjects } from "../helpers/kubernetes-schemas";

const ROOT = path.join(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "index.ts");

const runStack = (config: Record<string, string>, stack: string) =>
  runUnderMocks(() => loadProgram(PROGRAM), { config, stack });

describe("index.ts on Pulumi.prod.yaml (GKE, one L4)", () => {
  const config = readStackConfig(ROOT, "prod");

  it("registers exactly the prod inventory", async () => {
    assert.deepEqual(listing(await runStack(config, "prod")), [
      "docker:index/image:Image echo-image",
      "gcp:artifactregistry/repository:Repository echo-repo",
      "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember echo-node-repo-reader",
      "gcp:compute/network:Network echo-network",
      "gcp:compute/router:Router echo-router",
      "gcp:compute/routerNat:RouterNat echo-nat",
      "gcp:compute/subnetwork:Subnetwork echo-subnet",
      "gcp:container/cluster:Cluster echo-cluster",
      "gcp:container/nodePool:NodePool echo-gpu-pool",
      "gcp:container/nodePool:NodePool echo-system-pool",
      "gcp:projects/iAMMember:IAMMember echo-logging-logWriter",
      "gcp:projects/iAMMember:IAMMember echo-monitoring-metricWriter",
      "gcp:projects/iAMMember:IAMMember echo-nodes-container-defaultNodeServiceAccount",
      "gcp:projects/service:Service echo-artifactregistry-api",
      "gcp:projects/service:Service echo-cloudresourcemanager-api",
      "gcp:projects/service:Service echo-compute-api",
      "gcp:projects/service:Service echo-container-api",
      "gcp:projects/service:Service echo-containerscanning-api",
      "gcp:projects/service:Service echo-iam-api",
      "gcp:serviceaccount/account:Account echo-gsa",
      "gcp:serviceaccount/account:Account echo-nodes-sa",
      "gcp:serviceaccount/iAMMember:IAMMember echo-workload-identity",
      "kubernetes:apps/v1:Deployment echo-deployment",
      "kubernetes:cloud.google.com/v1:ComputeClass echo-gpu-class",
      "kubernetes:core/v1:Namespace echo-keda",
      "kubernetes:core/v1:Namespace echo-namespace",
      "kubernetes:core/v1:Service echo-entry",
      "kubernetes:core/v1:Service echo-service",
      "kubernetes:core/v1:ServiceAccount echo-ksa",
      "kubernetes:helm.sh/v4:Chart echo-keda",
      "kubernetes:helm.sh/v4:Chart echo-keda-http",
      "kubernetes:http.keda.sh/v1beta1:InterceptorRoute echo-route",
      "kubernetes:keda.sh/v1alpha1:ScaledObject echo-scaler",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy echo-deny-ingress",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy echo-from-interceptor",
      "kubernetes:policy/v1:PodDisruptionBudget echo-pdb",
      "pulumi:providers:kubernetes echo-k8s",
      "runway:index:ArtifactImage echo",
      "runway:index:ContainerService echo",
      "runway:index:GpuCluster echo",
      "runway:index:KubernetesService echo",
      "runway:index:ProjectApis echo",
    ]);
  });

  it("protects the cluster twice, as runway:protect true says: deletion protection and the protect option", async () => {
    const inventory = await runStack(config, "prod");
    const cluster = find(inventory, "gcp:container/cluster:Cluster", "echo-cluster");
    assert.equal(cluster.inputs.deletionProtection, true);
    assert.equal(cluster.protect, true, "so pulumi destroy refuses at preview, before deleting the pools");
  });

  it("puts every Kubernetes object on the cluster's provider, which waits for both node pools", async () => {
    const inventory = await runStack(config, "prod");
    const provider = find(inventory, "pulumi:providers:kubernetes", "echo-k8s");
    assert.deepEqual(dependenciesOf(inventory, provider), [
      "gcp:container/cluster:Cluster echo-cluster",
      "gcp:container/nodePool:NodePool echo-gpu-pool",
      "gcp:container/nodePool:NodePool echo-system-pool",
    ]);
    const objects = inventory.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.equal(objects.length, 14); // 10 of the service; the keda namespace, two charts and the ComputeClass of the cluster
    // A provider reference is "<urn>::<id>".
    for (const r of objects) assert.ok(r.provider?.startsWith(`${provider.urn}::`), r.name);
  });

  it("builds the image without waiting for the cluster", async () => {
    const inventory = await runStack(config, "prod");
    const imageSide = inventory.resources.filter(
      (r) => describeUrn(inventory, r.parent) === "runway:index:ArtifactImage echo",
    );
    assert.equal(imageSide.length, 2);
    const imageApis = ["echo-artifactregistry-api", "echo-containerscanning-api"].map((name) =>
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
    const pod = findInputs(inventory, "kubernetes:apps/v1:Deployment", "echo-deployment").spec?.template.spec;
    const [container] = pod?.containers ?? [];
    assert.equal(container?.image, inventory.outputs.image);
    assert.deepEqual(container?.resources?.limits, { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" });
    assert.deepEqual(pod?.nodeSelector, {
      "cloud.google.com/gke-accelerator": "nvidia-l4",
      "cloud.google.com/compute-class": "runway-gpu",
    });
    const pool = findInputs(inventory, "gcp:container/nodePool:NodePool", "echo-gpu-pool");
    assert.equal(pool.nodeConfig?.machineType, "g2-standard-8");
    assert.deepEqual(pool.nodeLocations, ["us-central1-a"]);
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
      "target",
      "targetReasons",
      "url",
    ]);
    assert.equal(outputs.target, "gke");
    assert.deepEqual(outputs.targetReasons, ["runway:target is gke: an explicit target always wins"]);
    assert.equal(outputs.cluster, "echo-prod");
    assert.equal(outputs.url, "http://10.128.0.10"); // the mock's internal LB address, wired through to the stack output
    assert.equal(outputs.serviceAccount, "echo-prod-gke@acme-prod.iam.gserviceaccount.com");
    assert.deepEqual(secretOutputs, ["kubeconfig"]);
    assert.match(String(outputs.kubeconfig), /gke-gcloud-auth-plugin/);
  });
});

/** A service both targets accept: 4 vCPU / 16Gi / one L4 (Cloud Run's L4 minimum; g2-standard-8 on GKE). */
const BOTH_TARGETS = [
  'runway:service={"name":"echo","cpu":"4","memory":"16Gi","gpu":{"type":"nvidia-l4"},"maxInstances":3}',
];

function imageSide(inventory: Inventory): Omit<Registration, "dependencies">[] {
  return inventory.resources
    .filter(
      (r) =>
        r.urn.includes("runway:index:ArtifactImage") || /::echo-(artifactregistry|containerscanning)-api$/.test(r.urn),
    )
    .map(({ dependencies: _urnsDifferOnlyIfTheSubtreeDoes, ...rest }) => rest)
    .sort((a, b) => a.urn.localeCompare(b.urn));
}

describe("switching the dev stack from cloudrun to gke", () => {
  const dev = readStackConfig(ROOT, "dev");
  const onCloudRun = [...BOTH_TARGETS, "runway:target=cloudrun"].reduce(applyOverride, dev);
  const onGke = [...BOTH_TARGETS, "runway:target=gke"].reduce(applyOverride, dev);

  it("keeps the image resources unchanged: same URNs, same inputs, so no rebuild and no new repository", async () => {
    const before = imageSide(await runStack(onCloudRun, "dev"));
    const after = imageSide(await runStack(onGke, "dev"));
    assert.equal(before.length, 5);
    assert.deepEqual(after, before);
  });

  it("leaves the cluster of an unprotected stack unprotected: deletion protection follows runway:protect false", async () => {
    assert.equal(onGke["runway:protect"], "false");
    const inventory = await runStack(onGke, "dev");
    const cluster = find(inventory, "gcp:container/cluster:Cluster", "echo-cluster");
    assert.equal(cluster.inputs.deletionProtection, false);
    assert.equal(cluster.protect, false);
  });

  it("protects the cluster when the stack is protected and runway:gke.deletionProtection is not set", async () => {
    const inventory = await runStack(applyOverride(onGke, "runway:protect=true"), "dev");
    const cluster = find(inventory, "gcp:container/cluster:Cluster", "echo-cluster");
    assert.equal(cluster.inputs.deletionProtection, true);
    assert.equal(cluster.protect, true);
  });

  it("deploys the identical image reference on both targets", async () => {
    const run = await runStack(onCloudRun, "dev");
    const gke = await runStack(onGke, "dev");
    const cloudRunImage = findInputs(run, "gcp:cloudrunv2/service:Service", "echo-service").template.containers?.[0]
      ?.image;
    const gkeImage = findInputs(gke, "kubernetes:apps/v1:Deployment", "echo-deployment").spec?.template.spec
      ?.containers[0]?.image;
    assert.equal(cloudRunImage, run.outputs.image);
    assert.equal(gkeImage, gke.outputs.image);
    assert.equal(gkeImage, cloudRunImage);
    assert.equal(run.outputs.target, "cloudrun");
    assert.equal(gke.outputs.target, "gke");
  });
});

describe("a prebuilt runway:image.ref", () => {
  const dev = readStackConfig(ROOT, "dev");
  const ref = `europe-west4-docker.pkg.dev/acme-images/shared/echo@sha256:${"f".repeat(64)}`;
  const prebuilt = [...BOTH_TARGETS, `runway:image={"ref":"${ref}"}`].reduce(applyOverride, dev);
  const readers = (inventory: Inventory) =>
    inventory.resources
      .filter((r) => r.type === "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember")
      .map((r) => [r.name, r.inputs.project, r.inputs.location, r.inputs.repository, r.inputs.member]);

  it("on GKE makes the nodes' account reader of the ref's repository, so pods can pull it", async () => {
    const inventory = await runStack(applyOverride(prebuilt, "runway:target=gke"), "dev");
    assert.deepEqual(readers(inventory), [
      [
        "echo-node-repo-reader",
        "acme-images",
        "europe-west4",
        "shared",
        `serviceAccount:echo-dev-nodes@${dev["gcp:project"]}.iam.gserviceaccount.com`,
      ],
    ]);
    assert.equal(inventory.resources.filter((r) => r.type === "docker:index/image:Image").length, 0);
  });

  it("on Cloud Run makes the Cloud Run service agent reader of a repository in another project", async () => {
    const inventory = await runStack(applyOverride(prebuilt, "runway:target=cloudrun"), "dev");
    assert.deepEqual(readers(inventory), [
      [
        "echo-agent-repo-reader",
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
    const prod = readStackConfig(ROOT, "prod");
    const inventory = await runStack(
      applyOverride(prod, 'runway:gke={"location":"us-central1-a","binaryAuthorization":"enforce"}'),
      "prod",
    );
    const api = find(inventory, "gcp:projects/service:Service", "echo-binaryauthorization-api");
    assert.equal(api.inputs.service, "binaryauthorization.googleapis.com");
    const cluster = find(inventory, "gcp:container/cluster:Cluster", "echo-cluster");
    assert.deepEqual(cluster.inputs.binaryAuthorization, { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" });
    assert.ok(dependenciesOf(inventory, cluster).includes("gcp:projects/service:Service echo-binaryauthorization-api"));
  });
});
