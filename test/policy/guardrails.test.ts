import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CONFIG_SCHEMAS, configOf, POLICIES } from "../../policy/policies";
import { isProduction, stackOfUrn } from "../../policy/rules";
import type { Registration } from "../../tools/mock-runtime";
import { stackNames } from "../helpers/stack";
import { POLICY_NAMES, registration, replaced, stackInventory, violations, withInputs } from "./pack";

// The names the stack files give (service, physical names, project); a template copy renames them.
const D = stackNames("dev");
const P = stackNames("prod");

const CLOUD_RUN = "gcp:cloudrunv2/service:Service";
const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const IAM_MEMBER = "gcp:projects/iAMMember:IAMMember";
const DIGEST = "sha256:1ad495420355e79fafa3c09512fde3f83a1c915c411f39e719b81e1ae49f7923";

/** A resource the program does not create, registered beside the stack's as a platform team might find it. */
function extra(type: string, name: string, inputs: Record<string, unknown>): Registration {
  return {
    urn: `urn:pulumi:dev::runway::${type}::${name}`,
    type,
    name,
    custom: true,
    dependencies: [],
    protect: false,
    deleteBeforeReplace: false,
    ignoreChanges: [],
    aliases: [],
    inputs,
  };
}

describe("the policy pack", () => {
  it("has the nine policies the README lists, each with a description", () => {
    assert.deepEqual(
      POLICIES.map((p) => p.name),
      POLICY_NAMES,
    );
    for (const p of POLICIES) assert.ok(p.description.length > 20, p.name);
  });

  it("fills in each config default from its schema, under what the pack config gives", () => {
    assert.deepEqual(configOf("runway-no-public-services", {}), { allowedPublicServices: [] });
    assert.deepEqual(configOf("runway-images-by-digest", {}), { digestExemptImages: ["ghcr.io/kedacore/"] });
    assert.deepEqual(configOf("runway-gke-deletion-protection", {}), { productionStacks: ["prod", "production"] });
    assert.deepEqual(configOf("runway-gpu-cap", {}), { maxGpusPerService: 8 });
    assert.deepEqual(configOf("runway-gpu-cap", { maxGpusPerService: 2 }), { maxGpusPerService: 2 });
    assert.deepEqual(CONFIG_SCHEMAS["runway-gpu-cap"].properties.maxGpusPerService, {
      type: "integer",
      minimum: 0,
      default: 8,
      description: "GPUs one service may hold at full scale: GPUs per instance × maximum instances.",
    });
  });
});

describe("the shipped stacks pass every policy", () => {
  it("dev (Cloud Run, private) passes, and is not a production stack", async () => {
    const inventory = await stackInventory("dev");
    assert.deepEqual(violations(inventory), []);
    const service = registration(inventory, CLOUD_RUN, `${D.service}-service`);
    assert.equal(stackOfUrn(service.urn), "dev");
    assert.equal(isProduction("dev", configOf("runway-gke-deletion-protection", {})), false);
  });

  it("prod (GKE, one L4 per pod, at most 3 pods) passes, and is a production stack", async () => {
    const inventory = await stackInventory("prod");
    assert.deepEqual(violations(inventory), []);
    const cluster = registration(inventory, CLUSTER, `${P.service}-cluster`);
    assert.equal(stackOfUrn(cluster.urn), "prod");
    assert.equal(isProduction("prod", configOf("runway-gke-deletion-protection", {})), true);
  });
});

