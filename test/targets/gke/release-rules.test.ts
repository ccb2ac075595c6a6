/**
 * Release rules on GKE: a percentage split is refused on the stack path (validateConfig) and on the component path
 * (gkeServiceProblems, KubernetesService), and the pool must hold both releases when the stable image runs beside
 * the candidate.
 */
import * as k8s from "@pulumi/kubernetes";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema, type ServiceInput } from "../../../components/config/schema";
import { clusterSettings } from "../../../components/targets/gke/cluster-settings";
import { gkeServiceProblems, type ClusterPlacement } from "../../../components/targets/gke/rules";
import { KubernetesService } from "../../../components/targets/gke/service";
import { resolvePool } from "../../../components/targets/gke/sizing";
import { runUnderMocks } from "../../../tools/mock-runtime";
import { problemsOf, validConfig, type Raw } from "../../helpers/config";

const V1 = `sha256:${"a".repeat(64)}`;
const L4 = { type: "nvidia-l4", count: 1 };
const L4_SERVICE = { name: "infer", cpu: "3", memory: "12Gi", gpu: L4, minInstances: 1, maxInstances: 3 };

const SPLIT = (percent: number, target = "runway:target") =>
  `${percent} splits traffic by percentage, which GKE cannot: KEDA's interceptor picks a route by host, path or header, not by weight (InterceptorRoute, http-add-on 0.15.0); use 0 or 100 with tags on GKE, or Cloud Run (${target}: cloudrun) for a percentage split`;

function gkeStack(service: Raw, gke: Raw = {}): Raw {
  return {
    "gcp:project": "acme-prod",
    "gcp:region": "us-central1",
    "runway:target": "gke",
    "runway:service": { ...L4_SERVICE, ...service },
    "runway:gke": gke,
  };
}

/** One zone, 8 GPU nodes: room for 3 + 1 pods of each of two releases, so only the rule under test speaks. */
const ROOMY = { gpuPool: { maxNodes: 8 } };

describe("GKE release rules on the stack path", () => {
  it("refuses a candidate percent between 0 and 100 with a stable image", () => {
    assert.deepEqual(problemsOf(gkeStack({ release: { stable: V1, candidatePercent: 10 } }, ROOMY)), [
      `runway:service.release.candidatePercent: ${SPLIT(10)}`,
    ]);
    assert.deepEqual(
      problemsOf(gkeStack({ release: { stable: V1, candidatePercent: 99, candidateTag: "c" } }, ROOMY)),
      [`runway:service.release.candidatePercent: ${SPLIT(99)}`],
    );
  });

  it("accepts all or nothing for the candidate, with tags", () => {
    assert.deepEqual(problemsOf(gkeStack({ release: { stable: V1, candidateTag: "canary" } }, ROOMY)), []);
    assert.deepEqual(
      problemsOf(gkeStack({ release: { stable: V1, candidatePercent: 0, stableTag: "previous" } }, ROOMY)),
      [],
    );
  });

  it("counts maxInstances and the surge pod for each of the two releases on the GPU pool", () => {
    assert.deepEqual(problemsOf(gkeStack({ release: { stable: V1 } }, { gpuPool: { maxNodes: 7 } })), [
      "runway:gke.gpuPool.maxNodes: 7 nodes × 1 zone(s) × 1 pod(s) per node = 7 pods, fewer than maxInstances 3 + 1 rollout surge for each of 2 releases (candidate and stable) = 8; set it to 8 or more, or leave it out to derive it",
    ]);
    // Without a stable image one release counts, and the pool derived by default holds it.
    assert.deepEqual(problemsOf(gkeStack({ release: { candidateTag: "canary" } }, { gpuPool: { maxNodes: 4 } })), []);
  });

  it("derives a GPU pool that holds both releases when maxNodes is left out", () => {
    const config = validConfig(gkeStack({ release: { stable: V1, candidatePercent: 100 } }));
    assert.equal(config.decision.target, "gke");
    assert.equal(config.decision.target === "gke" && config.decision.settings.gpuPool.maxNodes, 8);
  });

  it("counts both releases on the system pool", () => {
    const cpuService = { gpu: undefined, cpu: "1", memory: "1Gi", maxInstances: 4 };
    assert.deepEqual(
      problemsOf(gkeStack({ ...cpuService, release: { stable: V1 } }, { systemPool: { maxNodes: 3 } })),
      [
        "runway:gke.systemPool.maxNodes: 3 node(s) × 1 zone(s) of e2-standard-4 cannot hold maxInstances 4 + 1 rollout surge for each of 2 releases (candidate and stable) = 10 pods beside runway's add-ons and GKE's own pods, which need 4 node(s); set it to 4 or more, or leave it out to derive it",
      ],
    );
    assert.deepEqual(
      problemsOf(gkeStack({ ...cpuService, release: { stable: V1 } }, { systemPool: { maxNodes: 4 } })),
      [],
    );
  });
});

