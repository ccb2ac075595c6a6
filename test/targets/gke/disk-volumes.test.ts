/**
 * Disk volumes on GKE: the StatefulSet with a claim per disk, the StorageClasses per machine family, the ScaledObject's
 * target, the Backup for GKE plan and the cluster's agent, the rules and the cost lines. Expected values are written
 * by hand from the description.
 */
import * as k8s from "@pulumi/kubernetes";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import { estimateMonthlyCost } from "../../../components/cost/estimate";
import { dataDiskType } from "../../../components/facts/disks";
import { gkeServiceApis } from "../../../components/targets/gke/apis";
import { clusterArgs, clusterNames } from "../../../components/targets/gke/cluster-spec";
import { gkeDifferences } from "../../../components/targets/gke/differences";
import { scaledObjectArgs } from "../../../components/targets/gke/keda";
import { KubernetesService } from "../../../components/targets/gke/service";
import { resolveGke } from "../../../components/targets/gke/sizing";
import { statefulSetArgs, storageClassArgs } from "../../../components/targets/gke/workload-spec";
import { runUnderMocks } from "../../../tools/mock-runtime";
import { problemsOf, validConfig, type Raw } from "../../helpers/config";
import { validateCustomResource } from "../../helpers/crd-schemas";
import { find } from "../../helpers/inventory";
import { validateKubernetesObjects, validateObject } from "../../helpers/kubernetes-schemas";
import { runStack, stackConfig, withService } from "../../helpers/stack";

const IMAGE = "us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:" + "a".repeat(64);
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const BACKUP_PLAN = "gcp:gkebackup/backupPlan:BackupPlan";
const SCALER = "kubernetes:keda.sh/v1alpha1:ScaledObject";

const DATA = { kind: "disk", size: "100Gi", mountPath: "/data" };
const serviceOf = (fields: Raw) => serviceSchema.parse({ name: "echo", memory: "1Gi", ...fields });

/** The prod stack (GKE, g2-standard-8 with an L4) with `volumes` and other changes to its config. */
function prod(volumes: Raw, config: Record<string, string> = {}): Record<string, string> {
  const base = { ...stackConfig("prod"), ...config };
  const service = JSON.parse(base["runway:service"] ?? "{}") as Raw;
  return withService(base, { ...service, volumes });
}

/** prod on A4 nodes (Hyperdisk only) in the zone with B200s: the GPU pool's machine type decides the disks' type. */
function onA4(config: Record<string, string>): Record<string, string> {
  const service = JSON.parse(config["runway:service"] ?? "{}") as Raw;
  const gke = JSON.parse(config["runway:gke"] ?? "{}") as Raw & { gpuPool: Raw };
  return {
    ...withService(config, { ...service, gpu: { type: "nvidia-b200", count: 8 } }),
    "runway:gke": JSON.stringify({
      ...gke,
      location: "us-central1-b",
      gpuPool: { ...gke.gpuPool, machineType: "a4-highgpu-8g" },
    }),
  };
}

describe("GKE disk volumes: the StatefulSet", () => {
  const args = statefulSetArgs({
    service: serviceOf({
      volumes: { data: DATA, fast: { kind: "disk", size: "20Gi", mountPath: "/fast", class: "ssd" } },
    }),
    namespace: "echo",
    namespaceName: "echo",
    project: "acme-dev",
    image: IMAGE,
    rolloutDeadlineSeconds: 600,
    serviceName: "echo",
    machineType: "e2-standard-4",
  }) as unknown as {
    spec: Record<string, unknown> & { template: { spec: { containers: { volumeMounts: unknown[] }[] } } };
  };

  it("has one claim per disk, Retain on delete and scale, Parallel pods and the Service's name", () => {
    const { template, ...spec } = args.spec;
    const labels = { "app.kubernetes.io/name": "echo" };
    assert.deepEqual(spec, {
      selector: { matchLabels: labels },
      serviceName: "echo",
      podManagementPolicy: "Parallel",
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      volumeClaimTemplates: [
        {
          metadata: { name: "data", labels },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "runway-echo-pd-balanced",
            resources: { requests: { storage: "100Gi" } },
          },
        },
        {
          metadata: { name: "fast", labels },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "runway-echo-pd-ssd",
            resources: { requests: { storage: "20Gi" } },
          },
        },
      ],
    });
    assert.deepEqual(template.spec.containers[0]?.volumeMounts, [
      { name: "tmp", mountPath: "/tmp" },
      { name: "data", mountPath: "/data" },
      { name: "fast", mountPath: "/fast" },
    ]);
    validateObject(STATEFUL_SET, args);
  });
});

