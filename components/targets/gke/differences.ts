import type { ServiceConfig } from "../../config/schema";
import { volumesOf } from "../../workload/volumes";
import { FUSE_SIDECAR_REQUESTS } from "./sizing";

/** What the service description means differently on GKE than on Cloud Run, for the plan to print. */
export function gkeDifferences(service: ServiceConfig): string[] {
  const differences = [
    `service.concurrency ${service.concurrency} is the requests in flight per pod KEDA scales for, not a hard cap as on Cloud Run`,
  ];
  if (service.minInstances === 0) {
    differences.push(
      service.gpu
        ? "a request after idle waits for a GPU node to boot, install its driver and pull the image (minutes; Cloud Run starts GPU instances in seconds), up to runway:gke.coldStartSeconds"
        : "a request after idle waits for a pod to be scheduled and started, up to runway:gke.coldStartSeconds",
    );
  }
  if (service.sidecars.some((s) => s.startsFirst)) {
    differences.push(
      "start-first sidecars are native sidecars (restartable init containers): they start one after another in order, each once its startup probe passes, before the app; Cloud Run starts them together and holds only the app back (dependsOn)",
    );
  }
  if (service.sidecars.some((s) => Object.keys(s.secrets).length > 0)) {
    differences.push(
      "sidecar secrets are files in the pod's secrets volume (`<NAME>_FILE` names `<sidecar>-<NAME>`), not variables holding the value as on Cloud Run",
    );
  }
  const tags = [service.release?.candidateTag, service.release?.stableTag].filter(Boolean);
  if (tags.length > 0) {
    differences.push(
      `release tags (${tags.join(", ")}) are Host names on the service's load balancer (\`Host: TAG---ADDRESS\`, stack output tags), not URLs of their own as on Cloud Run`,
    );
  }
  if (service.events.length > 0) {
    differences.push(
      "events are pulled by a forwarder pod that is always on (1 replica, 50m CPU / 128Mi on the system pool, within its node's cost) and POSTed through the interceptor, where Cloud Run's subscriptions push",
    );
  }
  if (service.release?.stable) {
    differences.push(
      "the stable image runs as a second Deployment with its own scaler (both scale to zero), where Cloud Run keeps it as an earlier revision",
    );
  }
  if (volumesOf(service, "gcs").length > 0) {
    differences.push(
      `Cloud Storage volumes add GKE's FUSE sidecar to every pod (${FUSE_SIDECAR_REQUESTS.cpuMillis}m CPU / ${FUSE_SIDECAR_REQUESTS.memoryMiB}Mi requested, counted in node fit), where Cloud Run mounts them itself`,
    );
  }
  if (volumesOf(service, "memory").length > 0) {
    differences.push("memory volumes take the pod's memory, as they take the instance's on Cloud Run");
  }
  if (volumesOf(service, "secret").length > 0) {
    differences.push(
      "secret volumes are files of the pod's Secret Manager CSI volume, fetched when the pod starts; Cloud Run mounts the secret itself",
    );
  }
  if (volumesOf(service, "disk").length > 0) {
    differences.push(
      "each replica has its own disk; scale to zero keeps the disks (they bill while no pod runs), and a zonal disk pins its replica to the disk's zone",
    );
  }
  return differences;
}
