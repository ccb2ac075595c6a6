/**
 * The hardening a scanner such as Checkov looks for in the equivalent Terraform and manifests (issue 11 #21):
 * NetworkPolicies around the service's pods, intranode visibility and Binary Authorization on the cluster, and an
 * explicit high uid under podSecurity "restricted". Expected values are written out by hand.
 */
import * as k8s from "@pulumi/kubernetes";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IService } from "kubernetes-models/v1/Service";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { gkeSchema, serviceSchema, type PodSecurity } from "../../../components/config/schema";
import { finalStageUser } from "../../../components/image/dockerfile";
import { gkeClusterApis } from "../../../components/targets/gke/apis";
import { GpuCluster } from "../../../components/targets/gke/cluster";
import { clusterArgs, clusterNames } from "../../../components/targets/gke/cluster-spec";
import { entryServiceArgs } from "../../../components/targets/gke/keda";
import { KubernetesService } from "../../../components/targets/gke/service";
import { resolveGke } from "../../../components/targets/gke/sizing";
import {
  denyIngressPolicyArgs,
  deploymentArgs,
  interceptorIngressPolicyArgs,
  RESTRICTED_IDS,
} from "../../../components/targets/gke/workload-spec";
import { runUnderMocks, type Inventory } from "../../../tools/mock-runtime";
import { problemsOf } from "../../helpers/config";
import { dependenciesOf, find, findInputs } from "../../helpers/inventory";
import { validateObject } from "../../helpers/kubernetes-schemas";

const ROOT = path.join(__dirname, "..", "..", "..");
const IMAGE = `us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:${"c".repeat(64)}`;
const config = { "gcp:project": "acme-dev", "gcp:region": "us-central1" };
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const service = serviceSchema.parse({ name: "echo", labels: { team: "platform" } });

async function serviceInventory(fields: Record<string, unknown> = {}, namespace?: string): Promise<Inventory> {
  return runUnderMocks(
    () => {
      const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
      new KubernetesService("echo", {
        project: "acme-dev",
        service: { name: "echo", ...fields },
        image: IMAGE,
        provider,
        ...(namespace && { namespace }),
      });
    },
    { config },
  );
}

const policyOf = (inventory: Inventory, name: string) =>
  find(inventory, NETWORK_POLICY, name).inputs as unknown as INetworkPolicy;

describe("NetworkPolicies: only the KEDA interceptor reaches the service's pods", () => {
  it("denies all ingress in the namespace, as a complete, valid manifest", () => {
    const policy = denyIngressPolicyArgs(service, "echo");
    assert.deepEqual(policy, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name: "echo-deny-ingress",
        namespace: "echo",
        labels: { team: "platform", "app.kubernetes.io/name": "echo" },
      },
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [] },
    });
    validateObject(NETWORK_POLICY, policy);
  });

  it("allows the interceptor pods of the keda namespace on the container's port, and nothing else", () => {
    const policy = interceptorIngressPolicyArgs(serviceSchema.parse({ name: "echo", port: 9000 }), "team-a");
    assert.deepEqual(policy, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "echo-from-interceptor", namespace: "team-a", labels: { "app.kubernetes.io/name": "echo" } },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "echo" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            // One peer with both selectors: pods with the interceptor's labels inside the keda namespace. The labels
            // are those of kedacore/charts http-add-on/templates/interceptor/deployment.yaml (chart 0.15.0) with the
            // release name runway installs it under.
            from: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "keda" } },
                podSelector: {
                  matchLabels: {
                    "app.kubernetes.io/component": "interceptor",
                    "app.kubernetes.io/name": "http-add-on",
                    "app.kubernetes.io/instance": "keda-add-ons-http",
                  },
                },
              },
            ],
            ports: [{ protocol: "TCP", port: 9000 }],
          },
        ],
      },
    });
    validateObject(NETWORK_POLICY, policy);
  });

  it("admits the very pods the entry load balancer sends traffic to", () => {
    const entry = entryServiceArgs("echo-echo", {}, {}) as unknown as IService;
    const policy = interceptorIngressPolicyArgs(service, "echo") as unknown as INetworkPolicy;
    const peer = policy.spec?.ingress?.[0]?.from?.[0];
    assert.equal(entry.metadata?.namespace, "keda");
    assert.deepEqual(peer?.namespaceSelector?.matchLabels, {
      "kubernetes.io/metadata.name": entry.metadata?.namespace,
    });
    assert.deepEqual(peer?.podSelector?.matchLabels, entry.spec?.selector);
  });

  it("KubernetesService creates both in the service's namespace, before the Deployment", async () => {
    const inventory = await serviceInventory({ port: 8081 }, "team-a");
    const deny = policyOf(inventory, "echo-deny-ingress");
    const allow = policyOf(inventory, "echo-from-interceptor");
    assert.equal(deny.metadata?.namespace, "team-a");
    assert.equal(allow.metadata?.namespace, "team-a");
    assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ["Ingress"], ingress: [] });
    assert.deepEqual(allow.spec?.ingress?.[0]?.ports, [{ protocol: "TCP", port: 8081 }]);
    const deploymentDeps = dependenciesOf(
      inventory,
      find(inventory, "kubernetes:apps/v1:Deployment", "echo-deployment"),
    );
    for (const name of ["echo-deny-ingress", "echo-from-interceptor"]) {
      const policy = find(inventory, NETWORK_POLICY, name);
      validateObject(NETWORK_POLICY, policy.inputs);
      assert.ok(deploymentDeps.includes(`${NETWORK_POLICY} ${name}`), name);
      assert.ok(dependenciesOf(inventory, policy).includes("kubernetes:core/v1:Namespace echo-namespace"), name);
    }
  });

  it("leaves egress open: neither policy lists Egress", async () => {
    const inventory = await serviceInventory();
    for (const name of ["echo-deny-ingress", "echo-from-interceptor"]) {
      const spec = policyOf(inventory, name).spec;
      assert.deepEqual(spec?.policyTypes, ["Ingress"], name);
      assert.equal(spec?.egress, undefined, name);
    }
  });
});

