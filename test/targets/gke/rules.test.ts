import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cidrProblem } from "../../../components/targets/gke/rules";
import { problemsOf, validConfig, type Raw } from "../../helpers/config";

const L4_SERVICE = {
  name: "infer",
  cpu: "3",
  memory: "12Gi",
  gpu: { type: "nvidia-l4", count: 1 },
  minInstances: 1,
  maxInstances: 3,
};

/** A valid GKE stack; each case changes one thing. */
function gkeStack(service: Raw = {}, gke: Raw | undefined = {}, extra: Raw = {}): Raw {
  return {
    "gcp:project": "acme-prod",
    "gcp:region": "us-central1",
    "runway:target": "gke",
    "runway:service": { ...L4_SERVICE, ...service },
    ...(gke === undefined ? {} : { "runway:gke": gke }),
    ...extra,
  };
}

describe("GKE config: defaults and valid stacks", () => {
  it("fills the GKE defaults of the contract", () => {
    assert.deepEqual(validConfig(gkeStack()).runway.gke, {
      releaseChannel: "REGULAR",
      privateNodes: true,
      authorizedNetworks: [],
      systemPool: { nodes: 1, spot: false },
      gpuPool: {
        minNodes: 0,
        spot: false,
        diskSizeGb: 100,
        driverVersion: "LATEST",
        sharing: null,
        scaleDownDelayMinutes: 5,
      },
      podSecurity: "restricted",
      binaryAuthorization: "off",
      coldStartResponse: "hold",
      scaleDownSeconds: 300,
    });
  });

  it("accepts what Cloud Run would reject: two T4s, 16 vCPUs, a two-hour timeout", () => {
    assert.deepEqual(
      problemsOf(
        gkeStack({ cpu: "16", memory: "48Gi", gpu: { type: "nvidia-tesla-t4", count: 2 }, timeoutSeconds: 7200 }),
      ),
      [],
    );
  });

  it("accepts a stack with no GPU and no gke section (the service runs on the system pool)", () => {
    assert.deepEqual(
      problemsOf(gkeStack({ gpu: undefined, cpu: "0.5", memory: "512Mi", maxInstances: 3 }, undefined)),
      [],
    );
  });

  it("accepts 50 authorized networks with public nodes and 100 with private nodes", () => {
    assert.deepEqual(problemsOf(gkeStack({}, { privateNodes: false, authorizedNetworks: networks(50) })), []);
    assert.deepEqual(problemsOf(gkeStack({}, { authorizedNetworks: networks(100) })), []);
  });

  it("accepts a regional cluster, spot GPUs and time-sharing", () => {
    assert.deepEqual(
      problemsOf(
        gkeStack(
          { maxInstances: 11 },
          {
            location: "us-central1",
            gpuPool: { spot: true, maxNodes: 2, sharing: { strategy: "TIME_SHARING", maxSharedClients: 2 } },
          },
        ),
      ),
      [],
    );
  });
});

/** n distinct /32 ranges in 10.0.0.0/16. */
const networks = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ cidr: `10.0.${Math.floor(i / 256)}.${i % 256}/32` }));

