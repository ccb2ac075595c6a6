/**
 * Pure translation of the validated service description into the Kubernetes objects runway creates on
 * GKE: namespace, service account, SecretProviderClass, Deployment (a StatefulSet and its StorageClasses with disk
 * volumes), Service, NetworkPolicies, PodDisruptionBudget and the disks' Backup for GKE plan. Every builder returns a complete manifest (apiVersion and kind included), so tests
 * can check it against the upstream Kubernetes OpenAPI schema with kubernetes-models.
 */
import type * as gcp from "@pulumi/gcp";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  DRAIN_MARGIN_SECONDS,
  drainEnv,
  parseSecretRef,
  probes,
  readinessPath,
  sidecarStartupProbe,
} from "../../workload/contract";
import type { PodSecurity, ServiceConfig, SidecarConfig } from "../../config/schema";
import type { ReleaseName, ReleaseTags } from "../../workload/release";
import { namedVolumes, secretVolumeFile, volumesOf, type NamedVolume } from "../../workload/volumes";
import { INTERCEPTOR_SELECTOR, KEDA_NAMESPACE, releaseObjectName } from "./keda";
import { COMPUTE_CLASS_LABEL, GPU_COMPUTE_CLASS } from "./cluster-spec";
import { dataDiskType, type DataDiskType } from "../../facts/disks";

/** How containers share a GPU; must match the node pool's gpu_sharing_config. */
export interface GpuSharing {
  /** How containers share one GPU. Required. */
  readonly strategy: "TIME_SHARING" | "MPS";
  /** Containers per physical GPU. Required. */
  readonly maxSharedClients: number;
}

/**
 * The label that selects a release's pods. Selectors of a Deployment are immutable, so it holds only the name: the
 * candidate's is the service's name, as before releases existed, and the stable image's pods carry another value
 * (`<name>-stable`, keda.ts releaseObjectName), so the candidate's Deployment, Service and PodDisruptionBudget never
 * select them, nor the stable image's the candidate's pods.
 */
export function selectorLabels(service: ServiceConfig, release: ReleaseName = "candidate"): Record<string, string> {
  return { "app.kubernetes.io/name": releaseObjectName(service, release) };
}

/** The label that tells the stable image's objects and pods from the candidate's. */
export const RELEASE_LABEL = "runway.dev/release";

/**
 * Labels on every object and pod: the service's labels plus the selector label
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). The stable image's also carry
 * RELEASE_LABEL; the candidate's keep the labels they had without a release, since a change to its pod template would
 * roll the candidate's pods whenever a stable image is added or removed.
 */