describe("GKE disk volumes: StorageClasses per machine family", () => {
  it("takes pd-balanced or pd-ssd where Persistent Disk attaches, hyperdisk-balanced on G4, A3 Ultra and A4", () => {
    const types = (machineType: string) => [dataDiskType("balanced", machineType), dataDiskType("ssd", machineType)];
    assert.deepEqual(types("e2-standard-4"), ["pd-balanced", "pd-ssd"]);
    assert.deepEqual(types("g2-standard-8"), ["pd-balanced", "pd-ssd"]);
    assert.deepEqual(types("a3-highgpu-1g"), ["pd-balanced", "pd-ssd"]);
    assert.deepEqual(types("g4-standard-48"), ["hyperdisk-balanced", "hyperdisk-balanced"]);
    assert.deepEqual(types("a3-ultragpu-8g"), ["hyperdisk-balanced", "hyperdisk-balanced"]);
    assert.deepEqual(types("a4-highgpu-8g"), ["hyperdisk-balanced", "hyperdisk-balanced"]);
  });

  it("retains the disks, binds in the pod's zone and grows in place", () => {
    const args = storageClassArgs("echo", "hyperdisk-balanced", { "app.kubernetes.io/name": "echo" });
    assert.deepEqual(args, {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "runway-echo-hyperdisk-balanced", labels: { "app.kubernetes.io/name": "echo" } },
      provisioner: "pd.csi.storage.gke.io",
      parameters: { type: "hyperdisk-balanced" },
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
    validateObject(STORAGE_CLASS, args);
  });
});

describe("GKE disk volumes: the ScaledObject", () => {
  it("targets the StatefulSet with a disk, and keeps the Deployment's reference without", () => {
    const input = {
      service: serviceOf({}),
      serving: { coldStartSeconds: 600, coldStartResponse: "hold" as const, scaleDownSeconds: 300 },
      namespace: "echo",
      labels: {},
    };
    const stateful = scaledObjectArgs({ ...input, statefulSet: true }) as unknown as {
      spec: { scaleTargetRef: unknown };
    };
    assert.deepEqual(stateful.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "StatefulSet", name: "echo" });
    validateCustomResource(SCALER, stateful);
    const plain = scaledObjectArgs(input) as unknown as { spec: { scaleTargetRef: unknown } };
    assert.deepEqual(plain.spec.scaleTargetRef, { name: "echo" });
  });
});

describe("GKE disk volumes on the prod stack (mock runtime)", () => {
  it("registers a StatefulSet instead of the Deployment, its StorageClass and a protected BackupPlan", async () => {
    const inventory = await runStack(prod({ data: { ...DATA, backup: { schedule: "0 3 * * *" } } }), "prod");
    validateKubernetesObjects(inventory);
    assert.deepEqual(
      inventory.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name.startsWith("echo-")),
      [],
    );
    const set = find(inventory, STATEFUL_SET, "echo-statefulset");
    assert.equal((set.inputs as { spec: { serviceName: string } }).spec.serviceName, "echo");
    const storageClass = find(inventory, STORAGE_CLASS, "echo-disk-pd-balanced");
    assert.equal(storageClass.protect, true);
    assert.deepEqual((storageClass.inputs as { metadata: { name: string } }).metadata.name, "runway-echo-pd-balanced");
    const scaler = find(inventory, SCALER, "echo-scaler").inputs as { spec: { scaleTargetRef: unknown } };
    assert.deepEqual(scaler.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "StatefulSet", name: "echo" });
    const plan = find(inventory, BACKUP_PLAN, "echo-backup");
    assert.equal(plan.protect, true);
    assert.deepEqual(plan.inputs, {
      name: "echo-prod-disks",
      project: "placeholder-project",
      location: "us-central1",
      cluster: "echo-cluster-id",
      backupConfig: { selectedNamespaces: { namespaces: ["echo"] }, includeVolumeData: true, includeSecrets: false },
      backupSchedule: { cronSchedule: "0 3 * * *" },
      retentionPolicy: { backupRetainDays: 30 },
    });
    const cluster = find(inventory, "gcp:container/cluster:Cluster", "echo-cluster").inputs;
    assert.deepEqual(cluster.addonsConfig, { gkeBackupAgentConfig: { enabled: true } });
  });

  it("protects nothing without runway:protect, and builds no plan without a backup", async () => {
    const inventory = await runStack(
      prod({ data: DATA }, { "runway:protect": "false", "runway:gke": stackGkeWithout("deletionProtection") }),
      "prod",
    );
    assert.equal(find(inventory, STORAGE_CLASS, "echo-disk-pd-balanced").protect ?? false, false);
    assert.deepEqual(
      inventory.resources.filter((r) => r.type === BACKUP_PLAN),
      [],
    );
    assert.equal("addonsConfig" in find(inventory, "gcp:container/cluster:Cluster", "echo-cluster").inputs, false);
  });

  it("takes Hyperdisk Balanced on A4 nodes, for either class", async () => {
    const inventory = await runStack(onA4(prod({ data: { ...DATA, class: "ssd" } })), "prod");
    validateKubernetesObjects(inventory);
    const claims = (
      find(inventory, STATEFUL_SET, "echo-statefulset").inputs as {
        spec: { volumeClaimTemplates: { spec: { storageClassName: string } }[] };
      }
    ).spec.volumeClaimTemplates.map((t) => t.spec.storageClassName);
    assert.deepEqual(claims, ["runway-echo-hyperdisk-balanced"]);
    const storageClass = find(inventory, STORAGE_CLASS, "echo-disk-hyperdisk-balanced").inputs as {
      parameters: unknown;
    };
    assert.deepEqual(storageClass.parameters, { type: "hyperdisk-balanced" });
  });
});