const BAD: [string, Raw, string[]][] = [
  [
    "unknown gke key",
    gkeStack({}, { gpupool: {} }),
    [
      "runway:gke.gpupool: unknown key; did you mean runway:gke.gpuPool? valid keys here: location, releaseChannel, privateNodes, authorizedNetworks, deletionProtection, systemPool, gpuPool, namespace, coldStartSeconds, coldStartResponse, scaleDownSeconds, podSecurity, binaryAuthorization",
    ],
  ],
  [
    "unknown gpuPool key",
    gkeStack({}, { gpuPool: { maxNode: 3 } }),
    [
      "runway:gke.gpuPool.maxNode: unknown key; did you mean runway:gke.gpuPool.maxNodes? valid keys here: machineType, minNodes, maxNodes, spot, diskSizeGb, diskType, driverVersion, sharing, scaleDownDelayMinutes",
    ],
  ],
  [
    "location not a zone or region",
    gkeStack({}, { location: "central" }),
    ['runway:gke.location: must be a zone or region such as "us-central1-a"'],
  ],
  [
    "zone in another region",
    gkeStack({}, { location: "us-east1-b" }),
    ["runway:gke.location: us-east1-b is not in gcp:region us-central1; use us-central1 or one of its zones"],
  ],
  [
    "zone without the GPU",
    gkeStack({}, { location: "us-central1-f" }),
    [
      "runway:gke.location: us-central1-f does not offer nvidia-l4; zones that do: us-central1-a, us-central1-b, us-central1-c (zone data from before Oct 2025)",
    ],
  ],
  [
    "region without zone data",
    gkeStack({}, {}, { "gcp:region": "southamerica-west1" }),
    [
      "runway:gke.location: runway has no zone data for southamerica-west1; set runway:gke.location to a zone of southamerica-west1",
    ],
  ],
  [
    "bad release channel",
    gkeStack({}, { releaseChannel: "BETA" }),
    ['runway:gke.releaseChannel: must be one of "RAPID", "REGULAR", "STABLE", "EXTENDED"'],
  ],
  ["privateNodes as text", gkeStack({}, { privateNodes: "yes" }), ["runway:gke.privateNodes: must be true or false"]],
  [
    "CIDR not a CIDR",
    gkeStack({}, { authorizedNetworks: [{ cidr: "office" }] }),
    ['runway:gke.authorizedNetworks[0].cidr: office is not an IPv4 CIDR such as "203.0.113.0/24"'],
  ],
  [
    "CIDR with host bits",
    gkeStack({}, { authorizedNetworks: [{ cidr: "203.0.113.5/24", name: "office" }] }),
    ["runway:gke.authorizedNetworks[0].cidr: 203.0.113.5/24 has host bits set; the network is 203.0.113.0/24"],
  ],
  [
    "CIDR for the whole internet",
    gkeStack({}, { authorizedNetworks: [{ cidr: "198.51.100.0/24" }, { cidr: "0.0.0.0/0" }] }),
    [
      "runway:gke.authorizedNetworks[1].cidr: 0.0.0.0/0 opens the control plane to the whole internet; list your own ranges",
    ],
  ],
  [
    "more authorized networks than a cluster with public nodes takes",
    gkeStack({}, { privateNodes: false, authorizedNetworks: networks(51) }),
    [
      "runway:gke.authorizedNetworks: 51 ranges; GKE allows at most 50 on a cluster with public nodes (runway:gke.privateNodes: false); privateNodes: true allows 100",
    ],
  ],
  [
    "more authorized networks than a cluster with private nodes takes",
    gkeStack({}, { authorizedNetworks: networks(101) }),
    [
      "runway:gke.authorizedNetworks: 101 ranges; GKE allows at most 100 on a cluster with private nodes (runway:gke.privateNodes: true)",
    ],
  ],
  [
    "CIDR without cidr",
    gkeStack({}, { authorizedNetworks: [{ name: "office" }] }),
    ["runway:gke.authorizedNetworks[0].cidr: is required"],
  ],
  [
    "L4 on an n1 machine",
    gkeStack({}, { gpuPool: { machineType: "n1-standard-8" } }),
    ["runway:gke.gpuPool.machineType: n1-standard-8 is a n1 machine; nvidia-l4 runs on g2 machines"],
  ],
  [
    "T4 on a g2 machine",
    gkeStack({ gpu: { type: "nvidia-tesla-t4" } }, { gpuPool: { machineType: "g2-standard-8" } }),
    ["runway:gke.gpuPool.machineType: g2-standard-8 is a g2 machine; nvidia-tesla-t4 runs on n1 machines"],
  ],
  [
    "A100 on a g2 machine",
    gkeStack({ gpu: { type: "nvidia-tesla-a100" } }, { gpuPool: { machineType: "g2-standard-8" } }),
    ["runway:gke.gpuPool.machineType: g2-standard-8 is a g2 machine; nvidia-tesla-a100 runs on a2 machines"],
  ],
  [
    "unknown machine type",
    gkeStack({}, { gpuPool: { machineType: "g9-mega-1" } }),
    [
      "runway:gke.gpuPool.machineType: g9-mega-1 is not a machine type runway knows for GPUs; nvidia-l4 runs on g2 machines",
    ],
  ],
  [
    "two L4s on g2-standard-8",
    gkeStack({ gpu: { type: "nvidia-l4", count: 2 } }, { gpuPool: { machineType: "g2-standard-8" } }),
    ["runway:service.gpu.count: g2-standard-8 takes 1 nvidia-l4, not 2"],
  ],
  [
    "three T4s",
    gkeStack({ gpu: { type: "nvidia-tesla-t4", count: 3 } }, { gpuPool: { machineType: "n1-standard-8" } }),
    ["runway:service.gpu.count: n1-standard-8 takes 1 or 2 or 4 nvidia-tesla-t4, not 3"],
  ],
  [
    "requests too big for the machine",
    gkeStack({ cpu: "4", memory: "16Gi" }, { gpuPool: { machineType: "g2-standard-4" } }),
    [
      "runway:gke.gpuPool.machineType: g2-standard-4 cannot hold cpu 4 / memory 16Gi: a pod may request at most 3.19 vCPU and 11.9Gi memory there",
    ],
  ],
  [
    "no machine fits the requests",
    gkeStack({ cpu: "200", memory: "64Gi" }),
    [
      "runway:service.gpu: no g2 machine type carries 1 nvidia-l4 and fits cpu 200 / memory 64Gi; lower the requests or the GPU count",
    ],
  ],
  [
    "no GPU and too big for the system pool",
    gkeStack({ gpu: undefined, cpu: "2", memory: "4Gi" }, { systemPool: { machineType: "e2-medium" } }),
    [
      // e2-medium: 940m shared-core allocatable − 584m DaemonSets = 356m; 4096 − 1024 reserved − 100 eviction − 1051 = 1921Mi.
      "runway:gke.systemPool.machineType: e2-medium cannot hold cpu 2 / memory 4Gi: a pod may request at most 0.36 vCPU and 1.9Gi memory there",
      "runway:gke.systemPool.machineType: 1 node(s) of e2-medium give pods 356m CPU / 1921Mi, less than the 1360m / 770Mi runway's add-ons and GKE's own pods request there; use a larger type (e.g. e2-standard-4) or more nodes",
    ],
  ],
  [
    "a system pool smaller than what runway and GKE run there",
    gkeStack({}, { systemPool: { machineType: "e2-medium" } }),
    [
      "runway:gke.systemPool.machineType: 1 node(s) of e2-medium give pods 356m CPU / 1921Mi, less than the 1360m / 770Mi runway's add-ons and GKE's own pods request there; use a larger type (e.g. e2-standard-4) or more nodes",
    ],
  ],
  [
    "system pool minimum above its maximum",
    gkeStack({}, { systemPool: { nodes: 2, maxNodes: 1 } }),
    ["runway:gke.systemPool.nodes: 2 is more than maxNodes (1)"],
  ],
  [
    "GPU machine type without a GPU",
    gkeStack(
      { gpu: undefined, cpu: "1", memory: "1Gi", maxInstances: 1 },
      { gpuPool: { machineType: "g2-standard-4" } },
    ),
    ["runway:gke.gpuPool.machineType: is set but runway:service.gpu is not; a GPU pool needs a GPU"],
  ],
  [
    "system pool with GPUs",
    gkeStack({}, { systemPool: { machineType: "g2-standard-4" } }),
    ["runway:gke.systemPool.machineType: g2-standard-4 carries GPUs; the system pool needs a machine without GPUs"],
  ],
  [
    "unknown system machine",
    gkeStack({}, { systemPool: { machineType: "tiny" } }),
    [
      "runway:gke.systemPool.machineType: tiny is not a machine type runway knows; e.g. e2-medium, e2-standard-2, n2-standard-2",
    ],
  ],
  [
    "one spot system node",
    gkeStack({}, { systemPool: { spot: true } }),
    [
      "runway:gke.systemPool.spot: needs nodes: 2 or more, or spot: false; one reclaimed Spot node would stop cluster services",
    ],
  ],
  ["no system nodes", gkeStack({}, { systemPool: { nodes: 0 } }), ["runway:gke.systemPool.nodes: must be 1 or more"]],
  [
    "negative min nodes",
    gkeStack({}, { gpuPool: { minNodes: -1 } }),
    ["runway:gke.gpuPool.minNodes: must be 0 or more"],
  ],
  [
    "min nodes above max",
    gkeStack({ maxInstances: 4 }, { gpuPool: { minNodes: 6, maxNodes: 5 } }),
    ["runway:gke.gpuPool.minNodes: 6 is more than maxNodes (5)"],
  ],
  [
    "more pods than GPUs",
    gkeStack({ maxInstances: 5 }, { gpuPool: { maxNodes: 3 } }),
    [
      "runway:gke.gpuPool.maxNodes: 3 nodes × 1 zone(s) × 1 pod(s) per node = 3 pods, fewer than maxInstances 5 + 1 rollout surge = 6; set it to 6 or more, or leave it out to derive it",
    ],
  ],
  [
    "no room for the rollout's surge pod",
    gkeStack({ maxInstances: 3 }, { gpuPool: { maxNodes: 3 } }),
    [
      "runway:gke.gpuPool.maxNodes: 3 nodes × 1 zone(s) × 1 pod(s) per node = 3 pods, fewer than maxInstances 3 + 1 rollout surge = 4; set it to 4 or more, or leave it out to derive it",
    ],
  ],
  [
    "more pods than the system pool holds",
    gkeStack({ gpu: undefined, cpu: "1", memory: "1Gi", maxInstances: 4 }, { systemPool: { maxNodes: 1 } }),
    [
      // 1360m + 5 × 1000m = 6360m over e2-standard-4's 3336m for pods: 2 nodes.
      "runway:gke.systemPool.maxNodes: 1 node(s) × 1 zone(s) of e2-standard-4 cannot hold maxInstances 4 + 1 rollout surge = 5 pods beside runway's add-ons and GKE's own pods, which need 2 node(s); set it to 2 or more, or leave it out to derive it",
    ],
  ],
  [
    "no machine holds one pod",
    gkeStack({ gpu: undefined, cpu: "500", memory: "1Gi", maxInstances: 1 }),
    ["runway:service.cpu: no machine type runway knows fits cpu 500 / memory 1Gi on one node"],
  ],
  ["small disk", gkeStack({}, { gpuPool: { diskSizeGb: 5 } }), ["runway:gke.gpuPool.diskSizeGb: must be 10 or more"]],
  [
    "bad driver version",
    gkeStack({}, { gpuPool: { driverVersion: "535" } }),
    ['runway:gke.gpuPool.driverVersion: must be "DEFAULT", "LATEST" or "INSTALLATION_DISABLED"'],
  ],
  [
    "bad sharing strategy",
    gkeStack({}, { gpuPool: { sharing: { strategy: "MIG", maxSharedClients: 2 } } }),
    ['runway:gke.gpuPool.sharing.strategy: must be "TIME_SHARING" or "MPS"'],
  ],
  [
    "too many shared clients",
    gkeStack({}, { gpuPool: { sharing: { strategy: "TIME_SHARING", maxSharedClients: 64 } } }),
    ["runway:gke.gpuPool.sharing.maxSharedClients: 64 is outside 2 to 48"],
  ],
  [
    "MPS sharing (needs hostIPC, which baseline and restricted forbid)",
    gkeStack({}, { gpuPool: { sharing: { strategy: "MPS", maxSharedClients: 2 } } }),
    [
      "runway:gke.gpuPool.sharing.strategy: MPS needs hostIPC: true on the pod, which both Pod Security Standards runway enforces (restricted, baseline: runway:gke.podSecurity) forbid; use TIME_SHARING",
    ],
  ],
  [
    "MPS sharing under baseline",
    gkeStack({}, { podSecurity: "baseline", gpuPool: { sharing: { strategy: "MPS", maxSharedClients: 2 } } }),
    [
      "runway:gke.gpuPool.sharing.strategy: MPS needs hostIPC: true on the pod, which both Pod Security Standards runway enforces (restricted, baseline: runway:gke.podSecurity) forbid; use TIME_SHARING",
    ],
  ],
  [
    "sharing with two GPUs per pod",
    gkeStack(
      { cpu: "20", memory: "80Gi", gpu: { type: "nvidia-l4", count: 2 } },
      { gpuPool: { sharing: { strategy: "TIME_SHARING", maxSharedClients: 2 } } },
    ),
    ["runway:service.gpu.count: 2 GPUs per pod; a pod on shared GPUs requests exactly 1"],
  ],
  [
    "sharing without a GPU",
    gkeStack(
      { gpu: undefined, cpu: "1", memory: "1Gi", maxInstances: 1 },
      { gpuPool: { sharing: { strategy: "TIME_SHARING", maxSharedClients: 4 } } },
    ),
    ["runway:gke.gpuPool.sharing: is set but runway:service.gpu is not"],
  ],
  [
    "small A3 on demand",
    gkeStack({ cpu: "8", memory: "64Gi", gpu: { type: "nvidia-h100-80gb" } }),
    ["runway:gke.gpuPool.spot: must be true for a3-highgpu-1g, which is offered only as Spot or Flex-start"],
  ],
  [
    "reserved namespace",
    gkeStack({}, { namespace: "kube-system" }),
    ["runway:gke.namespace: namespace kube-system is reserved for the system; choose another"],
  ],
  [
    "label value Kubernetes rejects",
    gkeStack({ labels: { team: "-platform" } }),
    ["runway:service.labels.team: on GKE, label keys and values must begin and end with a letter or digit"],
  ],
  [
    "env clashing with a secret file variable",
    gkeStack({ env: { API_KEY_FILE: "/x" }, secrets: { API_KEY: "api-key" } }),
    ["runway:service.env.API_KEY_FILE: is set by runway on GKE to the path of secret API_KEY; rename it"],
  ],
  [
    "namespace with capitals",
    gkeStack({}, { namespace: "Infer" }),
    ["runway:gke.namespace: must be a Kubernetes namespace name: a-z, 0-9 and -, at most 63 characters"],
  ],
  [
    "GPU type GKE lacks in the region",
    gkeStack({ gpu: { type: "nvidia-tesla-p4" } }, {}, { "gcp:region": "us-west1" }),
    [
      "runway:service.gpu.type: no zone of us-west1 offers nvidia-tesla-p4 on GKE (zone data from before Oct 2025); pick another region or GPU",
    ],
  ],
  [
    "H200 comes eight to a machine",
    gkeStack({ gpu: { type: "nvidia-h200-141gb" } }),
    [
      "runway:service.gpu: no a3 machine type carries 1 nvidia-h200-141gb and fits cpu 3 / memory 12Gi; lower the requests or the GPU count",
    ],
  ],
];

describe("GKE config: each mistake gives its exact message", () => {
  for (const [what, config, expected] of BAD) {
    it(what, () => assert.deepEqual(problemsOf(config), expected));
  }
});

describe("GKE rules apply to GKE stacks only", () => {
  it("ignores runway:gke on a Cloud Run stack, so a stack can keep both while it switches", () => {
    assert.deepEqual(
      problemsOf(
        gkeStack(
          { cpu: "4", memory: "16Gi" },
          { gpuPool: { machineType: "g2-standard-4" } },
          { "runway:target": "cloudrun" },
        ),
      ),
      [],
    );
  });
});

describe("cidrProblem", () => {
  it("accepts networks and host routes", () => {
    assert.equal(cidrProblem("10.0.0.0/8"), undefined);
    assert.equal(cidrProblem("192.0.2.7/32"), undefined);
  });
  it("rejects octets and prefixes out of range", () => {
    assert.equal(cidrProblem("256.0.0.0/8"), '256.0.0.0/8 is not an IPv4 CIDR such as "203.0.113.0/24"');
    assert.equal(cidrProblem("10.0.0.0/33"), '10.0.0.0/33 is not an IPv4 CIDR such as "203.0.113.0/24"');
  });
});
