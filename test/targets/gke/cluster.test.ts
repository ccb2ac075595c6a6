import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveGke, type ResolvedGke } from "../../../components/targets/gke/sizing";
import { gkeSchema, serviceSchema } from "../../../components/config/schema";
import { GpuCluster, type GpuClusterArgs } from "../../../components/targets/gke/cluster";
import {
  authorizedNetworks,
  clusterNames,
  gpuPoolArgs,
  gpuSharingConfig,
  kubeconfig,
  type Kubeconfig,
  type KubeconfigTarget,
} from "../../../components/targets/gke/cluster-spec";
import { runUnderMocks } from "../../../tools/mock-runtime";
import {
  assertChildrenOf,
  dependenciesOf,
  find,
  findInputs,
  inputsOf,
  isSecretValue,
  listing,
  type InputsByType,
} from "../../helpers/inventory";

const config = { "gcp:project": "acme-dev", "gcp:region": "us-central1" };
const L4 = { type: "nvidia-l4", count: 1 };

function resolved(
  gke: Record<string, unknown> = {},
  service: Record<string, unknown> = { gpu: L4 },
  protect?: boolean,
): ResolvedGke {
  return resolveGke(
    serviceSchema.parse({ name: "echo", cpu: "2", memory: "8Gi", ...service }),
    gkeSchema.parse(gke),
    "us-central1",
    protect,
  );
}

function argsFor(gke: Record<string, unknown> = {}, extra: Partial<GpuClusterArgs> = { gpu: L4 }): GpuClusterArgs {
  const service = extra.gpu ? { gpu: extra.gpu } : {};
  return { project: "acme-dev", region: "us-central1", gke: resolved(gke, service), ...extra };
}

async function inventoryOf(args: GpuClusterArgs) {
  return runUnderMocks(
    () => {
      const cluster = new GpuCluster("echo", args);
      return {
        clusterName: cluster.clusterName,
        kubeconfig: cluster.kubeconfig,
        nodeServiceAccountEmail: cluster.nodeServiceAccountEmail,
        location: cluster.location,
      };
    },
    { config },
  );
}

const CLUSTER = "gcp:container/cluster:Cluster";
const POOL = "gcp:container/nodePool:NodePool";
const PROVIDER = "pulumi:providers:kubernetes";
const COMPONENT = "runway:index:GpuCluster echo";
const NODE_SA = "echo-nodes@acme-dev.iam.gserviceaccount.com";

/** What every configuration creates; NAT and pools are added per case. */
const BASE = [
  `${CLUSTER} echo-cluster`,
  `${POOL} echo-system-pool`,
  "gcp:compute/network:Network echo-network",
  "gcp:compute/subnetwork:Subnetwork echo-subnet",
  "gcp:projects/iAMMember:IAMMember echo-nodes-container-defaultNodeServiceAccount",
  "gcp:projects/service:Service echo-cloudresourcemanager-api",
  "gcp:projects/service:Service echo-compute-api",
  "gcp:projects/service:Service echo-container-api",
  "gcp:projects/service:Service echo-iam-api",
  "gcp:serviceaccount/account:Account echo-nodes-sa",
  `${PROVIDER} echo-k8s`,
  "kubernetes:core/v1:Namespace echo-keda",
  "kubernetes:helm.sh/v4:Chart echo-keda",
  "kubernetes:helm.sh/v4:Chart echo-keda-http",
  COMPONENT,
  "runway:index:ProjectApis echo",
];
const NAT = ["gcp:compute/router:Router echo-router", "gcp:compute/routerNat:RouterNat echo-nat"];
/** Only with a GPU pool: its ComputeClass. */
const GPU_CLASS = "kubernetes:cloud.google.com/v1:ComputeClass echo-gpu-class";

