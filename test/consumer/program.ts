/**
 * A platform team's program: it imports runway only through its public entry and builds components from
 * arguments in code, with no stack config. test/consumer/components.test.ts runs each scenario under mocks.
 */
import {
  CloudRunService,
  ContainerService,
  GpuCluster,
  KubernetesService,
  clusterSettings,
  type PoolArgs,
} from "../../components";

const project = "acme-platform";
const region = "us-central1";
const image = "us-central1-docker.pkg.dev/acme-platform/apps/api@sha256:" + "0".repeat(64);

export const scenarios = {
  cloudRunTooMuchMemory: () => {
    new CloudRunService("api", { project, region, image, service: { name: "api", cpu: "8", memory: "64Gi" } });
  },
  cloudRunBadShape: () => {
    new CloudRunService("api", { project, region, image, service: { name: "Api", cpu: "3", port: 0 } });
  },
  containerServiceAutoT4BadZone: () => {
    new ContainerService("infer", {
      project,
      region,
      image,
      service: { name: "infer", cpu: "4", memory: "15Gi", gpu: { type: "nvidia-tesla-t4" }, maxInstances: 3 },
      gke: { location: "europe-west4-a" },
    });
  },
  gpuClusterWrongMachine: () => {
    const gke = clusterSettings(
      { name: "infer", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4" }, maxInstances: 2 },
      {},
      region,
    );
    new GpuCluster("shared", {
      project,
      region,
      gke: { ...gke, gpuMachineType: "e2-standard-4" },
      gpu: { type: "nvidia-l4", count: 1 },
    });
  },
  gpuClusterMps: () => {
    const gke = clusterSettings(
      { name: "infer", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4" }, maxInstances: 2 },
      {},
      region,
    );
    const gpuPool = { ...gke.gpuPool, sharing: { strategy: "MPS" as const, maxSharedClients: 2 } };
    new GpuCluster("shared", { project, region, gke: { ...gke, gpuPool }, gpu: { type: "nvidia-l4", count: 1 } });
  },
  t4ServiceOnL4Cluster: () => {
    const cluster = l4Cluster();
    new KubernetesService("t4", {
      project,
      image,
      cluster,
      service: { name: "t4", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-tesla-t4" } },
    });
  },
  fortyReplicasOnTwoSmallNodes: () => {
    const cluster = l4Cluster();
    new KubernetesService("web", {
      project,
      image,
      cluster,
      service: { name: "web", cpu: "0.5", memory: "1Gi", maxInstances: 40 },
    });
  },
  twoServicesOnOneCluster: () => {
    const cluster = l4Cluster();
    const a = new KubernetesService("a", {
      project,
      image,
      cluster,
      service: { name: "a", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4" }, maxInstances: 2 },
    });
    const b = new KubernetesService("b", {
      project,
      image,
      cluster,
      service: { name: "b", cpu: "0.25", memory: "256Mi", maxInstances: 2 },
    });
    return { a: a.namespace, b: b.namespace };
  },
  threeServicesOnThreePools: () => {
    const cluster = pooledCluster();
    const services = [
      { name: "chat", cpu: "3", memory: "12Gi", gpu: { type: "nvidia-l4" }, maxInstances: 2 },
      { name: "vision", cpu: "2", memory: "8Gi", gpu: { type: "nvidia-tesla-t4" }, maxInstances: 2 },
      { name: "api", cpu: "0.5", memory: "1Gi", maxInstances: 4 },
    ].map((service) => new KubernetesService(service.name, { project, image, cluster, service }));
    return Object.fromEntries(services.map((s, i) => [["chat", "vision", "api"][i]!, s.namespace]));
  },
  h100ServiceOnPooledCluster: () => {
    new KubernetesService("train", {
      project,
      image,
      cluster: pooledCluster(),
      service: { name: "train", cpu: "8", memory: "64Gi", gpu: { type: "nvidia-h100-80gb" } },
    });
  },
  fortyReplicasOnTheCpuPool: () => {
    new KubernetesService("web", {
      project,
      image,
      cluster: pooledCluster(),
      service: { name: "web", cpu: "0.5", memory: "1Gi", maxInstances: 40 },
    });
  },
  gpuClusterBadPools: () => {
    new GpuCluster("shared", {
      ...l4ClusterArgs(),
      pools: [
        { name: "t4", gpu: { type: "nvidia-tesla-t4", count: 1 }, machineType: "g2-standard-8" },
        { name: "cpu", machineType: "e2-standard-4", diskType: "hyperdisk-balanced", minNodes: 4, maxNodes: 2 },
        { name: "cpu", gpu: { type: "nvidia-tesla-p100", count: 1 } },
        { name: "system" },
        { name: "l4x3", gpu: { type: "nvidia-l4", count: 3 } },
      ],
    });
  },
};

/** The arguments of l4Cluster. */
function l4ClusterArgs() {
  const gpu = { type: "nvidia-l4", count: 1 };
  const gke = clusterSettings(
    { name: "sizing", cpu: "3", memory: "12Gi", gpu, maxInstances: 2 },
    { gpuPool: { maxNodes: 3 }, systemPool: { maxNodes: 2 } },
    region,
  );
  return { project, region, gke, gpu };
}

/**
 * l4Cluster with two more pools: T4 nodes (n1-standard-4, one GPU each, up to 3) and a CPU pool of up to 2
 * e2-standard-4 nodes.
 */
function pooledCluster(): GpuCluster {
  const pools: PoolArgs[] = [
    { name: "t4", gpu: { type: "nvidia-tesla-t4", count: 1 }, machineType: "n1-standard-4", maxNodes: 3 },
    { name: "cpu", machineType: "e2-standard-4", maxNodes: 2 },
  ];
  return new GpuCluster("shared", { ...l4ClusterArgs(), pools });
}

/** An L4 cluster of at most 3 GPU nodes and an e2-standard-2 system pool of up to 2 nodes, sized for a 3 vCPU / 12Gi service. */
function l4Cluster(): GpuCluster {
  const gpu = { type: "nvidia-l4", count: 1 };
  const gke = clusterSettings(
    { name: "sizing", cpu: "3", memory: "12Gi", gpu, maxInstances: 2 },
    { gpuPool: { maxNodes: 3 }, systemPool: { maxNodes: 2 } },
    region,
  );
  return new GpuCluster("shared", { project, region, gke, gpu });
}
