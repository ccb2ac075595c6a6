/**
 * A platform team's program: one GKE cluster with an L4 GPU pool, a T4 pool and a CPU pool shared by three services,
 * and a fourth service on Cloud Run, all built from runway's components in code (no runway:* stack config). It imports runway only by
 * its package name, as any program that installed the package does.
 */
import * as pulumi from "@pulumi/pulumi";
import { CloudRunService, GpuCluster, KubernetesService, ProjectApis, clusterSettings } from "@runway/components";

const gcp = new pulumi.Config("gcp");
const project = gcp.require("project");
const region = gcp.get("region") ?? "us-central1";
// The image all four services run, pinned by digest: repo@sha256:… in Artifact Registry (ArtifactImage can
// build and push it instead). Its repository is parsed from it, and each service's puller is made its reader.
const image = new pulumi.Config().require("image");

// Every API the program needs, enabled once; each component waits for exactly the ones it uses.
const apis = new ProjectApis("shared", {
  project,
  apis: ["compute.googleapis.com", "container.googleapis.com", "iam.googleapis.com", "run.googleapis.com"],
});

// The cluster's settings come from its GPU service, with the same schema, rules and defaults as runway:gke: an
// inference server with one L4 per pod, 3 replicas at most plus one during a rollout. Two more pools: T4 nodes for
// a smaller model, and CPU nodes so that the API below does not share the system pool with cluster services.
// KubernetesService puts each service on the pool that matches it and refuses one the pools cannot hold, saying
// what to set.
const infer = { name: "infer", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4", count: 1 }, maxInstances: 3 };
const cluster = new GpuCluster("shared", {
  project,
  region,
  gke: clusterSettings(infer, { gpuPool: { maxNodes: 4 } }, region),
  gpu: infer.gpu,
  pools: [
    { name: "t4", gpu: { type: "nvidia-tesla-t4", count: 1 }, machineType: "n1-standard-4", maxNodes: 3 },
    { name: "cpu", machineType: "e2-standard-4", maxNodes: 2 },
  ],
  apis,
});

// Three services on that cluster: each gets its own namespace, Kubernetes and GCP service accounts, and KEDA
// scaling; each is checked against its pool before anything is registered.
const inference = new KubernetesService("infer", { project, image, cluster, service: infer, apis });
const vision = new KubernetesService("vision", {
  project,
  image,
  cluster,
  service: { name: "vision", cpu: "2", memory: "8Gi", gpu: { type: "nvidia-tesla-t4", count: 1 }, maxInstances: 2 },
  apis,
});
const api = new KubernetesService("api", {
  project,
  image,
  cluster,
  service: { name: "api", cpu: "0.5", memory: "512Mi", minInstances: 1, maxInstances: 4 },
  apis,
});

// A fourth service that needs no GPU and should scale to zero cheaply: Cloud Run.
const web = new CloudRunService("web", {
  project,
  region,
  image,
  service: { name: "web", cpu: "1", memory: "512Mi", maxInstances: 5, public: true },
  apis,
});

export const clusterName = cluster.clusterName;
export const kubeconfig = cluster.kubeconfig;
export const inferUrl = inference.url;
export const visionUrl = vision.url;
export const apiUrl = api.url;
export const webUrl = web.url;
