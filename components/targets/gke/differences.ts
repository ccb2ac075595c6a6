import type { ServiceConfig } from "../../config/schema";

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
  if (service.release?.stable) {
    differences.push(
      "the stable image runs as a second Deployment with its own scaler (both scale to zero), where Cloud Run keeps it as an earlier revision",
    );
  }
  return differences;
}