describe("GpuCluster inventory", () => {
  it("with private nodes and an L4: network, NAT, node account, cluster, both pools and the provider, all children", async () => {
    const inventory = await inventoryOf(argsFor());
    assert.deepEqual(listing(inventory), [...BASE, ...NAT, `${POOL} echo-gpu-pool`, GPU_CLASS].sort());
    assertChildrenOf(
      inventory,
      COMPONENT,
      inventory.resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== "runway:index:GpuCluster"),
    );
  });

  it("with public nodes: no Cloud Router or NAT", async () => {
    const inventory = await inventoryOf(argsFor({ privateNodes: false }));
    assert.deepEqual(listing(inventory), [...BASE, `${POOL} echo-gpu-pool`, GPU_CLASS].sort());
  });

  it("without a GPU: no GPU pool", async () => {
    const inventory = await inventoryOf(argsFor({}, {}));
    assert.deepEqual(listing(inventory), [...BASE, ...NAT].sort());
  });
});

describe("GpuCluster network", () => {
  it("is a custom-mode VPC with a regional subnet holding the Pod and Service ranges", async () => {
    const inventory = await inventoryOf(argsFor());
    const network = find(inventory, "gcp:compute/network:Network", "echo-network");
    assert.equal(network.inputs.name, "echo-network");
    assert.equal(network.inputs.autoCreateSubnetworks, false);
    const subnet = find(inventory, "gcp:compute/subnetwork:Subnetwork", "echo-subnet");
    assert.equal(subnet.inputs.region, "us-central1");
    assert.equal(subnet.inputs.network, "echo-network-id");
    assert.equal(subnet.inputs.privateIpGoogleAccess, true);
    assert.equal(subnet.inputs.ipCidrRange, "10.0.0.0/20");
    assert.deepEqual(subnet.inputs.secondaryIpRanges, [
      { rangeName: "pods", ipCidrRange: "10.4.0.0/14" },
      { rangeName: "services", ipCidrRange: "10.8.0.0/20" },
    ]);
  });

  it("NATs every range of the subnet's region, with automatic addresses and error logs", async () => {
    const inventory = await inventoryOf(argsFor());
    const router = find(inventory, "gcp:compute/router:Router", "echo-router");
    assert.deepEqual(
      { region: router.inputs.region, network: router.inputs.network },
      { region: "us-central1", network: "echo-network-id" },
    );
    const nat = find(inventory, "gcp:compute/routerNat:RouterNat", "echo-nat");
    assert.deepEqual(
      {
        router: nat.inputs.router,
        region: nat.inputs.region,
        alloc: nat.inputs.natIpAllocateOption,
        ranges: nat.inputs.sourceSubnetworkIpRangesToNat,
        log: nat.inputs.logConfig,
      },
      {
        router: "echo-router",
        region: "us-central1",
        alloc: "AUTO_ONLY",
        ranges: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        log: { enable: true, filter: "ERRORS_ONLY" },
      },
    );
  });
});

describe("GpuCluster node service account", () => {
  it("is a dedicated account with only GKE's default node role", async () => {
    const inventory = await inventoryOf(argsFor());
    const account = find(inventory, "gcp:serviceaccount/account:Account", "echo-nodes-sa");
    assert.equal(account.inputs.accountId, "echo-nodes");
    const grants = inventory.resources.filter((r) => r.type === "gcp:projects/iAMMember:IAMMember");
    assert.deepEqual(
      grants.map((g) => `${String(g.inputs.role)} ${String(g.inputs.member)}`),
      [`roles/container.defaultNodeServiceAccount serviceAccount:${NODE_SA}`],
    );
  });

  it("runs the default pool and both pools, never the Compute Engine default account", async () => {
    const inventory = await inventoryOf(argsFor());
    const cluster = findInputs(inventory, CLUSTER, "echo-cluster");
    const pools = ["echo-system-pool", "echo-gpu-pool"].map((n) => findInputs(inventory, POOL, n));
    for (const nodeConfig of [cluster.nodeConfig, ...pools.map((p) => p.nodeConfig)]) {
      assert.equal(nodeConfig?.serviceAccount, NODE_SA);
      assert.doesNotMatch(nodeConfig?.serviceAccount ?? "", /-compute@developer\.gserviceaccount\.com$/);
    }
  });
});

