/** What a plan reviewer sees of the resources a GKE cluster and service create. */
import type * as gcp from "@pulumi/gcp";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { keySettingsOf, type KeySettings } from "../target";
import { grantText, limitsText } from "../../workload/summary";
import { machineShape } from "../../facts/gpus";
import { GPU_NODE_DAEMONSET_REQUESTS, podCapacity } from "./sizing";

/** What one GPU node leaves a pod (sizing.ts podCapacity), so a reviewer sees the fit next to the machine. */
function gpuNodeFit(machineType: string | undefined): string[] {
  const shape = machineType === undefined ? undefined : machineShape(machineType);
  if (!shape) return [];
  const capacity = podCapacity(shape, "gpu");
  const daemonSets = GPU_NODE_DAEMONSET_REQUESTS;
  return [
    `pods get up to ${capacity.cpu.toFixed(2)} vCPU / ${(capacity.memoryMiB / 1024).toFixed(1)}Gi per node ` +
      `(after GKE's reservations and ${daemonSets.cpuMillis}m / ${daemonSets.memoryMiB}Mi of DaemonSets)`,
  ];
}

/** The InterceptorRoute fields shown (http.keda.sh/v1beta1, keda.ts): a custom resource has no typed args. */
interface InterceptorRouteInputs {
  readonly spec?: {
    readonly rules?: readonly { readonly hosts?: readonly string[] }[];
    readonly target?: { readonly service?: string; readonly port?: number };
    readonly scalingMetric?: { readonly concurrency?: { readonly targetValue?: number } };
    readonly timeouts?: { readonly request?: string; readonly readiness?: string };
    readonly coldStart?: { readonly placeholder?: object };
  };
}

/** The ComputeClass fields shown (cloud.google.com/v1, cluster-spec.ts computeClassArgs). */
interface ComputeClassInputs {
  readonly spec?: {
    readonly priorities?: readonly { readonly nodepools?: readonly string[] }[];
    readonly autoscalingPolicy?: { readonly consolidationDelayMinutes?: number };
  };
}

/** The ScaledObject fields shown (keda.sh/v1alpha1, keda.ts). */
interface ScaledObjectInputs {
  readonly spec?: {
    readonly minReplicaCount?: number;
    readonly maxReplicaCount?: number;
    readonly cooldownPeriod?: number;
  };
}

