/**
 * Volumes on GKE: the pod's volumes and mounts, the FUSE driver and its sidecar, the bucket grants and the rules.
 * Expected values are written by hand from the description.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import { bucketGrants, deploymentArgs, secretProviderClassArgs } from "../../../components/targets/gke/workload-spec";
import { podRequests, resolveGke } from "../../../components/targets/gke/sizing";
import { gkeServiceProblems } from "../../../components/targets/gke/rules";
import { clusterArgs, clusterNames } from "../../../components/targets/gke/cluster-spec";
import { find, findInputs } from "../../helpers/inventory";
import { kubernetesServiceInventory } from "../../helpers/gke-service";
import { validateKubernetesObjects, validateObject } from "../../helpers/kubernetes-schemas";
import { problemsOf, type Raw } from "../../helpers/config";

const IMAGE = "us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:" + "a".repeat(64);
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SPC = "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass";

const VOLUMES = {
  models: {
    kind: "gcs",
    bucket: "acme-models",
    mountPath: "/models",
    readOnly: true,
    mountOptions: ["implicit-dirs", "uid=65532"],
  },
  uploads: { kind: "gcs", bucket: "acme-uploads", mountPath: "/uploads" },
  scratch: { kind: "memory", size: "256Mi", mountPath: "/scratch" },
  config: { kind: "secret", secret: "app-config:3", mountPath: "/etc/app", file: "config.json" },
};
const NFS = {
  shared: { kind: "nfs", server: "10.0.0.2", path: "/exports/shared", mountPath: "/shared", readOnly: true },
};

const serviceOf = (fields: Raw) => serviceSchema.parse({ name: "echo", memory: "1Gi", ...fields });

type Pod = {
  metadata: { annotations?: Record<string, string> };
  spec: { containers: { volumeMounts: unknown[] }[]; volumes: unknown[] };
};
function podOf(fields: Raw, podSecurity: "restricted" | "baseline" = "restricted"): Pod {
  const args = deploymentArgs({
    service: serviceOf(fields),
    namespace: "echo",
    project: "acme-dev",
    image: IMAGE,
    rolloutDeadlineSeconds: 600,
    podSecurity,
  }) as unknown as { spec: { template: Pod } };
  return args.spec.template;
}

describe("GKE volumes: the pod", () => {
  it("maps gcs to the FUSE CSI driver, memory to a memory emptyDir and secret to a file of the secrets volume", () => {
    const pod = podOf({ volumes: VOLUMES });
    assert.deepEqual(pod.metadata.annotations, { "gke-gcsfuse/volumes": "true" });
    assert.deepEqual(pod.spec.volumes, [
      { name: "tmp", emptyDir: {} },
      {
        name: "secrets",
        csi: {
          driver: "secrets-store-gke.csi.k8s.io",
          readOnly: true,
          volumeAttributes: { secretProviderClass: "echo" },
        },
      },
      {
        name: "models",
        csi: {
          driver: "gcsfuse.csi.storage.gke.io",
          readOnly: true,
          volumeAttributes: { bucketName: "acme-models", mountOptions: "implicit-dirs,uid=65532" },
        },
      },
      { name: "scratch", emptyDir: { medium: "Memory", sizeLimit: "256Mi" } },
      {
        name: "uploads",
        csi: {
          driver: "gcsfuse.csi.storage.gke.io",
          readOnly: false,
          volumeAttributes: { bucketName: "acme-uploads" },
        },
      },
    ]);
    assert.deepEqual(pod.spec.containers[0]?.volumeMounts, [
      { name: "tmp", mountPath: "/tmp" },
      { name: "secrets", mountPath: "/etc/app/config.json", subPath: "config.config.json", readOnly: true },
      { name: "models", mountPath: "/models", readOnly: true },
      { name: "scratch", mountPath: "/scratch" },
      { name: "uploads", mountPath: "/uploads", readOnly: false },
    ]);
    validateObject(
      DEPLOYMENT,
      deploymentArgs({
        service: serviceOf({ volumes: VOLUMES }),
        namespace: "echo",
        project: "acme-dev",
        image: IMAGE,
        rolloutDeadlineSeconds: 600,
      }),
    );
  });

  it("maps nfs to an nfs volume (baseline) and validates against the upstream schema", () => {
    const pod = podOf({ volumes: NFS }, "baseline");
    assert.deepEqual(pod.spec.volumes, [
      { name: "tmp", emptyDir: {} },
      { name: "shared", nfs: { server: "10.0.0.2", path: "/exports/shared", readOnly: true } },
    ]);
    assert.equal(pod.metadata.annotations, undefined);
    validateObject(DEPLOYMENT, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "echo" },
      spec: { selector: {}, template: pod },
    });
  });

  it("lists the secret volume's file in the pod's SecretProviderClass", () => {
    const spc = secretProviderClassArgs(serviceOf({ volumes: VOLUMES }), "echo", "acme-dev") as unknown as {
      spec: { parameters: { secrets: string } };
    };
    assert.equal(
      spc.spec.parameters.secrets,
      '- resourceName: "projects/acme-dev/secrets/app-config/versions/3"\n  path: "config.config.json"\n',
    );
  });

  it("grants objectViewer on a read-only bucket and objectUser on a writable one", () => {
    assert.deepEqual(bucketGrants(serviceOf({ volumes: VOLUMES })), [
      { volume: "models", bucket: "acme-models", role: "roles/storage.objectViewer" },
      { volume: "uploads", bucket: "acme-uploads", role: "roles/storage.objectUser" },
    ]);
  });

  it("counts the FUSE sidecar's 250m / 256Mi in the pod's requests", () => {
    assert.deepEqual(podRequests(serviceOf({ cpu: "1", memory: "1Gi", volumes: VOLUMES })), {
      cpu: 1.25,
      memoryMiB: 1280,
    });
    assert.deepEqual(podRequests(serviceOf({ cpu: "1", memory: "1Gi" })), { cpu: 1, memoryMiB: 1024 });
  });

  it("enables the cluster's FUSE driver add-on only for a service with a gcs volume", () => {
    const args = (fields: Raw) =>
      clusterArgs(
        "acme-dev",
        resolveGke(serviceOf(fields), undefined, "us-central1"),
        clusterNames("infer"),
        {
          network: "net",
          subnetwork: "sub",
          nodeServiceAccount: "nodes@acme-dev.iam.gserviceaccount.com",
        },
        undefined,
      );
    assert.deepEqual(args({ volumes: VOLUMES }).addonsConfig, { gcsFuseCsiDriverConfig: { enabled: true } });
    assert.equal("addonsConfig" in args({}), false);
  });
});

describe("GKE volumes under the mock runtime", () => {
  it("registers valid objects, the bucket grants and the secret class", async () => {
    const inventory = await kubernetesServiceInventory(serviceOf({ volumes: VOLUMES }), IMAGE);
    validateKubernetesObjects(inventory);
    const grant = (volume: string) =>
      find(inventory, "gcp:storage/bucketIAMMember:BucketIAMMember", `echo-bucket-${volume}`).inputs;
    assert.equal(grant("models").bucket, "acme-models");
    assert.equal(grant("models").role, "roles/storage.objectViewer");
    assert.match(String(grant("models").member), /^serviceAccount:.+@acme-dev\.iam\.gserviceaccount\.com$/);
    assert.equal(grant("uploads").role, "roles/storage.objectUser");
    assert.ok(findInputs(inventory, SPC, "echo-secrets"));
  });
});

describe("GKE volumes: rules", () => {
  const stack = (service: Raw, gke: Raw = {}): Raw => ({
    "gcp:project": "acme-dev",
    "gcp:region": "us-central1",
    "runway:target": "gke",
    "runway:service": { name: "echo", ...service },
    "runway:gke": gke,
  });

  it("refuses an nfs volume under the restricted Pod Security Standard, and takes it under baseline", () => {
    assert.deepEqual(problemsOf(stack({ volumes: NFS })), [
      "runway:service.volumes.shared: an NFS volume: GKE's restricted Pod Security Standard (runway:gke.podSecurity, the default) allows only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes; set runway:gke.podSecurity: baseline",
    ]);
    assert.deepEqual(problemsOf(stack({ volumes: NFS }, { podSecurity: "baseline" })), []);
  });

  it("judges a KubernetesService's nfs volume by its own podSecurity argument, not the cluster's", () => {
    const nfs = serviceOf({ volumes: NFS });
    assert.deepEqual(
      gkeServiceProblems(nfs, "echo", undefined, { podSecurity: "baseline", coldStartResponse: "hold" }),
      [],
    );
    assert.deepEqual(
      gkeServiceProblems(nfs, "echo", undefined, { podSecurity: "restricted", coldStartResponse: "hold" }).map(
        (p) => p.path,
      ),
      ["runway:service.volumes.shared"],
    );
  });

  it("refuses memory volumes that take the app's memory", () => {
    assert.deepEqual(
      problemsOf(stack({ memory: "256Mi", volumes: { s: { kind: "memory", size: "256Mi", mountPath: "/s" } } })),
      [
        "runway:service.volumes: the memory volumes (s 256Mi = 256Mi) must stay below the app's memory (256Mi): what they hold counts against it; raise runway:service.memory or shrink the volumes",
      ],
    );
  });

  it("refuses a volume named like the pod's own", () => {
    assert.deepEqual(problemsOf(stack({ volumes: { tmp: { kind: "memory", size: "64Mi", mountPath: "/scratch" } } })), [
      "runway:service.volumes.tmp: the name tmp is the pod's own volume on GKE; use another name (reserved: tmp, secrets)",
    ]);
  });

  it("counts the FUSE sidecar when a GPU machine is too small", () => {
    const app = { cpu: "3", memory: "11Gi", gpu: { type: "nvidia-l4" } };
    const pool = { gpuPool: { machineType: "g2-standard-4" } };
    assert.deepEqual(problemsOf(stack(app, pool)), []);
    assert.deepEqual(problemsOf(stack({ ...app, volumes: { models: VOLUMES.models } }, pool)), [
      "runway:gke.gpuPool.machineType: g2-standard-4 cannot hold cpu 3.25 / memory 11520Mi (app + Cloud Storage FUSE sidecar): a pod may request at most 3.19 vCPU and 11.9Gi memory there",
    ]);
  });
});