describe("runway-no-public-services", () => {
  it("refuses a public Cloud Run service unless allowedPublicServices names it", async () => {
    const inventory = await stackInventory("dev", "runway:service.public=true");
    assert.deepEqual(violations(inventory), [
      `runway-no-public-services ${D.service}-service: Cloud Run service "${D.physical}" lets anyone invoke it ` +
        "(invokerIamDisabled: true, ingress INGRESS_TRAFFIC_ALL) and is not in allowedPublicServices",
    ]);
    const allow = { "runway-no-public-services": { allowedPublicServices: [`${D.physical}`] } };
    assert.deepEqual(violations(inventory, allow), []);
  });

  it("refuses an external LoadBalancer on GKE unless allowedPublicServices names it as namespace/name", async () => {
    const inventory = await stackInventory("prod", "runway:service.public=true");
    assert.deepEqual(violations(inventory), [
      `runway-no-public-services ${P.service}-entry: LoadBalancer Service "keda/${P.service}-${P.service}" gets an external address ` +
        '(no networking.gke.io/load-balancer-type: "Internal" annotation) and is not in allowedPublicServices',
    ]);
    const allow = { "runway-no-public-services": { allowedPublicServices: [`keda/${P.service}-${P.service}`] } };
    assert.deepEqual(violations(inventory, allow), []);
  });

  it("refuses allUsers and allAuthenticatedUsers on a Cloud Run service, by member, binding or policy", async () => {
    const inventory = await stackInventory("dev");
    const service = `projects/${D.gcpProject}/locations/us-central1/services/${D.physical}`;
    const grants = [
      extra("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "invoker", {
        name: service,
        role: "roles/run.invoker",
        member: "allUsers",
      }),
      extra("gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", "invokers", {
        name: `${D.physical}`,
        role: "roles/run.invoker",
        members: ["group:team@example.com", "allAuthenticatedUsers"],
      }),
      extra("gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy", "policy", {
        name: service,
        policyData: JSON.stringify({ bindings: [{ role: "roles/run.invoker", members: ["allUsers"] }] }),
      }),
    ];
    const resources = [...replaced(inventory), ...grants];
    assert.deepEqual(violations(resources), [
      `runway-no-public-services invoker: ServiceIamMember grants roles/run.invoker on Cloud Run service "${D.physical}" ` +
        `to allUsers, and "${D.physical}" is not in allowedPublicServices`,
      "runway-no-public-services invokers: ServiceIamBinding grants roles/run.invoker on Cloud Run service " +
        `"${D.physical}" to allAuthenticatedUsers, and "${D.physical}" is not in allowedPublicServices`,
      `runway-no-public-services policy: ServiceIamPolicy grants roles/run.invoker on Cloud Run service "${D.physical}" ` +
        `to allUsers, and "${D.physical}" is not in allowedPublicServices`,
    ]);
    assert.deepEqual(
      violations(resources, { "runway-no-public-services": { allowedPublicServices: [`${D.physical}`] } }),
      [],
    );
  });

  it("lets an unauthenticated Cloud Run service through when its ingress is internal-only", async () => {
    const inventory = await stackInventory("dev", "runway:service.public=true");
    const internal = withInputs(registration(inventory, CLOUD_RUN, `${D.service}-service`), CLOUD_RUN, (inputs) => {
      inputs.ingress = "INGRESS_TRAFFIC_INTERNAL_ONLY";
    });
    assert.deepEqual(violations(replaced(inventory, internal)), []);
  });
});

describe("runway-images-by-digest", () => {
  it("refuses a Cloud Run image by tag", async () => {
    const inventory = await stackInventory("dev");
    const tagged = withInputs(registration(inventory, CLOUD_RUN, `${D.service}-service`), CLOUD_RUN, (inputs) => {
      inputs.template.containers![0]!.image = `us-central1-docker.pkg.dev/${D.gcpProject}/${D.physical}/${D.physical}:latest`;
    });
    assert.deepEqual(violations(replaced(inventory, tagged)), [
      `runway-images-by-digest ${D.service}-service: Cloud Run service "${D.physical}" container "${D.service}" runs image ` +
        `"us-central1-docker.pkg.dev/${D.gcpProject}/${D.physical}/${D.physical}:latest", which is not pinned by digest (@sha256:<64 hex>)`,
    ]);
  });

  it("refuses Deployment containers and init containers by tag, and a digest that is not 64 hex", async () => {
    const inventory = await stackInventory("prod");
    const tagged = withInputs(registration(inventory, DEPLOYMENT, `${P.service}-deployment`), DEPLOYMENT, (inputs) => {
      const pod = inputs.spec!.template.spec!;
      pod.containers[0]!.image = `us-central1-docker.pkg.dev/${P.gcpProject}/${P.physical}/${P.physical}@sha256:1ad4`;
      pod.initContainers = [{ name: "fetch-model", image: "busybox:1.37" }];
    });
    assert.deepEqual(violations(replaced(inventory, tagged)), [
      `runway-images-by-digest ${P.service}-deployment: Deployment "${P.service}/${P.service}" container "${P.service}" runs image ` +
        `"us-central1-docker.pkg.dev/${P.gcpProject}/${P.physical}/${P.physical}@sha256:1ad4", which is not pinned by digest ` +
        "(@sha256:<64 hex>)",
      `runway-images-by-digest ${P.service}-deployment: Deployment "${P.service}/${P.service}" init container "fetch-model" runs image ` +
        '"busybox:1.37", which is not pinned by digest (@sha256:<64 hex>)',
    ]);
  });

  it("accepts a tag and a digest together, and KEDA's chart images by tag unless the exemption is emptied", async () => {
    const inventory = await stackInventory("prod");
    const operator = extra(DEPLOYMENT, "keda/keda-operator", {
      metadata: { name: "keda-operator", namespace: "keda" },
      spec: {
        template: {
          spec: {
            containers: [{ name: "keda-operator", image: "ghcr.io/kedacore/keda:2.20.2" }],
            initContainers: [{ name: "init", image: `busybox:1.37@${DIGEST}` }],
          },
        },
      },
    });
    const resources = [...replaced(inventory), operator];
    assert.deepEqual(violations(resources), []);
    assert.deepEqual(violations(resources, { "runway-images-by-digest": { digestExemptImages: [] } }), [
      'runway-images-by-digest keda/keda-operator: Deployment "keda/keda-operator" container "keda-operator" runs ' +
        'image "ghcr.io/kedacore/keda:2.20.2", which is not pinned by digest (@sha256:<64 hex>)',
    ]);
  });
});