/** prod's runway:gke without one of its keys. */
function stackGkeWithout(key: string): string {
  const gke = JSON.parse(stackConfig("prod")["runway:gke"] ?? "{}") as Record<string, unknown>;
  delete gke[key];
  return JSON.stringify(gke);
}

describe("GKE disk volumes: the cluster's backup agent and the API", () => {
  const args = (fields: Raw) =>
    clusterArgs(
      "acme-dev",
      resolveGke(serviceOf(fields), undefined, "us-central1"),
      clusterNames("infer"),
      { network: "net", subnetwork: "sub", nodeServiceAccount: "nodes@acme-dev.iam.gserviceaccount.com" },
      undefined,
    );

  it("enables the agent only with a disk backup, beside the FUSE driver when both are needed", () => {
    const backup = { data: { ...DATA, backup: { schedule: "0 3 * * *" } } };
    assert.deepEqual(args({ volumes: backup }).addonsConfig, { gkeBackupAgentConfig: { enabled: true } });
    assert.equal("addonsConfig" in args({ volumes: { data: DATA } }), false);
    assert.deepEqual(
      args({ volumes: { ...backup, models: { kind: "gcs", bucket: "acme-models", mountPath: "/models" } } })
        .addonsConfig,
      { gcsFuseCsiDriverConfig: { enabled: true }, gkeBackupAgentConfig: { enabled: true } },
    );
  });

  it("enables gkebackup.googleapis.com only with a disk backup", () => {
    assert.deepEqual(gkeServiceApis(serviceOf({ volumes: { data: { ...DATA, backup: { schedule: "0 3 * * *" } } } })), [
      "iam.googleapis.com",
      "gkebackup.googleapis.com",
    ]);
    assert.deepEqual(gkeServiceApis(serviceOf({ volumes: { data: DATA } })), ["iam.googleapis.com"]);
  });

  it("refuses a disk backup without a cluster to name", async () => {
    await assert.rejects(
      runUnderMocks(
        () => {
          const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
          new KubernetesService("echo", {
            project: "acme-dev",
            service: serviceOf({ volumes: { data: { ...DATA, backup: { schedule: "0 3 * * *" } } } }),
            image: IMAGE,
            provider,
          });
          return {};
        },
        { config: { "gcp:project": "acme-dev", "gcp:region": "us-central1" } },
      ),
      /cluster: is required for a disk backup: its Backup for GKE plan names the cluster/,
    );
  });
});