describe("GpuCluster cluster", () => {
  it("is VPC-native, hardened, Workload Identity-enabled and private as configured", async () => {
    const inventory = await inventoryOf(argsFor({ authorizedNetworks: [{ cidr: "203.0.113.0/24", name: "office" }] }));
    const c = findInputs(inventory, CLUSTER, "echo-cluster");
    assert.equal(c.name, "echo");
    assert.equal(c.project, "acme-dev");
    assert.equal(c.location, "us-central1-a");
    assert.equal(c.network, "echo-network-id");
    assert.equal(c.subnetwork, "echo-subnet-id");
    assert.equal(c.removeDefaultNodePool, true);
    assert.equal(c.initialNodeCount, 1);
    assert.equal(c.networkingMode, "VPC_NATIVE");
    assert.deepEqual(c.ipAllocationPolicy, {
      clusterSecondaryRangeName: "pods",
      servicesSecondaryRangeName: "services",
    });
    assert.equal(c.datapathProvider, "ADVANCED_DATAPATH");
    assert.deepEqual(c.workloadIdentityConfig, { workloadPool: "acme-dev.svc.id.goog" });
    assert.deepEqual(c.privateClusterConfig, { enablePrivateNodes: true, enablePrivateEndpoint: false });
    assert.deepEqual(c.masterAuthorizedNetworksConfig, {
      cidrBlocks: [{ cidrBlock: "203.0.113.0/24", displayName: "office" }],
      gcpPublicCidrsAccessEnabled: false,
    });
    assert.deepEqual(c.controlPlaneEndpointsConfig, {
      dnsEndpointConfig: { allowExternalTraffic: true },
      ipEndpointsConfig: { enabled: true },
    });
    assert.equal(c.enableShieldedNodes, true);
    assert.deepEqual(c.releaseChannel, { channel: "REGULAR" });
    assert.equal(c.enableLegacyAbac, false);
    assert.deepEqual(c.masterAuth, { clientCertificateConfig: { issueClientCertificate: false } });
    assert.deepEqual(c.loggingConfig, { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] });
    assert.deepEqual(c.monitoringConfig, {
      enableComponents: ["SYSTEM_COMPONENTS"],
      managedPrometheus: { enabled: true },
    });
    assert.deepEqual(c.secretManagerConfig, { enabled: true });
    // runway:protect defaults to false, and so does deletion protection.
    assert.equal(c.deletionProtection, false);
    assert.equal(c.networkPolicy, undefined, "Dataplane V2 enforces NetworkPolicy without the Calico add-on");
  });

  it("enforces authorized networks even when none are configured, and passes labels and settings through", async () => {
    const args = {
      ...argsFor({ privateNodes: false, deletionProtection: false, releaseChannel: "STABLE" }),
      labels: { team: "ml" },
    };
    const c = findInputs(await inventoryOf(args), CLUSTER, "echo-cluster");
    assert.deepEqual(c.masterAuthorizedNetworksConfig, { cidrBlocks: [], gcpPublicCidrsAccessEnabled: false });
    assert.equal(c.privateClusterConfig, undefined, "the provider doc says to omit the block without private nodes");
    assert.ok(!("privateClusterConfig" in c), "not even as an undefined key");
    assert.equal(c.deletionProtection, false);
    assert.deepEqual(c.releaseChannel, { channel: "STABLE" });
    assert.deepEqual(c.resourceLabels, { team: "ml" });
    assert.deepEqual(c.nodeConfig?.resourceLabels, { team: "ml" });
  });

  it("has deletion protection and Pulumi's protect option as runway:protect says, unless deletionProtection is set", async () => {
    const cases = [
      { gke: {}, protect: undefined, expected: false },
      { gke: {}, protect: false, expected: false },
      { gke: {}, protect: true, expected: true },
      { gke: { deletionProtection: false }, protect: true, expected: false },
      { gke: { deletionProtection: true }, protect: false, expected: true },
    ];
    for (const { gke, protect, expected } of cases) {
      const label = JSON.stringify({ gke, protect });
      const settings = resolved(gke, { gpu: L4 }, protect);
      assert.equal(settings.deletionProtection, expected, label);
      const inventory = await inventoryOf({ project: "acme-dev", region: "us-central1", gke: settings, gpu: L4 });
      const cluster = find(inventory, CLUSTER, "echo-cluster");
      assert.equal(cluster.inputs.deletionProtection, expected, label);
      assert.equal(cluster.protect, expected, label);
      // Only the cluster: its pools and network stay unprotected, as before.
      assert.equal(find(inventory, POOL, "echo-system-pool").protect, false, label);
    }
  });

  it("is created after its APIs and the node role grant, and ignores later changes to the removed default pool", async () => {
    const inventory = await inventoryOf(argsFor());
    const cluster = find(inventory, CLUSTER, "echo-cluster");
    const deps = dependenciesOf(inventory, cluster);
    for (const api of ["compute", "container", "iam"])
      assert.ok(deps.includes(`gcp:projects/service:Service echo-${api}-api`), api);
    // Its own ProjectApis enables Resource Manager first, as the program's does.
    const manager = "gcp:projects/service:Service echo-cloudresourcemanager-api";
    for (const api of ["compute", "container", "iam"])
      assert.deepEqual(dependenciesOf(inventory, find(inventory, "gcp:projects/service:Service", `echo-${api}-api`)), [
        manager,
      ]);
    assert.ok(deps.includes("gcp:projects/iAMMember:IAMMember echo-nodes-container-defaultNodeServiceAccount"));
    assert.ok(deps.includes("gcp:serviceaccount/account:Account echo-nodes-sa"));
    assert.deepEqual(cluster.ignoreChanges, ["nodeConfig"]);
    assert.equal(cluster.deleteBeforeReplace, true);
    assert.ok(
      dependenciesOf(inventory, find(inventory, "gcp:compute/network:Network", "echo-network")).includes(
        "gcp:projects/service:Service echo-compute-api",
      ),
    );
  });
});