describe("runway-dedicated-service-accounts", () => {
  it("refuses a Cloud Run service on the Compute Engine default service account, named or implied", async () => {
    const inventory = await stackInventory("dev");
    const service = registration(inventory, CLOUD_RUN, `${D.service}-service`);
    const asDefault = withInputs(service, CLOUD_RUN, (inputs) => {
      inputs.template.serviceAccount = "123456789012-compute@developer.gserviceaccount.com";
    });
    assert.deepEqual(violations(replaced(inventory, asDefault)), [
      `runway-dedicated-service-accounts ${D.service}-service: Cloud Run service "${D.physical}" runs as the Compute Engine ` +
        'default service account (template.serviceAccount "123456789012-compute@developer.gserviceaccount.com")',
    ]);
    const unset = withInputs(service, CLOUD_RUN, (inputs) => {
      delete inputs.template.serviceAccount;
    });
    assert.deepEqual(violations(replaced(inventory, unset)), [
      `runway-dedicated-service-accounts ${D.service}-service: Cloud Run service "${D.physical}" sets no template.serviceAccount, ` +
        "so it runs as the Compute Engine default service account",
    ]);
  });

  it("refuses a GKE node pool without its own service account", async () => {
    const inventory = await stackInventory("prod");
    const pool = withInputs(registration(inventory, NODE_POOL, `${P.service}-gpu-pool`), NODE_POOL, (inputs) => {
      delete inputs.nodeConfig!.serviceAccount;
    });
    const cluster = withInputs(registration(inventory, CLUSTER, `${P.service}-cluster`), CLUSTER, (inputs) => {
      inputs.nodeConfig!.serviceAccount = "default";
    });
    assert.deepEqual(violations(replaced(inventory, pool, cluster)), [
      `runway-dedicated-service-accounts ${P.service}-cluster: Cluster "${P.physical}" runs as the Compute Engine default ` +
        'service account (nodeConfig.serviceAccount "default")',
      `runway-dedicated-service-accounts ${P.service}-gpu-pool: Node pool "gpu" sets no nodeConfig.serviceAccount, so it ` +
        "runs as the Compute Engine default service account",
    ]);
  });
});

describe("runway-no-basic-roles", () => {
  it("refuses roles/owner, roles/editor and roles/viewer by member, binding or policy", async () => {
    const inventory = await stackInventory("dev");
    const member = registration(inventory, IAM_MEMBER, `${D.service}-logging-logWriter`);
    const editor = { ...member, inputs: { ...member.inputs, role: "roles/editor" } };
    const binding = extra("gcp:projects/iAMBinding:IAMBinding", "owners", {
      project: `${D.gcpProject}`,
      role: "roles/owner",
      members: ["user:admin@example.com", "group:ops@example.com"],
    });
    const policy = extra("gcp:serviceaccount/iAMPolicy:IAMPolicy", "sa-policy", {
      serviceAccountId: `projects/${D.gcpProject}/serviceAccounts/${D.physical}-run@${D.gcpProject}.iam.gserviceaccount.com`,
      policyData: JSON.stringify({
        bindings: [
          { role: "roles/iam.serviceAccountUser", members: ["group:ops@example.com"] },
          { role: "roles/viewer", members: ["domain:example.com"] },
        ],
      }),
    });
    assert.deepEqual(violations([...replaced(inventory, editor), binding, policy]), [
      `runway-no-basic-roles ${D.service}-logging-logWriter: IAMMember grants the basic role roles/editor to ` +
        `serviceAccount:${D.physical}-run@${D.gcpProject}.iam.gserviceaccount.com`,
      "runway-no-basic-roles owners: IAMBinding grants the basic role roles/owner to user:admin@example.com, " +
        "group:ops@example.com",
      "runway-no-basic-roles sa-policy: IAMPolicy grants the basic role roles/viewer to domain:example.com",
    ]);
  });
});

