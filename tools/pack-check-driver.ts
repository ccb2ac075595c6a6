/**
 * Runs inside tools/pack-check.ts's scratch copy of examples/shared-cluster, as driver.ts beside a copy of
 * mock-runtime.ts, so that "@pulumi/pulumi" and "@runway/components" are the packages installed there. Asserts
 * that the package's entry loads under plain Node and exports the public interface, then runs the example's
 * compiled program (bin/index.js, emitted by the template's tsconfig) under mocks and checks what it registers.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { loadProgram, runUnderMocks, type Registration } from "./mock-runtime";

const PACKAGE = "@runway/components";

/** The package's runtime exports (components/index.ts), every one a class or a function. */
const EXPORTS = [
  "ArtifactImage",
  "CloudRunService",
  "ContainerService",
  "GpuCluster",
  "KubernetesService",
  "ProjectApis",
  "clusterSettings",
  "defaultServing",
  "estimateMonthlyCost",
  "formatProblems",
  "imageApis",
  "loadStackConfig",
  "parseServiceArg",
  "targetApis",
  "validateConfig",
  "validateWorkload",
];

async function main(): Promise<void> {
  // The entry, required by name: it resolves through package.json `exports` and constructs nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed package, by its name, as a program requires it
  const entry = require(PACKAGE) as Record<string, unknown>;
  assert.ok(require.resolve(PACKAGE).endsWith(path.join("node_modules", "@runway", "components", "dist", "index.js")));
  for (const name of EXPORTS) assert.equal(typeof entry[name], "function", `${PACKAGE} exports ${name}`);

  const image = "us-central1-docker.pkg.dev/acme-platform/apps/echo@sha256:" + "0".repeat(64);
  const inventory = await runUnderMocks(() => loadProgram(path.resolve("bin", "index.js")), {
    project: "shared-cluster",
    stack: "ci",
    config: { "gcp:project": "acme-platform", "gcp:region": "us-central1", "shared-cluster:image": image },
  });
  const resources = inventory.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  const named = (r: Registration) => `${r.type} ${r.name}`;
  const ofType = (type: string) => resources.filter((r) => r.type === type);

  // Exactly the program's components: nothing a component would have made on its own (e.g. its own ProjectApis).
  assert.deepEqual(
    resources
      .filter((r) => r.type.startsWith("runway:"))
      .map(named)
      .sort(),
    [
      "runway:index:CloudRunService web",
      "runway:index:GpuCluster shared",
      "runway:index:KubernetesService api",
      "runway:index:KubernetesService infer",
      "runway:index:KubernetesService vision",
      "runway:index:ProjectApis shared",
    ],
  );
  // One cluster with its system pool and three more, one Kubernetes provider (the cluster's), and every service's
  // objects deployed through it, each service on its own pool.
  assert.deepEqual(ofType("gcp:container/cluster:Cluster").length, 1);
  assert.deepEqual(ofType("gcp:container/nodePool:NodePool").map(named).sort(), [
    "gcp:container/nodePool:NodePool shared-cpu-pool",
    "gcp:container/nodePool:NodePool shared-gpu-pool",
    "gcp:container/nodePool:NodePool shared-system-pool",
    "gcp:container/nodePool:NodePool shared-t4-pool",
  ]);
  const [provider, ...otherProviders] = ofType("pulumi:providers:kubernetes");
  assert.ok(provider && otherProviders.length === 0, "one Kubernetes provider");
  const deployments = ofType("kubernetes:apps/v1:Deployment").filter((r) => /^(infer|api|vision)-/.test(r.name));
  assert.deepEqual(deployments.map((r) => r.name).sort(), ["api-deployment", "infer-deployment", "vision-deployment"]);
  for (const deployment of deployments) assert.ok(deployment.provider?.startsWith(`${provider.urn}::`));
  const classOf = (deployment: Registration) =>
    (deployment.inputs as { spec: { template: { spec: { nodeSelector?: Record<string, string> } } } }).spec.template
      .spec.nodeSelector?.["cloud.google.com/compute-class"];
  assert.deepEqual(Object.fromEntries(deployments.map((d) => [d.name, classOf(d)])), {
    "api-deployment": "runway-cpu",
    "infer-deployment": "runway-gpu",
    "vision-deployment": "runway-t4",
  });
  // The third service on Cloud Run.
  assert.deepEqual(ofType("gcp:cloudrunv2/service:Service").map(named), ["gcp:cloudrunv2/service:Service web-service"]);
  assert.deepEqual(Object.keys(inventory.outputs).sort(), [
    "apiUrl",
    "clusterName",
    "inferUrl",
    "kubeconfig",
    "visionUrl",
    "webUrl",
  ]);
  assert.deepEqual(inventory.secretOutputs, ["kubeconfig"]);

  const components = resources.filter((r) => !r.custom).length;
  process.stdout.write(
    `pack-check: ${PACKAGE} loads; the example registered ${resources.length} resources (${components} components)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