describe("GKE disk volumes: rules", () => {
  const stack = (volumes: Raw, service: Raw = {}): Raw => ({
    "gcp:project": "acme-dev",
    "gcp:region": "us-central1",
    "runway:target": "gke",
    "runway:service": { name: "echo", memory: "1Gi", volumes, ...service },
  });

  it("accepts a disk volume", () => {
    assert.equal(validConfig(stack({ data: DATA })).decision.target, "gke");
  });

  it("refuses sizes outside a disk type's limits", () => {
    assert.deepEqual(problemsOf(stack({ data: { ...DATA, size: "5Gi" }, big: { ...DATA, size: "65Ti" } })), [
      "runway:service.volumes.big.size: 65Ti is outside what a pd-balanced disk holds, 10Gi to 64Ti",
      "runway:service.volumes.data.size: 5Gi is outside what a pd-balanced disk holds, 10Gi to 64Ti",
    ]);
  });

  it("holds a Hyperdisk to its own limits and says why the disk is one", () => {
    assert.deepEqual(problemsOf(onA4(prod({ data: { ...DATA, size: "3Gi" } }))), [
      "runway:service.volumes.data.size: 3Gi is outside what a hyperdisk-balanced disk holds, 4Gi to 64Ti (a4-highgpu-8g nodes take only Hyperdisk)",
    ]);
    assert.deepEqual(problemsOf(onA4(prod({ data: { ...DATA, size: "4Gi" } }))), []);
  });

  it("refuses a schedule GKE cannot read, and different backups", () => {
    assert.deepEqual(
      problemsOf(
        stack({
          data: { ...DATA, backup: { schedule: "61 3 * * MON" } },
          logs: { ...DATA, mountPath: "/logs", backup: { schedule: "0 4 * 13 *", retainDays: 7 } },
        }),
      ),
      [
        "runway:service.volumes: the disk volumes have different backups (data: 61 3 * * MON kept 30 days, logs: 0 4 * 13 * kept 7 days); one Backup for GKE plan backs up every disk of the namespace, so give them all the same backup",
        'runway:service.volumes.data.backup.schedule: "61 3 * * MON" has an invalid minute field; use unix-cron fields such as "0 3 * * *" (minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-7)',
        'runway:service.volumes.logs.backup.schedule: "0 4 * 13 *" has an invalid month field; use unix-cron fields such as "0 3 * * *" (minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-7)',
      ],
    );
    assert.deepEqual(
      problemsOf(stack({ data: { ...DATA, backup: { schedule: "*/15 0-6 1,15 JAN-JUN MON-FRI" } } })),
      [],
    );
  });

  it("refuses a release with disks", () => {
    assert.deepEqual(problemsOf(stack({ data: DATA }, { release: { stable: `sha256:${"b".repeat(64)}` } })), [
      "runway:service.release.stable: a release with disk volumes: the stable image would need disks of its own (a second StatefulSet with its own claims), which runway does not build; deploy one image at a time",
    ]);
  });

  it("refuses a disk class the schema does not know", () => {
    assert.deepEqual(problemsOf(stack({ data: { ...DATA, class: "extreme" } })), [
      "runway:service.volumes.data.class: must be one of balanced, ssd",
    ]);
  });

  it("says each replica keeps its own disk", () => {
    assert.ok(
      gkeDifferences(serviceOf({ volumes: { data: DATA } })).includes(
        "each replica has its own disk; scale to zero keeps the disks (they bill while no pod runs), and a zonal disk pins its replica to the disk's zone",
      ),
    );
  });
});

describe("GKE disk volumes: cost", () => {
  const lines = (config: Record<string, string>) =>
    estimateMonthlyCost(validConfig(config)).idle.lines.filter((l) => /^(Disk|Backup for GKE)/.test(l.item));

  it("bills maxInstances disks at the type's $/GiB-month", () => {
    const got = lines(prod({ data: DATA, fast: { ...DATA, mountPath: "/fast", size: "50Gi", class: "ssd" } }));
    assert.deepEqual(
      got.map((l) => [l.item, l.usd, l.basis]),
      [
        ["Disk data: 3 × 100Gi pd-balanced", 30, "3 replicas × 100 GiB × $0.1/GiB-month"],
        ["Disk fast: 3 × 50Gi pd-ssd", 25.5, "3 replicas × 50 GiB × $0.17/GiB-month"],
      ],
    );
  });

  it("leaves Hyperdisk Balanced and Backup for GKE unknown", () => {
    const got = lines(onA4(prod({ data: { ...DATA, backup: { schedule: "0 3 * * *" } } })));
    assert.deepEqual(
      got.map((l) => [l.item, l.usd, l.basis]),
      [
        [
          "Disk data: 3 × 100Gi hyperdisk-balanced",
          undefined,
          "no price for hyperdisk-balanced capacity in runway's table (facts/prices.ts)",
        ],
        [
          "Backup for GKE: up to 3 protected pods",
          undefined,
          "no price for Backup for GKE's backup management per pod in runway's table (facts/prices.ts)",
        ],
        [
          "Backup for GKE: backup storage",
          undefined,
          "no price for Backup for GKE's backup storage per GiB in runway's table (facts/prices.ts)",
        ],
      ],
    );
  });
});