describe("GKE hardening", () => {
  it("runway-gke-workload-identity refuses a cluster without a workload pool and a pool on GCE_METADATA", async () => {
    const inventory = await stackInventory("prod");
    const cluster = withInputs(registration(inventory, CLUSTER, `${P.service}-cluster`), CLUSTER, (inputs) => {
      delete inputs.workloadIdentityConfig;
    });
    const pool = withInputs(registration(inventory, NODE_POOL, `${P.service}-system-pool`), NODE_POOL, (inputs) => {
      inputs.nodeConfig!.workloadMetadataConfig = { mode: "GCE_METADATA" };
    });
    assert.deepEqual(violations(replaced(inventory, cluster, pool)), [
      `runway-gke-workload-identity ${P.service}-cluster: Cluster "${P.physical}" has no Workload Identity ` +
        "(workloadIdentityConfig.workloadPool)",
      `runway-gke-workload-identity ${P.service}-system-pool: Node pool "system" shows pods the VM metadata server ` +
        "(workloadMetadataConfig.mode GCE_METADATA)",
    ]);
  });

  it("runway-gke-shielded-nodes refuses Shielded Nodes off, Secure Boot not on, integrity monitoring off", async () => {
    const inventory = await stackInventory("prod");
    const cluster = withInputs(registration(inventory, CLUSTER, `${P.service}-cluster`), CLUSTER, (inputs) => {
      inputs.enableShieldedNodes = false;
    });
    const pool = withInputs(registration(inventory, NODE_POOL, `${P.service}-gpu-pool`), NODE_POOL, (inputs) => {
      inputs.nodeConfig!.shieldedInstanceConfig = { enableIntegrityMonitoring: false };
    });
    assert.deepEqual(violations(replaced(inventory, cluster, pool)), [
      `runway-gke-shielded-nodes ${P.service}-cluster: Cluster "${P.physical}" turns Shielded Nodes off (enableShieldedNodes: false)`,
      `runway-gke-shielded-nodes ${P.service}-gpu-pool: Node pool "gpu" does not turn on Secure Boot ` +
        "(nodeConfig.shieldedInstanceConfig.enableSecureBoot: true)",
      `runway-gke-shielded-nodes ${P.service}-gpu-pool: Node pool "gpu" turns integrity monitoring off ` +
        "(nodeConfig.shieldedInstanceConfig.enableIntegrityMonitoring: false)",
    ]);
  });

  it("runway-gke-private-nodes refuses runway:gke.privateNodes false and a pool that opts out", async () => {
    const inventory = await stackInventory("prod", "runway:gke.privateNodes=false");
    assert.deepEqual(violations(inventory), [
      `runway-gke-private-nodes ${P.service}-cluster: Cluster "${P.physical}" gives its nodes external addresses ` +
        "(privateClusterConfig.enablePrivateNodes is not true)",
    ]);
    const shipped = await stackInventory("prod");
    const pool = withInputs(registration(shipped, NODE_POOL, `${P.service}-gpu-pool`), NODE_POOL, (inputs) => {
      inputs.networkConfig = { enablePrivateNodes: false };
    });
    assert.deepEqual(violations(replaced(shipped, pool)), [
      `runway-gke-private-nodes ${P.service}-gpu-pool: Node pool "gpu" gives its nodes external addresses ` +
        "(networkConfig.enablePrivateNodes: false)",
    ]);
  });

  it("runway-gke-deletion-protection refuses deletionProtection false on prod, not on dev", async () => {
    const prod = await stackInventory("prod", "runway:gke.deletionProtection=false");
    const message = (names: typeof D) =>
      `runway-gke-deletion-protection ${names.service}-cluster: Cluster "${names.physical}" has deletionProtection: ` +
      "false in a production stack";
    assert.deepEqual(violations(prod), [message(P)]);
    // `production` in the pack config overrides the stack name, either way.
    assert.deepEqual(violations(prod, { "runway-gke-deletion-protection": { production: false } }), []);
    const dev = await stackInventory("dev", "runway:target=gke", "runway:gke.deletionProtection=false");
    assert.deepEqual(violations(dev), []);
    assert.deepEqual(violations(dev, { "runway-gke-deletion-protection": { production: true } }), [message(D)]);
    assert.deepEqual(violations(dev, { "runway-gke-deletion-protection": { productionStacks: ["dev"] } }), [
      message(D),
    ]);
  });
});

