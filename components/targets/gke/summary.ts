/** What a plan reviewer sees of the resources a GKE cluster and service create. */
import type { Inputs } from "../target";
import { grantText, limitsText } from "../../workload/summary";

export const gkeKeySettings: Readonly<Record<string, (inputs: Inputs) => string[]>> = {
  "gcp:container/cluster:Cluster": (i) => [
    `location ${i.location}`,
    `release channel ${i.releaseChannel?.channel}`,
    `private nodes ${i.privateClusterConfig?.enablePrivateNodes ?? false}`,
    `deletion protection ${i.deletionProtection}`,
  ],
  "gcp:container/nodePool:NodePool": (i) => {
    const n = i.nodeConfig ?? {};
    const accelerators = (n.guestAccelerators ?? []).map((a: Inputs) => `${a.count}× ${a.type}`);
    const scaling = i.autoscaling
      ? `nodes ${i.autoscaling.minNodeCount}..${i.autoscaling.maxNodeCount} per zone`
      : `nodes ${i.nodeCount} per zone`;
    return [
      `${n.machineType}${accelerators.length ? ` with ${accelerators.join(", ")}` : ""}`,
      scaling,
      n.spot ? "spot" : "on-demand",
    ];
  },
  "gcp:serviceaccount/iAMMember:IAMMember": grantText,
  "kubernetes:apps/v1:Deployment": (i) => {
    const c = i.spec?.template?.spec?.containers?.[0] ?? {};
    return [`image ${c.image}`, ...limitsText(c.resources?.limits)];
  },
  "kubernetes:core/v1:Service": (i) => {
    const internal = i.metadata?.annotations?.["networking.gke.io/load-balancer-type"] === "Internal";
    return [
      `${i.spec?.type}${i.spec?.type === "LoadBalancer" ? (internal ? " (internal)" : " (external, PUBLIC)") : ""}`,
    ];
  },
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": (i) => [
    `replicas ${i.spec?.minReplicas}..${i.spec?.maxReplicas}`,
  ],
};