export function objectLabels(service: ServiceConfig, release: ReleaseName = "candidate"): Record<string, string> {
  return {
    ...service.labels,
    ...selectorLabels(service, release),
    ...(release === "stable" && { [RELEASE_LABEL]: release }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Identity

/**
 * The Workload Identity principal of a Kubernetes service account, which is granted
 * roles/iam.workloadIdentityUser on the GCP service account it acts as:
 * `serviceAccount:PROJECT_ID.svc.id.goog[NAMESPACE/KSA_NAME]`
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity). The pool is the cluster
 * project's; runway puts the cluster and the service in the same project.
 */
export function workloadIdentityMember(project: string, namespace: string, serviceAccount: string): string {
  return `serviceAccount:${project}.svc.id.goog[${namespace}/${serviceAccount}]`;
}

/**
 * The Kubernetes service account itself as an IAM principal (Workload Identity Federation for GKE). Google's page
 * for the Secret Manager add-on grants secret access to this principal rather than to an impersonated account
 * (https://cloud.google.com/secret-manager/docs/secret-manager-managed-csi-component).
 */
export function kubernetesPrincipal(
  projectNumber: string,
  project: string,
  namespace: string,
  serviceAccount: string,
): string {
  return (
    `principal://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/` +
    `${project}.svc.id.goog/subject/ns/${namespace}/sa/${serviceAccount}`
  );
}

/**
 * The namespace, with a Pod Security Standard enforced (runway:gke.podSecurity, default "restricted") so that
 * the API server itself refuses a pod spec that loses any of the hardening below
 * (https://kubernetes.io/docs/concepts/security/pod-security-admission/).
 */
export function namespaceArgs(
  service: ServiceConfig,
  namespace: string,
  podSecurity: PodSecurity = "restricted",
): k8s.core.v1.NamespaceArgs {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: namespace,
      labels: { ...objectLabels(service), "pod-security.kubernetes.io/enforce": podSecurity },
    },
  };
}

/**
 * The Kubernetes service account, linked to the GCP service account by the `iam.gke.io/gcp-service-account`
 * annotation (https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity). Its API token is not
 * mounted: Google credentials come from the GKE metadata server, not from the KSA token (Google's own
 * workload-identity Terraform module defaults `automount_service_account_token` to false,
 * terraform-google-modules/terraform-google-kubernetes-engine modules/workload-identity), and the service
 * never calls the Kubernetes API.
 */
export function serviceAccountArgs(
  service: ServiceConfig,
  namespace: pulumi.Input<string>,
  gcpServiceAccountEmail: pulumi.Input<string>,
): k8s.core.v1.ServiceAccountArgs {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: service.name,
      namespace,
      labels: objectLabels(service),
      annotations: { "iam.gke.io/gcp-service-account": gcpServiceAccountEmail },
    },
    automountServiceAccountToken: false,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Secrets
//
// On Kubernetes an environment variable can only take a secret's value from a Secret object
// (`valueFrom.secretKeyRef`), and a Secret holds the plaintext in etcd and in whatever manifest or Pulumi
// state created it. Cloud Run resolves `secretKeyRef` against Secret Manager itself, so there the variable
// holds the value and nothing else stores it. On GKE runway uses the Secret Manager add-on instead: the CSI
// driver fetches each version with the pod's Workload Identity when the pod starts and writes it to an
// in-memory volume; the container gets `<NAME>_FILE` pointing at the file, and no value passes through
// runway, the manifests or the state. The add-on derives from the open-source Secrets Store CSI driver and
// Google Secret Manager provider, and does not sync to Secret objects
// (https://cloud.google.com/secret-manager/docs/secret-manager-managed-csi-component). Its names differ from
// the open-source provider's: `provider: gke` and driver `secrets-store-gke.csi.k8s.io`, where the
// open-source ones are `gcp` and `secrets-store.csi.k8s.io` (docs.stakater.com/reloader/main/integrations/
// gcp/gcp-csi.html compares both; public GKE manifests use the same names). The provider authenticates as
// "the workload identity of the pod that a secret is mounted onto"
// (GoogleCloudPlatform/secrets-store-csi-driver-provider-gcp README), i.e. the GCP service account the KSA
// is annotated with.

/** Where the secrets volume is mounted. */
export const SECRETS_MOUNT_PATH = "/run/secrets/runway";
/** The Secrets Store CSI driver that GKE's Secret Manager add-on installs. */
export const SECRETS_CSI_DRIVER = "secrets-store-gke.csi.k8s.io";
/** The API version of the add-on's SecretProviderClass custom resource. */
export const SECRET_PROVIDER_CLASS_API_VERSION = "secrets-store.csi.x-k8s.io/v1";

/** One secret version mounted as a file named after the variable it replaces. */
export interface SecretMount {
  /** The variable name from service.secrets, also the file name; for a secret volume, the volume's name. */
  readonly env: string;
  /** projects/PROJECT/secrets/ID/versions/VERSION */
  readonly resourceName: string;
  /** The file name in the volume. Default: env (the app's secrets); a sidecar's are `<sidecar>-<ENV>`. */
  readonly path?: string;
}

/** The service's secrets as Secret Manager version resources, sorted by variable name. */
export function secretMounts(service: ServiceConfig, project: string): SecretMount[] {
  return Object.entries(service.secrets)
    .map(([env, ref]) => {
      const { secretId, version } = parseSecretRef(ref);
      return { env, resourceName: `projects/${project}/secrets/${secretId}/versions/${version}` };
    })
    .sort((a, b) => a.env.localeCompare(b.env));
}

/**
 * A sidecar's secrets, in the same volume as the app's under `<sidecar>-<ENV>`: a sidecar name has no "_" and a
 * variable name no "-", so the files cannot clash with the app's (named after their variables) or another
 * sidecar's. The pod has one SecretProviderClass, so every container that mounts the volume sees all its files.
 */
export function sidecarSecretMounts(sidecar: SidecarConfig, project: string): SecretMount[] {
  return Object.entries(sidecar.secrets)
    .map(([env, ref]) => {
      const { secretId, version } = parseSecretRef(ref);
      return {
        env,
        resourceName: `projects/${project}/secrets/${secretId}/versions/${version}`,
        path: `${sidecar.name}-${env}`,
      };
    })
    .sort((a, b) => a.env.localeCompare(b.env));
}

/**
 * A secret volume's file in the pod's secrets volume, `<volume>.<file>`: volume, sidecar and variable names have no
 * ".", so the name cannot clash with the app's files, a sidecar's (`<sidecar>-<ENV>`) or another volume's. The app
 * container mounts just that file at `<mountPath>/<file>` (secretVolumeMount).
 */
export function volumeSecretMount(volume: NamedVolume<"secret">, project: string): SecretMount {
  const { secretId, version } = parseSecretRef(volume.secret);
  return {
    env: volume.name,
    resourceName: `projects/${project}/secrets/${secretId}/versions/${version}`,
    path: `${volume.name}.${secretVolumeFile(volume)}`,
  };
}

/** Every file of the pod's secrets volume: the app's, then each sidecar's in order, then the secret volumes'. */
export function podSecretMounts(service: ServiceConfig, project: string): SecretMount[] {
  return [
    ...secretMounts(service, project),
    ...service.sidecars.flatMap((sidecar) => sidecarSecretMounts(sidecar, project)),
    ...volumesOf(service, "secret").map((volume) => volumeSecretMount(volume, project)),
  ];
}

/**
 * The add-on's `parameters.secrets` text: a YAML list of `resourceName`/`path` pairs. Values are written as
 * JSON strings, which are valid YAML double-quoted scalars.
 */
export function secretsParameter(mounts: readonly SecretMount[]): string {
  return mounts
    .map((m) => `- resourceName: ${JSON.stringify(m.resourceName)}\n  path: ${JSON.stringify(m.path ?? m.env)}\n`)
    .join("");
}

/** The SecretProviderClass naming the secret versions the pod mounts; it holds references only. */
export function secretProviderClassArgs(
  service: ServiceConfig,
  namespace: pulumi.Input<string>,
  project: string,
): k8s.apiextensions.CustomResourceArgs {
  return {
    apiVersion: SECRET_PROVIDER_CLASS_API_VERSION,
    kind: "SecretProviderClass",
    metadata: { name: service.name, namespace, labels: objectLabels(service) },
    spec: { provider: "gke", parameters: { secrets: secretsParameter(podSecretMounts(service, project)) } },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Pods

/**
 * Seconds the container keeps serving after the pod is marked for deletion and before it gets SIGTERM.
 * Endpoint removal and SIGTERM happen at the same time (app/README.md), so the pause lets kube-proxy and
 * the load balancer stop sending new connections first. The image is distroless, with no `sleep` binary for
 * an exec hook, so this uses the lifecycle `sleep` action (KEP-3960: beta and on by default since
 * Kubernetes 1.30, GA in 1.34, https://www.kubernetes.dev/resources/keps/3960/).
 */
export const PRE_STOP_SLEEP_SECONDS = 5;
/**
 * "The Pod's termination grace period countdown begins before the PreStop hook is executed"
 * (core/v1 Lifecycle.preStop API doc), so the grace period covers the pause, the app's drain
 * (service.drainSeconds, which the app reads as SHUTDOWN_DEADLINE_MS) and a margin before the kubelet sends SIGKILL.
 */
export function terminationGracePeriodSeconds(service: ServiceConfig): number {
  return PRE_STOP_SLEEP_SECONDS + service.drainSeconds + DRAIN_MARGIN_SECONDS;
}

/** A container variable with a plain name, so variables can be keyed and sorted by it. */
type EnvVar = k8s.types.input.core.v1.EnvVar & { readonly name: string };

/** What the app's contract expects from the platform (app/README.md), from the downward API where per pod. */
function platformEnv(service: ServiceConfig, project: string): EnvVar[] {
  const field = (fieldPath: string) => ({ valueFrom: { fieldRef: { fieldPath } } });
  return [
    { name: "PORT", value: String(service.port) },
    drainEnv(service),
    // Cloud Logging links request logs to traces only with the project (app/README.md).
    { name: "GOOGLE_CLOUD_PROJECT", value: project },
    { name: "POD_NAME", ...field("metadata.name") },
    { name: "POD_NAMESPACE", ...field("metadata.namespace") },
    { name: "NODE_NAME", ...field("spec.nodeName") },
  ];
}

/**
 * The container's variables, sorted by name so the pod template does not change with key order:
 * the platform's, then service.env (which wins on a clash; PORT is reserved by workload/rules.ts), then
 * `<NAME>_FILE` paths for the secrets.
 */
export function containerEnv(service: ServiceConfig, project: string): EnvVar[] {
  const byName = new Map<string, EnvVar>();
  for (const variable of platformEnv(service, project)) byName.set(variable.name, variable);
  for (const [name, value] of Object.entries(service.env)) byName.set(name, { name, value });
  for (const { env } of secretMounts(service, project)) {
    byName.set(`${env}_FILE`, { name: `${env}_FILE`, value: `${SECRETS_MOUNT_PATH}/${env}` });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Requests equal limits for CPU and memory, so a pod gets exactly what GKE sizing (sizing.ts) planned
 * for and the Guaranteed QoS class; the HPA's CPU utilization is measured against these requests. GPUs are
 * extended resources, requested by count.
 */
export function containerResources(service: ServiceConfig): Record<string, string> {
  const resources: Record<string, string> = { cpu: service.cpu, memory: service.memory };
  if (service.gpu) resources["nvidia.com/gpu"] = String(service.gpu.count);
  return resources;
}

/** The taint runway's GPU pool carries (gcp-facts §3.3: set explicitly, since GKE adds it only sometimes). */
export const GPU_TOLERATION = {
  key: "nvidia.com/gpu",
  operator: "Equal",
  value: "present",
  effect: "NoSchedule",
} as const;

/** The taint that binds the GPU pool to its ComputeClass (cluster-spec.ts COMPUTE_CLASS_TAINT). */
export const COMPUTE_CLASS_TOLERATION = {
  key: COMPUTE_CLASS_LABEL,
  operator: "Equal",
  value: GPU_COMPUTE_CLASS,
  effect: "NoSchedule",
} as const;

/**
 * Node label values GKE sets for each sharing strategy ("time-sharing", "mps": GKE's cluster-autoscaler
 * label constants; https://cloud.google.com/kubernetes-engine/docs/how-to/timesharing-gpus).
 */
const SHARING_LABEL_VALUES: Record<GpuSharing["strategy"], string> = { TIME_SHARING: "time-sharing", MPS: "mps" };

/**
 * Puts GPU pods on GPU nodes: `cloud.google.com/gke-accelerator` selects the GPU type (gcp-facts §3.3), and
 * on shared GPUs `cloud.google.com/gke-gpu-sharing-strategy` and
 * `cloud.google.com/gke-max-shared-clients-per-gpu` select nodes shared the same way
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/timesharing-gpus). The pod also selects the pool's
 * ComputeClass (cluster-spec.ts GPU_COMPUTE_CLASS), whose consolidation delay decides when an empty GPU node goes.
 * The tolerations let the pod onto the tainted pool. GKE adds the class's toleration to pods that select it, but only
 * once the class exists; stating it keeps a pod admitted before the class schedulable. Without a GPU the pod runs on
 * the untainted system pool.
 */
export function gpuScheduling(
  service: ServiceConfig,
  sharing: GpuSharing | null | undefined,
  computeClass?: string,
): Pick<k8s.types.input.core.v1.PodSpec, "nodeSelector" | "tolerations"> {
  if (!service.gpu) {
    // On a CPU pool of a shared cluster (GpuClusterArgs.pools), its class; otherwise the untainted system pool.
    return computeClass
      ? { nodeSelector: { [COMPUTE_CLASS_LABEL]: computeClass }, tolerations: [computeClassToleration(computeClass)] }
      : {};
  }
  const nodeSelector: Record<string, string> = {
    "cloud.google.com/gke-accelerator": service.gpu.type,
    [COMPUTE_CLASS_LABEL]: computeClass ?? GPU_COMPUTE_CLASS,
  };
  if (sharing) {
    nodeSelector["cloud.google.com/gke-gpu-sharing-strategy"] = SHARING_LABEL_VALUES[sharing.strategy];
    nodeSelector["cloud.google.com/gke-max-shared-clients-per-gpu"] = String(sharing.maxSharedClients);
  }
  const classToleration = computeClass ? computeClassToleration(computeClass) : { ...COMPUTE_CLASS_TOLERATION };
  return { nodeSelector, tolerations: [{ ...GPU_TOLERATION }, classToleration] };
}

/** The toleration of a pool's ComputeClass taint (cluster-spec.ts computeClassName, extraPoolArgs). */
export function computeClassToleration(computeClass: string) {
  return { key: COMPUTE_CLASS_LABEL, operator: "Equal", value: computeClass, effect: "NoSchedule" } as const;
}

const HTTP_PORT_NAME = "http";

/**
 * The uid and gid pods run as under podSecurity "restricted": 65532, distroless's `nonroot` (the sample app's
 * `USER 65532:65532`, app/Dockerfile), so the sample image runs as it was built. Stating it satisfies scanners that
 * want a uid of 10000 or more outside the host's range (Checkov CKV_K8S_40, "Containers should run as a high UID to
 * avoid host conflict"), which the image's USER alone does not show in the manifest. It overrides the image's USER:
 * an image built for another uid runs as 65532 on GKE, while Cloud Run runs the image's USER (README, "What differs
 * between targets"). No fsGroup: the only volumes are an emptyDir (world-writable) and the read-only secrets, and
 * fsGroup would make the kubelet re-own the secrets volume in whatever way the add-on's CSI driver allows, which is
 * not documented for it. "baseline" sets none of these, so root images keep their user.
 */
export const RESTRICTED_IDS = { runAsUser: 65532, runAsGroup: 65532 } as const;

/** The container securityContext of every container in the pod (see deploymentArgs). */
function containerSecurityContext(restricted: boolean) {
  return {
    allowPrivilegeEscalation: false,
    ...(restricted && { readOnlyRootFilesystem: true, runAsNonRoot: true }),
    capabilities: { drop: ["ALL"] },
  };
}

/** A sidecar's variables: its plain env, then `<NAME>_FILE` paths for its secrets, sorted by name. */
export function sidecarEnv(sidecar: SidecarConfig, project: string): EnvVar[] {
  const byName = new Map<string, EnvVar>();
  for (const [name, value] of Object.entries(sidecar.env)) byName.set(name, { name, value });
  for (const { env, path } of sidecarSecretMounts(sidecar, project)) {
    byName.set(`${env}_FILE`, { name: `${env}_FILE`, value: `${SECRETS_MOUNT_PATH}/${path}` });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A sidecar container, hardened like the app's (same securityContext), requests equal to limits like the app's, no
 * ports, the pod's /tmp (the only writable path under a read-only root filesystem) and, with secrets, the secrets
 * volume. A start-first sidecar is a native sidecar: an init container with `restartPolicy: Always`, which the kubelet
 * starts in order and waits for ("started" once its startupProbe succeeds) before the next init container and the
 * app (stable since Kubernetes 1.33, https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/).
 */
export function sidecarContainerArgs(
  sidecar: SidecarConfig,
  project: string,
  restricted: boolean,
): k8s.types.input.core.v1.Container {
  const resources = { cpu: sidecar.cpu, memory: sidecar.memory };
  const env = sidecarEnv(sidecar, project);
  const startupProbe = sidecarStartupProbe(sidecar);
  const hasSecrets = Object.keys(sidecar.secrets).length > 0;
  return {
    name: sidecar.name,
    image: sidecar.image,
    ...(sidecar.startsFirst && { restartPolicy: "Always" }),
    ...(env.length > 0 && { env }),
    resources: { requests: resources, limits: resources },
    ...(startupProbe && { startupProbe }),
    securityContext: containerSecurityContext(restricted),
    volumeMounts: [
      { name: "tmp", mountPath: "/tmp" },
      ...(hasSecrets ? [{ name: "secrets", mountPath: SECRETS_MOUNT_PATH, readOnly: true }] : []),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Volumes

/** The Cloud Storage FUSE CSI driver GKE installs (https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/cloud-storage-fuse-csi-driver). */
export const GCS_FUSE_CSI_DRIVER = "gcsfuse.csi.storage.gke.io";

/**
 * The pod annotation on which the driver "automatically injects the sidecar container" that mounts the buckets
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-storage-fuse-csi-driver-sidecar).
 */
export const GCS_FUSE_ANNOTATION = { "gke-gcsfuse/volumes": "true" } as const;

/** The volume kinds this builder mounts; `disk` volumes are a StatefulSet's, not the Deployment's. */
type PodVolume = NamedVolume<"gcs" | "memory" | "nfs">;

/**
 * A pod volume: a bucket as a CSI ephemeral volume of the FUSE driver (its mountOptions one comma-separated
 * attribute, as the driver reads them), a memory-backed emptyDir capped at its size, an NFS export. Secret volumes are
 * files of the pod's secrets volume instead (volumeSecretMount).
 */
export function podVolume(volume: PodVolume): k8s.types.input.core.v1.Volume {
  const { name } = volume;
  switch (volume.kind) {
    case "gcs":
      return {
        name,
        csi: {
          driver: GCS_FUSE_CSI_DRIVER,
          readOnly: volume.readOnly,
          volumeAttributes: {
            bucketName: volume.bucket,
            ...(volume.mountOptions.length > 0 && { mountOptions: volume.mountOptions.join(",") }),
          },
        },
      };
    case "memory":
      return { name, emptyDir: { medium: "Memory", sizeLimit: volume.size } };
    case "nfs":
      return { name, nfs: { server: volume.server, path: volume.path, readOnly: volume.readOnly } };
  }
}

/** The app container's mounts of the service's volumes, by volume name. */
function volumeMounts(service: ServiceConfig, project: string): k8s.types.input.core.v1.VolumeMount[] {
  return namedVolumes(service).flatMap((volume): k8s.types.input.core.v1.VolumeMount[] => {
    switch (volume.kind) {
      case "gcs":
      case "nfs":
        return [{ name: volume.name, mountPath: volume.mountPath, readOnly: volume.readOnly }];
      case "memory":
        return [{ name: volume.name, mountPath: volume.mountPath }];
      case "secret":
        return [
          {
            name: "secrets",
            mountPath: `${volume.mountPath}/${secretVolumeFile(volume)}`,
            subPath: volumeSecretMount(volume, project).path,
            readOnly: true,
          },
        ];
      // A disk is the StatefulSet's claim of the same name (statefulSetArgs volumeClaimTemplates), not a pod volume.
      case "disk":
        return [{ name: volume.name, mountPath: volume.mountPath }];
    }
  });
}

/**
 * The bucket role each gcs volume needs, for the workload's GCP service account (the pod's Workload Identity, which
 * the FUSE driver mounts with): "Storage Object Viewer (roles/storage.objectViewer)" to mount and read, "Storage Object
 * User (roles/storage.objectUser)" to also write (https://docs.cloud.google.com/storage/docs/cloud-storage-fuse/mount-bucket).
 */
export function bucketGrants(
  service: ServiceConfig,
): { readonly volume: string; readonly bucket: string; readonly role: string }[] {
  return volumesOf(service, "gcs").map((v) => ({
    volume: v.name,
    bucket: v.bucket,
    role: v.readOnly ? "roles/storage.objectViewer" : "roles/storage.objectUser",
  }));
}

/** The pod's volumes of the service's gcs, memory and nfs volumes. */
function podVolumes(service: ServiceConfig): k8s.types.input.core.v1.Volume[] {
  return namedVolumes(service)
    .filter((v): v is PodVolume => v.kind === "gcs" || v.kind === "memory" || v.kind === "nfs")
    .map(podVolume);
}

export interface DeploymentInput {
  /** The validated service description. Required. */
  readonly service: ServiceConfig;
  /** The namespace of the Deployment. Required. */
  readonly namespace: pulumi.Input<string>;
  /** The project, for GOOGLE_CLOUD_PROJECT and secret resource names. Required. */
  readonly project: string;
  /** The image, pinned by digest. Required. */
  readonly image: pulumi.Input<string>;
  /** The GPU pool's sharing. Default: none (whole GPUs). */
  readonly gpuSharing?: GpuSharing | null | undefined;
  /**
   * The ComputeClass of the pool the pods run on, which they select and tolerate. Default: with a GPU the `gpu` pool's
   * (GPU_COMPUTE_CLASS), without one none (the system pool).
   */
  readonly computeClass?: string | undefined;
  /**
   * How long a rollout may take before it counts as failed, in seconds: the cold start (runway:gke.coldStartSeconds).
   * Kubernetes' progressDeadlineSeconds and Pulumi's Deployment await both default to 10 minutes (@pulumi/kubernetes
   * apps/v1 Deployment doc), too short for a GPU node to boot, install its driver and pull a CUDA image. Required.
   */
  readonly rolloutDeadlineSeconds: number;
  /** The Pod Security Standard of the namespace (runway:gke.podSecurity). Default "restricted". */
  readonly podSecurity?: PodSecurity;
  /**
   * The release the pods run: the stable image's Deployment has its own name and selector (selectorLabels) and the
   * same pod spec otherwise. Default: the candidate.
   */
  readonly release?: ReleaseName;
}

/**
 * The Deployment. It has no `replicas`: KEDA owns the count (keda.ts), so `pulumi up` never resets what it
 * chose. Rolling updates add one pod before removing one (maxUnavailable 0, maxSurge 1), so capacity never
 * drops during a rollout; with a GPU that needs room for one more GPU pod (a second node or a shared GPU).
 * The pod and container security settings are the Pod Security Standard "restricted" profile
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/); the pod runs as the numeric
 * non-root uid and gid 65532 (RESTRICTED_IDS), which runAsNonRoot can verify, and the read-only root filesystem gets
 * a writable /tmp. Under "baseline" the pod drops runAsNonRoot, the uid and the read-only root filesystem, so root
 * images that write caches run; no privilege escalation, no capabilities and RuntimeDefault seccomp stay,
 * all of which baseline allows (it forbids only adding capabilities and an Unconfined seccomp profile).
 */
export function deploymentArgs(input: DeploymentInput): k8s.apps.v1.DeploymentArgs {
  const { service } = input;
  const release = input.release ?? "candidate";
  const labels = objectLabels(service, release);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: releaseObjectName(service, release), namespace: input.namespace, labels },
    spec: {
      selector: { matchLabels: selectorLabels(service, release) },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      progressDeadlineSeconds: input.rolloutDeadlineSeconds,
      template: podTemplateArgs(input),
    },
  };
}

/** The pod template of the Deployment and the StatefulSet: the same pods whether or not they have disks. */
function podTemplateArgs(input: DeploymentInput): k8s.types.input.core.v1.PodTemplateSpec {
  const { service } = input;
  const restricted = (input.podSecurity ?? "restricted") === "restricted";
  const resources = containerResources(service);
  const hasSecrets = Object.keys(service.secrets).length > 0;
  const podHasSecrets = podSecretMounts(service, input.project).length > 0;
  const { startupProbe, livenessProbe } = probes(service);
  const sidecar = (s: SidecarConfig) => sidecarContainerArgs(s, input.project, restricted);
  const nativeSidecars = service.sidecars.filter((s) => s.startsFirst).map(sidecar);
  const labels = objectLabels(service, input.release ?? "candidate");
  const fuse = volumesOf(service, "gcs").length > 0;
  return {
    metadata: { labels, ...(fuse && { annotations: { ...GCS_FUSE_ANNOTATION } }) },
    spec: {
      serviceAccountName: service.name,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: terminationGracePeriodSeconds(service),
      securityContext: {
        ...(restricted && { runAsNonRoot: true, ...RESTRICTED_IDS }),
        seccompProfile: { type: "RuntimeDefault" },
      },
      ...gpuScheduling(service, input.gpuSharing, input.computeClass),
      ...(nativeSidecars.length > 0 && { initContainers: nativeSidecars }),
      containers: [
        {
          name: service.name,
          image: input.image,
          ports: [{ name: HTTP_PORT_NAME, containerPort: service.port, protocol: "TCP" }],
          env: containerEnv(service, input.project),
          resources: { requests: resources, limits: resources },
          // The same startup and liveness checks as on Cloud Run (workload/contract.ts), so the image
          // behaves alike on both targets; readiness takes a pod out of the Service quickly.
          startupProbe,
          readinessProbe: {
            httpGet: { path: readinessPath(service), port: service.port },
            periodSeconds: 5,
            timeoutSeconds: 3,
            failureThreshold: 2,
          },
          livenessProbe,
          lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } },
          securityContext: containerSecurityContext(restricted),
          volumeMounts: [
            { name: "tmp", mountPath: "/tmp" },
            ...(hasSecrets ? [{ name: "secrets", mountPath: SECRETS_MOUNT_PATH, readOnly: true }] : []),
            ...volumeMounts(service, input.project),
          ],
        },
        ...service.sidecars.filter((s) => !s.startsFirst).map(sidecar),
      ],
      volumes: [
        { name: "tmp", emptyDir: {} },
        ...(podHasSecrets
          ? [
              {
                name: "secrets",
                csi: {
                  driver: SECRETS_CSI_DRIVER,
                  readOnly: true,
                  volumeAttributes: { secretProviderClass: service.name },
                },
              },
            ]
          : []),
        ...podVolumes(service),
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Disks

/** The provisioner of GKE's Compute Engine Persistent Disk CSI driver, which also provisions Hyperdisk (facts/disks.ts). */
export const PD_CSI_DRIVER = "pd.csi.storage.gke.io";

/**
 * The StorageClass of the service's disks of one type. StorageClasses are cluster-scoped, so the name carries the
 * service's namespace (one service per namespace): two services on one cluster never share or overwrite one.
 */
export function storageClassName(namespace: string, diskType: DataDiskType): string {
  return `runway-${namespace}-${diskType}`;
}

/**
 * `reclaimPolicy: Retain` keeps the Compute Engine disk when its claim goes (a deleted PVC or namespace, `pulumi
 * destroy`): "the PersistentVolume still exists and the volume is considered released", where the default Delete
 * removes it (https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming). WaitForFirstConsumer creates a
 * zonal disk in the zone the pod is scheduled to, not a random one the pod's pool may not reach
 * (https://kubernetes.io/docs/concepts/storage/storage-classes/#volume-binding-mode); allowVolumeExpansion lets a larger
 * `size` grow the disks in place.
 */
export function storageClassArgs(
  namespace: string,
  diskType: DataDiskType,
  labels: Record<string, string>,
): k8s.storage.v1.StorageClassArgs {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: storageClassName(namespace, diskType), labels },
    provisioner: PD_CSI_DRIVER,
    parameters: { type: diskType },
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  };
}

export interface StatefulSetInput extends DeploymentInput {
  /** The in-cluster Service's name, which the StatefulSet's pods are named under. Required. */
  readonly serviceName: pulumi.Input<string>;
  /** The namespace's name, which the StorageClasses' names carry (storageClassName). Required. */
  readonly namespaceName: string;
  /** The machine type of the pods' nodes, which decides each disk's type (facts/disks.ts dataDiskType). Required. */
  readonly machineType: string | undefined;
}

/**
 * The StatefulSet of a service with disk volumes: the Deployment's pods, each with its own disk per volume (a claim
 * from volumeClaimTemplates that follows the pod's ordinal). No `replicas`: KEDA owns the count, as for the
 * Deployment. `Parallel` starts and stops pods together rather than one after another, as a Deployment does: the
 * replicas are independent servers behind one Service, not an ordered cluster, so a scale-up from zero need not wait
 * for each pod to become ready in turn (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#parallel-pod-management).
 * Both retention policies are Retain (the default, written out because the data depends on it): scaling down or
 * deleting the StatefulSet keeps the claims, so a replica that comes back finds its data
 * (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention).
 */
export function statefulSetArgs(input: StatefulSetInput): k8s.apps.v1.StatefulSetArgs {
  const { service } = input;
  const release = input.release ?? "candidate";
  const labels = objectLabels(service, release);
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: releaseObjectName(service, release), namespace: input.namespace, labels },
    spec: {
      selector: { matchLabels: selectorLabels(service, release) },
      // The required "governing" Service; the ClusterIP one, not a headless one, as no replica needs a DNS name of its own.
      serviceName: input.serviceName,
      podManagementPolicy: "Parallel",
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: podTemplateArgs(input),
      volumeClaimTemplates: volumesOf(service, "disk").map((volume) => ({
        metadata: { name: volume.name, labels },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: storageClassName(input.namespaceName, dataDiskType(volume.class, input.machineType)),
          resources: { requests: { storage: volume.size } },
        },
      })),
    },
  };
}

/** The disk types of the service's disk volumes on nodes of `machineType`, each once: one StorageClass each. */
export function serviceDiskTypes(service: ServiceConfig, machineType: string | undefined): DataDiskType[] {
  return [...new Set(volumesOf(service, "disk").map((v) => dataDiskType(v.class, machineType)))];
}

/** The backup of the service's disks: the disk volumes' shared `backup` (rules.ts diskProblems), if any. */
export function diskBackup(service: ServiceConfig): NamedVolume<"disk">["backup"] {
  return volumesOf(service, "disk").find((v) => v.backup)?.backup;
}

/**
 * Backup plan names: 1 to 63 lowercase letters, digits and "-", starting with a letter and not ending with "-" (Backup for
 * GKE API v1, projects.locations.backupPlans.create `backupPlanId`).
 */
const BACKUP_PLAN_NAME_MAX = 63;

/**
 * The Backup for GKE plan of the service's namespace: every volume's data (includeVolumeData), no Secrets (the pods
 * read theirs from Secret Manager, which keeps its own versions), on the volumes' cron schedule, each backup kept
 * retainDays. The plan lives in the cluster's region (Backup for GKE plans are regional; "location: The region of the
 * Backup Plan", gcp.gkebackup.BackupPlan doc).
 */
export function backupPlanArgs(input: {
  readonly physicalName: string;
  readonly project: string;
  readonly region: string;
  readonly clusterId: pulumi.Input<string>;
  readonly namespace: pulumi.Input<string>;
  readonly schedule: string;
  readonly retainDays: number;
}): gcp.gkebackup.BackupPlanArgs {
  const name = `${input.physicalName}-disks`.slice(0, BACKUP_PLAN_NAME_MAX).replace(/-+$/, "");
  return {
    name,
    project: input.project,
    location: input.region,
    cluster: input.clusterId,
    backupConfig: {
      selectedNamespaces: { namespaces: [input.namespace] },
      includeVolumeData: true,
      includeSecrets: false,
    },
    backupSchedule: { cronSchedule: input.schedule },
    retentionPolicy: { backupRetainDays: input.retainDays },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Traffic and scaling

/**
 * A LoadBalancer Service is an external passthrough Network Load Balancer by default; the annotation
 * `networking.gke.io/load-balancer-type: "Internal"` makes it internal (reachable from the VPC only). For
 * external ones GKE recommends `cloud.google.com/l4-rbs: "enabled"`, the backend service-based load balancer
 * (GKE 1.25.5+) (https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters).
 */
export function loadBalancerAnnotations(service: ServiceConfig): Record<string, string> {
  return service.public
    ? { "cloud.google.com/l4-rbs": "enabled" }
    : { "networking.gke.io/load-balancer-type": "Internal" };
}

/**
 * The service's in-cluster address, which the interceptor routes to (keda.ts); port 80 forwards to the
 * container's port. Clients reach the service through the interceptor's load balancer, not through this.
 */
export function serviceArgs(
  service: ServiceConfig,
  namespace: pulumi.Input<string>,
  release: ReleaseName = "candidate",
): k8s.core.v1.ServiceArgs {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: releaseObjectName(service, release), namespace, labels: objectLabels(service, release) },
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(service, release),
      ports: [{ name: HTTP_PORT_NAME, port: 80, targetPort: HTTP_PORT_NAME, protocol: "TCP" }],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Network policies
//
// Dataplane V2 enforces Kubernetes NetworkPolicy itself (cluster-spec.ts), and without a policy selecting them the
// pods accept connections from every pod in the cluster. The namespace holds only the service's pods, so it denies
// all ingress and lets in exactly what runway puts in front of them: the KEDA HTTP add-on's interceptor, on the
// container's port. Nothing else calls the pods: clients reach the interceptor's load balancer (keda.ts), the add-on's
// scaler asks the interceptor, not the pods, for queue lengths, and runway creates no PodMonitoring to scrape them.
//
// Kubelet probes come from the node, which NetworkPolicy does not block: "traffic to and from the node where a Pod
// is running is always allowed, regardless of the IP address of the Pod or the node"
// (https://kubernetes.io/docs/concepts/services-networking/network-policies/), and Cilium, which Dataplane V2 is
// (https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2), lets the local host reach its endpoints
// in Kubernetes: `allow-localhost` "defaults to policy except when running in Kubernetes where it then defaults to
// 'always'" (cilium/cilium pkg/option/config.go, AllowLocalhostAuto). So the probes need no rule.
//
// Egress stays open, on purpose. A default-deny egress would have to allow kube-dns (port 53, UDP and TCP), the GKE
// metadata server at 169.254.169.254 that Workload Identity's tokens come from (and whichever other addresses and
// ports the GKE_METADATA server answers on under Dataplane V2, not checked here), Google APIs (Secret Manager,
// Logging, any the app calls: Private Google Access ranges, or everything through Cloud NAT), and whatever else the
// app calls, which runway cannot know. A wrong guess fails the pod at runtime (no token, no secrets) and only there.
// The service's own GCP account already bounds what it may do with Google APIs; an egress policy for other
// destinations is the app owner's to add (README, "What differs between targets").

/**
 * The immutable label the control plane sets on every namespace to its name (stable since Kubernetes 1.22,
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#automatic-labelling).
 */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/**
 * Denies every connection into the namespace's pods that another policy does not allow: a policy that selects a pod
 * and lists Ingress isolates it, and an empty `ingress` allows nothing
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic).
 */
export function denyIngressPolicyArgs(
  service: ServiceConfig,
  namespace: pulumi.Input<string>,
): k8s.networking.v1.NetworkPolicyArgs {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `${service.name}-deny-ingress`, namespace, labels: objectLabels(service) },
    spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [] },
  };
}

/**
 * Lets the interceptor pods (in the keda namespace, selected by the chart's labels, keda.ts INTERCEPTOR_SELECTOR)
 * reach one release's pods on the container's port. One peer with both selectors means pods with those labels in
 * that namespace, not either; policies match after the Service's port translation, so the port is the container's,
 * not the Service's 80. Each release has its own policy, so the candidate's stays as it was without a release.
 */
export function interceptorIngressPolicyArgs(
  service: ServiceConfig,
  namespace: pulumi.Input<string>,
  release: ReleaseName = "candidate",
): k8s.networking.v1.NetworkPolicyArgs {
  const name = `${releaseObjectName(service, release)}-from-interceptor`;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace, labels: objectLabels(service, release) },
    spec: {
      podSelector: { matchLabels: selectorLabels(service, release) },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KEDA_NAMESPACE } },
              podSelector: { matchLabels: { ...INTERCEPTOR_SELECTOR } },
            },
          ],
          ports: [{ protocol: "TCP", port: service.port }],
        },
      ],
    },
  };
}