describe("runway-gpu-cap", () => {
  it("joins a Deployment's GPUs with its ScaledObject's maxReplicaCount: 2 L4 × 5 pods is over 8", async () => {
    const inventory = await stackInventory(
      "prod",
      "runway:service.gpu.count=2",
      "runway:gke.gpuPool.machineType=g2-standard-24",
      "runway:service.maxInstances=5",
    );
    assert.deepEqual(violations(inventory), [
      `runway-gpu-cap ${P.service}-deployment: Deployment "${P.service}/${P.service}" can hold 10 GPUs (2 nvidia.com/gpu per pod × ` +
        `ScaledObject "${P.service}/${P.service}" maxReplicaCount 5), more than maxGpusPerService 8`,
    ]);
    assert.deepEqual(violations(inventory, { "runway-gpu-cap": { maxGpusPerService: 10 } }), []);
  });

  it("multiplies a Cloud Run service's GPUs by its maxInstanceCount: 1 L4 × 9 instances is over 8", async () => {
    const inventory = await stackInventory(
      "dev",
      'runway:service.gpu={"type":"nvidia-l4","count":1}',
      "runway:service.cpu=4",
      "runway:service.memory=16Gi",
      "runway:service.maxInstances=9",
    );
    assert.deepEqual(violations(inventory), [
      `runway-gpu-cap ${D.service}-service: Cloud Run service "${D.physical}" can hold 9 GPUs (1 nvidia.com/gpu per instance × ` +
        "template.scaling.maxInstanceCount 9), more than maxGpusPerService 8",
    ]);
    const bounded = await stackInventory(
      "dev",
      'runway:service.gpu={"type":"nvidia-l4","count":1}',
      "runway:service.cpu=4",
      "runway:service.memory=16Gi",
      "runway:service.maxInstances=8",
    );
    assert.deepEqual(violations(bounded), []);
  });

  it("takes the defaults of an unbounded service: Cloud Run's 100 instances, KEDA's 100 replicas", async () => {
    const cloudRun = await stackInventory(
      "dev",
      'runway:service.gpu={"type":"nvidia-l4","count":1}',
      "runway:service.cpu=4",
      "runway:service.memory=16Gi",
    );
    const unbounded = withInputs(registration(cloudRun, CLOUD_RUN, `${D.service}-service`), CLOUD_RUN, (inputs) => {
      delete inputs.template.scaling;
    });
    assert.deepEqual(violations(replaced(cloudRun, unbounded)), [
      `runway-gpu-cap ${D.service}-service: Cloud Run service "${D.physical}" can hold 100 GPUs (1 nvidia.com/gpu per instance × ` +
        "maxInstanceCount unset (Cloud Run's default 100)), more than maxGpusPerService 8",
    ]);
    const gke = await stackInventory("prod");
    const scaler = registration(gke, "kubernetes:keda.sh/v1alpha1:ScaledObject", `${P.service}-scaler`);
    const spec = { ...(scaler.inputs.spec as Record<string, unknown>) };
    delete spec.maxReplicaCount;
    assert.deepEqual(violations(replaced(gke, { ...scaler, inputs: { ...scaler.inputs, spec } })), [
      `runway-gpu-cap ${P.service}-deployment: Deployment "${P.service}/${P.service}" can hold 100 GPUs (1 nvidia.com/gpu per pod × ` +
        `ScaledObject "${P.service}/${P.service}" maxReplicaCount unset (KEDA's default 100)), more than maxGpusPerService 8`,
    ]);
  });
});