describe("Cluster: intranode visibility and Binary Authorization", () => {
  const resolved = (gke: Record<string, unknown> = {}) =>
    resolveGke(serviceSchema.parse({ name: "echo", gpu: { type: "nvidia-l4" } }), gkeSchema.parse(gke), "us-central1");
  const cluster = (gke: Record<string, unknown> = {}) =>
    clusterArgs(
      "acme-dev",
      resolved(gke),
      clusterNames("echo"),
      { network: "n", subnetwork: "s", nodeServiceAccount: "sa" },
      undefined,
    );

  it("turns intranode visibility on (Checkov CKV_GCP_61)", () => {
    assert.equal(cluster().enableIntranodeVisibility, true);
  });

  it("leaves Binary Authorization off by default and enforces the project policy when asked (CKV_GCP_66)", () => {
    assert.equal(gkeSchema.parse({}).binaryAuthorization, "off");
    assert.deepEqual(cluster().binaryAuthorization, { evaluationMode: "DISABLED" });
    assert.deepEqual(cluster({ binaryAuthorization: "off" }).binaryAuthorization, { evaluationMode: "DISABLED" });
    assert.deepEqual(cluster({ binaryAuthorization: "enforce" }).binaryAuthorization, {
      evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE",
    });
  });

  it("GpuCluster registers the cluster with both", async () => {
    const inventory = await runUnderMocks(
      () => {
        new GpuCluster("echo", {
          project: "acme-dev",
          region: "us-central1",
          gke: resolved({ binaryAuthorization: "enforce" }),
          gpu: { type: "nvidia-l4", count: 1 },
        });
      },
      { config },
    );
    const c = findInputs(inventory, "gcp:container/cluster:Cluster", "echo-cluster");
    assert.equal(c.enableIntranodeVisibility, true);
    assert.deepEqual(c.binaryAuthorization, { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" });
  });

  it("needs the Binary Authorization API only when enforcing", () => {
    assert.deepEqual(gkeClusterApis({ binaryAuthorization: "off" }), [
      "container.googleapis.com",
      "compute.googleapis.com",
      "iam.googleapis.com",
    ]);
    assert.deepEqual(gkeClusterApis({ binaryAuthorization: "enforce" }), [
      "container.googleapis.com",
      "compute.googleapis.com",
      "iam.googleapis.com",
      "binaryauthorization.googleapis.com",
    ]);
  });

  it("refuses another value, by key", () => {
    const stack = {
      "gcp:project": "acme-dev",
      "gcp:region": "us-central1",
      "runway:service": { name: "echo" },
      "runway:target": "gke",
      "runway:image": { ref: IMAGE },
      "runway:gke": { binaryAuthorization: "dryrun" },
    };
    assert.deepEqual(problemsOf(stack), ['runway:gke.binaryAuthorization: must be "enforce" or "off"']);
  });
});

describe("The pod's uid under podSecurity restricted", () => {
  const pod = (podSecurity: PodSecurity) => {
    const args = deploymentArgs({
      service,
      namespace: "echo",
      project: "acme-dev",
      image: IMAGE,
      rolloutDeadlineSeconds: 600,
      podSecurity,
    }) as unknown as IDeployment;
    validateObject("kubernetes:apps/v1:Deployment", args);
    const spec = args.spec?.template.spec;
    if (!spec) throw new Error("the Deployment has no pod spec");
    return spec;
  };

  it("restricted: uid and gid 65532, at least 10000 (Checkov CKV_K8S_40), on the pod for every container", () => {
    assert.deepEqual(pod("restricted").securityContext, {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.equal(pod("restricted").containers[0]?.securityContext?.runAsUser, undefined);
  });

  it("is the user the sample app's image is built with, so it runs as it was built", () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, "app", "Dockerfile"), "utf8");
    assert.equal(finalStageUser(dockerfile).user, "65532:65532");
    assert.equal(`${RESTRICTED_IDS.runAsUser}:${RESTRICTED_IDS.runAsGroup}`, "65532:65532");
  });

  it("baseline: no uid or gid, so a root image keeps its user", () => {
    const context = pod("baseline").securityContext;
    assert.deepEqual(context, { seccompProfile: { type: "RuntimeDefault" } });
  });

  it("KubernetesService registers the Deployment with it", async () => {
    const inventory = await serviceInventory();
    const spec = findInputs(inventory, "kubernetes:apps/v1:Deployment", "echo-deployment").spec?.template.spec;
    assert.equal(spec?.securityContext?.runAsUser, 65532);
    assert.equal(spec?.securityContext?.runAsGroup, 65532);
    assert.equal(spec?.securityContext?.fsGroup, undefined);
  });
});
