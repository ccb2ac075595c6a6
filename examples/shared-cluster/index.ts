/**
 * A platform team's program: one GKE cluster with an L4 GPU pool shared by two services, and a third service on
 * Cloud Run, all built from runway's components in code (no runway:* stack config). It imports runway only by
 * its package name, as any program that installed the package does.
 */
import * as pulumi from "@pulumi/pulumi";
import { CloudRunService, GpuCluster, KubernetesService, ProjectApis, clusterSettings } from "@runway/components";

const gcp = new pulumi.Config("gcp");
const project = gcp.require("project");
const region = gcp.get("region") ?? "us-central1";
// The image all three services run, pinned by digest: repo@sha256:… in Artifact Registry (ArtifactImage can
// build and push it instead). Its repository is parsed from it, and each service's puller is made its reader.
const image = new pulumi.Config().require("image");

// Every API the program needs, enabled once; each component waits for exactly the ones it uses.
const apis = new ProjectApis("shared", {
  project,
  apis: ["compute.googleapis.com", "container.googleapis.com", "iam.googleapis.com", "run.googleapis.com"],
});

// The cluster's settings come from its GPU service, with the same schema, rules and defaults as runway:gke: an
// inference server with one L4 per pod, 3 replicas at most plus one during a rollout. The system pool also
// holds the CPU service below, so it may grow to 3 nodes; KubernetesService refuses a service the pools
// cannot hold, and says what to set.
const infer = { name: "infer", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4", count: 1 }, maxInstances: 3 };
const cluster = new GpuCluster("shared", {
  project,
  region,
  gke: clusterSettings(infer, { gpuPool: { maxNodes: 4 }, systemPool: { maxNodes: 3 } }, region),
  gpu: infer.gpu,
  apis,
});

// Two services on that cluster: each gets its own namespace, Kubernetes and GCP service accounts, and KEDA
// scaling; both are checked against the cluster's pools before anything is registered.
const inference = new KubernetesService("infer", { project, image, cluster, service: infer, apis });
const api = new KubernetesService("api", {
  project,
  image,
  cluster,
  service: { name: "api", cpu: "0.5", memory: "512Mi", minInstances: 1, maxInstances: 4 },
  apis,
});

// A third service that needs no GPU and should scale to zero cheaply: Cloud Run.
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
export const apiUrl = api.url;
export const webUrl = web.url;