describe("GKE release rules on the component path", () => {
  const service = (input: Partial<ServiceInput>) => serviceSchema.parse({ name: "svc", ...input });
  /** A cluster whose GPU pool has 4 nodes in one zone. */
  const placement: ClusterPlacement = {
    settings: clusterSettings({ ...L4_SERVICE, maxInstances: 1 }, { gpuPool: { maxNodes: 4 } }, "us-central1"),
    gpu: L4,
    pools: [{ name: "system" }, { name: "gpu", gpu: L4, computeClass: "runway-gpu", sharing: null }],
  };

  it("reports the split from gkeServiceProblems, with and without a cluster placement", () => {
    const split = { path: "runway:service.release.candidatePercent", message: SPLIT(40) };
    const release = { stable: V1, candidatePercent: 40 };
    assert.deepEqual(gkeServiceProblems(service({ release }), "svc", undefined), [split]);
    assert.deepEqual(gkeServiceProblems(service({ ...L4_SERVICE, maxInstances: 1, release }), "svc", placement), [
      split,
    ]);
  });

  it("counts both releases on the cluster's GPU pool", () => {
    const twoPods = { ...L4_SERVICE, maxInstances: 2 };
    assert.deepEqual(gkeServiceProblems(service(twoPods), "svc", placement), []);
    assert.deepEqual(gkeServiceProblems(service({ ...twoPods, release: { stable: V1 } }), "svc", placement), [
      {
        path: "runway:cluster.gpuPool.maxNodes",
        message:
          "4 nodes × 1 zone(s) × 1 pod(s) per node = 4 pods, fewer than maxInstances 2 + 1 rollout surge for each of 2 releases (candidate and stable) = 6; set it to 6 or more, or leave it out to derive it",
      },
    ]);
  });

  it("counts both releases on an extra CPU pool", () => {
    // One e2-standard-4 node in one zone, which holds 3 pods of 1 vCPU / 2Gi.
    const settings = placement.settings;
    const cpuPlacement: ClusterPlacement = {
      settings,
      gpu: undefined,
      pools: [
        { name: "system" },
        {
          name: "cpu",
          computeClass: "runway-cpu",
          index: 0,
          resolved: resolvePool(settings, { name: "cpu", machineType: "e2-standard-4", maxNodes: 1 }, "us-central1"),
        },
      ],
    };
    const small = { cpu: "1", memory: "2Gi", maxInstances: 2 };
    assert.deepEqual(gkeServiceProblems(service(small), "svc", cpuPlacement), []);
    assert.deepEqual(gkeServiceProblems(service({ ...small, release: { stable: V1 } }), "svc", cpuPlacement), [
      {
        path: "runway:cluster.pools[0].maxNodes",
        message:
          "1 node(s) × 1 zone(s) × 3 pod(s) per node of e2-standard-4 = 3 pods, fewer than maxInstances 2 + 1 rollout surge for each of 2 releases (candidate and stable) = 6; set it to 2 or more",
      },
    ]);
  });

  it("refuses to build a KubernetesService that splits by percentage", async () => {
    await assert.rejects(
      runUnderMocks(
        () => {
          const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
          new KubernetesService("echo", {
            project: "acme-dev",
            service: serviceSchema.parse({ name: "echo", release: { stable: V1, candidatePercent: 25 } }),
            image: `us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:${"c".repeat(64)}`,
            provider,
          });
        },
        { config: { "gcp:project": "acme-dev", "gcp:region": "us-central1" } },
      ),
      {
        // Component arguments are named without the stack's runway: prefix (config/component-args.ts refuse).
        message: `KubernetesService echo: the arguments have 1 problem:\n  service.release.candidatePercent: ${SPLIT(25, "target")}`,
      },
    );
  });
});