/** The hardening both pools share. */
function assertHardened(pool: InputsByType[typeof POOL]) {
  const n = pool.nodeConfig;
  assert.deepEqual(n?.oauthScopes, ["https://www.googleapis.com/auth/cloud-platform"]);
  assert.deepEqual(n?.shieldedInstanceConfig, { enableSecureBoot: true, enableIntegrityMonitoring: true });
  assert.deepEqual(n?.workloadMetadataConfig, { mode: "GKE_METADATA" });
  assert.equal(n?.imageType, "COS_CONTAINERD");
  assert.deepEqual(n?.metadata, { "disable-legacy-endpoints": "true" });
  assert.deepEqual(pool.management, { autoRepair: true, autoUpgrade: true });
  assert.deepEqual(pool.upgradeSettings, { strategy: "SURGE", maxSurge: 1, maxUnavailable: 0 });
  assert.equal(pool.cluster, "echo");
  assert.equal(pool.location, "us-central1-a");
}

describe("GpuCluster node pools", () => {
  it("system pool: autoscaled from its node count, configured machine, hardened", async () => {
    const inventory = await inventoryOf(
      argsFor({ systemPool: { machineType: "e2-standard-2", nodes: 2, spot: true } }),
    );
    const registration = find(inventory, POOL, "echo-system-pool");
    const pool = inputsOf(registration, POOL);
    assertHardened(pool);
    assert.equal(pool.name, "system");
    assert.equal(pool.nodeCount, undefined);
    assert.equal(pool.initialNodeCount, 2);
    // The add-ons and GKE's pods (1660m) need 2 e2-standard-2 nodes (1630m each); the GPU service adds none.
    assert.deepEqual(pool.autoscaling, { minNodeCount: 2, maxNodeCount: 2, locationPolicy: "ANY" });
    assert.deepEqual(registration.ignoreChanges, ["initialNodeCount"]);
    assert.equal(pool.nodeConfig?.machineType, "e2-standard-2");
    assert.equal(pool.nodeConfig?.spot, true);
    assert.equal(pool.nodeConfig?.taints, undefined);
  });

  it("GPU pool: accelerators with driver, explicit taint, autoscaling from zero in the GPU's zones, hardened", async () => {
    const inventory = await inventoryOf(argsFor());
    const registration = find(inventory, POOL, "echo-gpu-pool");
    const pool = inputsOf(registration, POOL);
    assertHardened(pool);
    assert.equal(pool.name, "gpu");
    assert.deepEqual(pool.nodeLocations, ["us-central1-a"]);
    assert.equal(pool.initialNodeCount, 0);
    assert.equal(pool.nodeCount, undefined);
    // maxInstances 5 (the default) + 1 rollout surge pod, one pod per node, one zone.
    assert.deepEqual(pool.autoscaling, { minNodeCount: 0, maxNodeCount: 6, locationPolicy: "BALANCED" });
    assert.equal(pool.nodeConfig?.machineType, "g2-standard-4");
    assert.equal(pool.nodeConfig?.spot, false);
    assert.equal(pool.nodeConfig?.diskSizeGb, 100);
    assert.equal(pool.nodeConfig?.diskType, "pd-balanced");
    assert.deepEqual(pool.nodeConfig?.guestAccelerators, [
      { type: "nvidia-l4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } },
    ]);
    assert.deepEqual(pool.nodeConfig?.taints, [
      { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" },
      { key: "cloud.google.com/compute-class", value: "runway-gpu", effect: "NO_SCHEDULE" },
    ]);
    // Only the ComputeClass label: GKE labels GPU nodes cloud.google.com/gke-accelerator itself.
    assert.deepEqual(pool.nodeConfig?.labels, { "cloud.google.com/compute-class": "runway-gpu" });
    assert.deepEqual(registration.ignoreChanges, ["initialNodeCount"]);
  });

  it("GPU pool on Spot in a regional cluster: ANY location policy, every zone with the GPU, sharing", async () => {
    const gke = {
      location: "us-central1",
      gpuPool: {
        minNodes: 1,
        maxNodes: 4,
        spot: true,
        diskSizeGb: 200,
        driverVersion: "DEFAULT",
        sharing: { strategy: "TIME_SHARING", maxSharedClients: 4 },
      },
    };
    const pool = findInputs(await inventoryOf(argsFor(gke)), POOL, "echo-gpu-pool");
    assert.deepEqual(pool.nodeLocations, ["us-central1-a", "us-central1-b", "us-central1-c"]);
    assert.equal(pool.location, "us-central1");
    assert.equal(pool.initialNodeCount, 1);
    assert.deepEqual(pool.autoscaling, { minNodeCount: 1, maxNodeCount: 4, locationPolicy: "ANY" });
    assert.equal(pool.nodeConfig?.spot, true);
    assert.equal(pool.nodeConfig?.diskSizeGb, 200);
    const [accelerator] = pool.nodeConfig?.guestAccelerators ?? [];
    assert.deepEqual(accelerator?.gpuDriverInstallationConfig, { gpuDriverVersion: "DEFAULT" });
    assert.deepEqual(accelerator?.gpuSharingConfig, {
      gpuSharingStrategy: "TIME_SHARING",
      maxSharedClientsPerGpu: 4,
    });
  });
});

describe("GpuCluster Kubernetes access", () => {
  it("registers a server-side-apply provider that waits for both pools", async () => {
    const inventory = await inventoryOf(argsFor());
    const provider = find(inventory, PROVIDER, "echo-k8s");
    assert.equal(provider.inputs.enableServerSideApply, "true");
    assert.ok(isSecretValue(provider.inputs.kubeconfig));
    const deps = dependenciesOf(inventory, provider);
    assert.ok(deps.includes(`${POOL} echo-system-pool`));
    assert.ok(deps.includes(`${POOL} echo-gpu-pool`));
  });

  it("waits for the system pool alone without a GPU", async () => {
    const inventory = await inventoryOf(argsFor({}, {}));
    const deps = dependenciesOf(inventory, find(inventory, PROVIDER, "echo-k8s"));
    assert.ok(deps.includes(`${POOL} echo-system-pool`));
    assert.ok(!deps.some((d) => d.includes("gpu-pool")));
  });

  it("outputs a secret kubeconfig for the cluster's DNS endpoint with the exec plugin", async () => {
    const inventory = await inventoryOf(argsFor());
    assert.deepEqual(inventory.secretOutputs, ["kubeconfig"]);
    const config = JSON.parse(String(inventory.outputs.kubeconfig)) as Kubeconfig;
    const cluster = find(inventory, CLUSTER, "echo-cluster");
    assert.equal(cluster.inputs.name, inventory.outputs.clusterName);
    assert.match(config.clusters[0]?.cluster.server ?? "", /^https:\/\/gke-[0-9a-f]+\.us-central1\.gke\.goog$/);
    assert.equal(config["current-context"], "gke_acme-dev_us-central1-a_echo");
    assert.equal(config.users[0]?.user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(inventory.outputs.nodeServiceAccountEmail, NODE_SA);
    assert.equal(inventory.outputs.location, "us-central1-a");
  });
});

describe("GpuCluster builders", () => {
  const target: KubeconfigTarget = {
    project: "p",
    location: "us-central1-a",
    clusterName: "c",
    dnsEndpoint: "gke-abc.us-central1.gke.goog",
  };

  it("kubeconfig: deterministic, DNS endpoint without a CA, gke-gcloud-auth-plugin exec", () => {
    assert.equal(kubeconfig(target), kubeconfig({ ...target }));
    assert.notEqual(kubeconfig(target), kubeconfig({ ...target, dnsEndpoint: "gke-def.us-central1.gke.goog" }));
    const config = JSON.parse(kubeconfig(target)) as Kubeconfig;
    assert.deepEqual(config.clusters, [
      { name: "gke_p_us-central1-a_c", cluster: { server: "https://gke-abc.us-central1.gke.goog" } },
    ]);
    assert.deepEqual(config.contexts, [
      { name: "gke_p_us-central1-a_c", context: { cluster: "gke_p_us-central1-a_c", user: "gke_p_us-central1-a_c" } },
    ]);
    const exec = config.users[0]?.user.exec;
    assert.equal(exec?.apiVersion, "client.authentication.k8s.io/v1beta1");
    assert.equal(exec?.command, "gke-gcloud-auth-plugin");
    assert.equal(exec?.provideClusterInfo, true);
    // The identity the gcp and docker providers use (application-default credentials), not gcloud's account.
    assert.deepEqual(exec?.args, ["--use_application_default_credentials"]);
    assert.match(exec?.installHint ?? "", /gcloud components install gke-gcloud-auth-plugin/);
  });

  it("authorizedNetworks: names default to the CIDR", () => {
    assert.deepEqual(authorizedNetworks([]), []);
    assert.deepEqual(authorizedNetworks([{ cidr: "198.51.100.0/24", name: "vpn" }, { cidr: "203.0.113.7/32" }]), [
      { cidrBlock: "198.51.100.0/24", displayName: "vpn" },
      { cidrBlock: "203.0.113.7/32", displayName: "203.0.113.7/32" },
    ]);
  });

  it("gpuSharingConfig: only when sharing is configured", () => {
    assert.equal(gpuSharingConfig(null), undefined);
    assert.deepEqual(gpuSharingConfig({ strategy: "MPS", maxSharedClients: 8 }), {
      gpuSharingStrategy: "MPS",
      maxSharedClientsPerGpu: 8,
    });
  });

  it("clusterNames: fixed names within GKE's 40 and Compute Engine's 63 characters", () => {
    assert.deepEqual(clusterNames("echo"), {
      network: "echo-network",
      subnet: "echo-subnet",
      router: "echo-router",
      nat: "echo-nat",
      cluster: "echo",
      nodeServiceAccountId: "echo-nodes",
    });
    const long = "a-very-long-service-name-that-is-49-characters-xy";
    const names = clusterNames(long);
    assert.ok(names.cluster.length <= 40 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(names.cluster), names.cluster);
    assert.ok(names.network.length <= 63 && names.network.endsWith("-network"), names.network);
    assert.notEqual(clusterNames(`${long.slice(0, -1)}z`).cluster, names.cluster);
    assert.ok(names.nodeServiceAccountId.length <= 30);
    assert.throws(() => clusterNames("Echo_1"), /lowercase letters/);
  });

  it("gpuPoolArgs: refuses a GPU without a resolved machine type", () => {
    const gke = { ...resolved(), gpuMachineType: undefined };
    assert.throws(
      () => gpuPoolArgs("p", gke, L4, "c", "sa@p.iam.gserviceaccount.com", undefined),
      /gpuPool\.machineType/,
    );
  });
});