/**
 * The part of a Service's status that holds its load balancer's address. k8s.types.output.core.v1.ServiceStatus
 * declares every field, but each is absent until GKE assigns the address.
 */
export interface LoadBalancerStatus {
  readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string; readonly hostname?: string }[] };
}

function loadBalancerAddress(status: LoadBalancerStatus | undefined): string | undefined {
  const ingress = status?.loadBalancer?.ingress?.[0];
  return ingress?.ip || ingress?.hostname || undefined;
}

/** The URL of a LoadBalancer Service's address, or "" until it has one. */
export function serviceUrl(status: LoadBalancerStatus | undefined): string {
  const address = loadBalancerAddress(status);
  return address ? `http://${address}` : "";
}

/** The Host values clients send to a LoadBalancer Service: its address, once it has one. */
export function serviceHosts(status: LoadBalancerStatus | undefined): string[] {
  const address = loadBalancerAddress(status);
  return address ? [address] : [];
}

/**
 * The Host a release tag answers on the load balancer, `TAG---<address>`, Cloud Run's tag URL form: the address is
 * the service's one entry point, so a tag is a Host the interceptor routes, sent with the address's URL.
 */
export function tagHosts(tag: string, status: LoadBalancerStatus | undefined): string[] {
  return serviceHosts(status).map((address) => `${tag}---${address}`);
}

/** Each tag's address, once the load balancer has one: its URL and the Host its route answers. */
export function releaseTags(tags: readonly string[], status: LoadBalancerStatus | undefined): ReleaseTags {
  const url = serviceUrl(status);
  return Object.fromEntries(tags.flatMap((tag) => tagHosts(tag, status).map((host) => [tag, { url, host }] as const)));
}

/**
 * Voluntary evictions (node drains for upgrades, autoscaler scale-down) take at most one pod at a time.
 * maxUnavailable rather than minAvailable: with one replica, `minAvailable: 1` allows no eviction at all and
 * "can block nodes from being drained" (https://kubernetes.io/docs/tasks/run-application/configure-pdb/),
 * stalling GKE node upgrades; `maxUnavailable: 1` lets the drain proceed and, with more replicas, keeps the rest
 * serving.
 */
export function podDisruptionBudgetArgs(
  service: ServiceConfig,
  namespace: pulumi.Input<string>,
  release: ReleaseName = "candidate",
): k8s.policy.v1.PodDisruptionBudgetArgs {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: releaseObjectName(service, release), namespace, labels: objectLabels(service, release) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(service, release) } },
  };
}
