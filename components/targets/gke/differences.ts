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
  return differences;
}