export const gkeKeySettings: Readonly<Record<string, KeySettings>> = {
  "gcp:container/cluster:Cluster": keySettingsOf<pulumi.Unwrap<gcp.container.ClusterArgs>>((i) => [
    `location ${i.location}`,
    `release channel ${i.releaseChannel?.channel}`,
    `private nodes ${i.privateClusterConfig?.enablePrivateNodes ?? false}`,
    `deletion protection ${i.deletionProtection}`,
  ]),
  "gcp:container/nodePool:NodePool": keySettingsOf<pulumi.Unwrap<gcp.container.NodePoolArgs>>((i) => {
    const n = i.nodeConfig ?? {};
    const accelerators = (n.guestAccelerators ?? []).map((a) => `${a.count}× ${a.type}`);
    const scaling = i.autoscaling
      ? `nodes ${i.autoscaling.minNodeCount}..${i.autoscaling.maxNodeCount} per zone`
      : `nodes ${i.nodeCount} per zone`;
    return [
      `${n.machineType}${accelerators.length ? ` with ${accelerators.join(", ")}` : ""}`,
      scaling,
      n.spot ? "spot" : "on-demand",
      ...(accelerators.length ? gpuNodeFit(n.machineType) : []),
    ];
  }),
  "gcp:serviceaccount/iAMMember:IAMMember": keySettingsOf(grantText),
  "kubernetes:apps/v1:Deployment": keySettingsOf<pulumi.Unwrap<k8s.apps.v1.DeploymentArgs>>((i) => {
    const pod = i.spec?.template?.spec;
    const c = pod?.containers?.[0];
    // Sidecars: native ones (restartable init containers, started first and in order), then plain containers.
    const sidecars = [
      ...(pod?.initContainers ?? []).filter((s) => s.restartPolicy === "Always").map((s) => ({ s, first: true })),
      ...(pod?.containers?.slice(1) ?? []).map((s) => ({ s, first: false })),
    ].map(
      ({ s, first }) =>
        `sidecar ${s.name} ${s.resources?.limits?.cpu} vCPU / ${s.resources?.limits?.memory}${first ? ", native, starts first" : ""}`,
    );
    return [`image ${c?.image}`, ...limitsText(c?.resources?.limits), ...sidecars];
  }),
  "kubernetes:apps/v1:StatefulSet": keySettingsOf<pulumi.Unwrap<k8s.apps.v1.StatefulSetArgs>>((i) => {
    const c = i.spec?.template?.spec?.containers?.[0];
    const disks = (i.spec?.volumeClaimTemplates ?? []).map(
      (t) =>
        `disk ${t.metadata?.name} ${t.spec?.resources?.requests?.storage} per replica (${t.spec?.storageClassName})`,
    );
    return [`image ${c?.image}`, ...limitsText(c?.resources?.limits), ...disks];
  }),
  "kubernetes:storage.k8s.io/v1:StorageClass": keySettingsOf<pulumi.Unwrap<k8s.storage.v1.StorageClassArgs>>((i) => [
    `${i.parameters?.type} disks`,
    `reclaim ${i.reclaimPolicy}: a disk outlives its claim`,
  ]),
  "gcp:gkebackup/backupPlan:BackupPlan": keySettingsOf<pulumi.Unwrap<gcp.gkebackup.BackupPlanArgs>>((i) => [
    `namespaces ${i.backupConfig?.selectedNamespaces?.namespaces?.join(", ")}, volume data ${i.backupConfig?.includeVolumeData}`,
    `schedule "${i.backupSchedule?.cronSchedule}", kept ${i.retentionPolicy?.backupRetainDays} days`,
  ]),
  "kubernetes:core/v1:Service": keySettingsOf<pulumi.Unwrap<k8s.core.v1.ServiceArgs>>((i) => {
    const internal = i.metadata?.annotations?.["networking.gke.io/load-balancer-type"] === "Internal";
    return [
      `${i.spec?.type}${i.spec?.type === "LoadBalancer" ? (internal ? " (internal)" : " (external, PUBLIC)") : ""}`,
    ];
  }),
  // A chart is a remote component: under the offline plan it has no children, so its inputs are what is shown.
  "kubernetes:helm.sh/v4:Chart": keySettingsOf<pulumi.Unwrap<k8s.helm.v4.ChartArgs>>((i) => [
    `chart ${i.chart} ${i.version} from ${i.repositoryOpts?.repo}`,
    `into namespace ${i.namespace}`,
    ...(i.values ? [`values ${JSON.stringify(i.values)}`] : []),
  ]),
  "kubernetes:http.keda.sh/v1beta1:InterceptorRoute": keySettingsOf<InterceptorRouteInputs>((i) => [
    `hosts ${JSON.stringify(i.spec?.rules?.[0]?.hosts)} → service ${i.spec?.target?.service}:${i.spec?.target?.port}`,
    `concurrency ${i.spec?.scalingMetric?.concurrency?.targetValue} per pod`,
    `timeouts request ${i.spec?.timeouts?.request}, cold start ${i.spec?.timeouts?.readiness}`,
    ...(i.spec?.coldStart?.placeholder ? ["503 + Retry-After while warming"] : []),
  ]),
  "kubernetes:cloud.google.com/v1:ComputeClass": keySettingsOf<ComputeClassInputs>((i) => [
    `node pools ${(i.spec?.priorities ?? []).flatMap((p) => p.nodepools ?? []).join(", ")}`,
    `an unneeded node goes after ${i.spec?.autoscalingPolicy?.consolidationDelayMinutes} min`,
  ]),
  "kubernetes:keda.sh/v1alpha1:ScaledObject": keySettingsOf<ScaledObjectInputs>((i) => [
    `replicas ${i.spec?.minReplicaCount}..${i.spec?.maxReplicaCount}`,
    `scale down after ${i.spec?.cooldownPeriod} s idle`,
  ]),
};
