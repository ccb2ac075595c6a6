import type { ServiceConfig } from "../../config/schema";
import { volumesOf } from "../../workload/volumes";
import { MAX_CONTAINERS } from "./rules";

/** What the service description means differently on Cloud Run than on GKE, for the plan to print. */
export function cloudRunDifferences(service: ServiceConfig): string[] {
  const differences: string[] = [];
  if (service.readyPath) {
    differences.push(
      `service.readyPath ${service.readyPath} is not probed: Cloud Run's readiness probes are Preview, and it stops sending requests to an instance it shuts down`,
    );
  }
  if (service.sidecars.length > 0) {
    differences.push(
      `sidecars start together and only the app waits for the start-first ones (dependsOn), where GKE starts native sidecars one after another; at most ${MAX_CONTAINERS} containers per instance (GKE: no such limit)`,
    );
  }
  if (service.release?.stable) {
    differences.push(
      "the stable image is the revision it got when it was deployed with these same settings; GKE runs it again as a second Deployment with them",
    );
  }
  if (volumesOf(service, "gcs").length > 0) {
    differences.push(
      "Cloud Storage volumes are mounted by Cloud Run itself, with the app's memory for FUSE's caches; GKE adds a FUSE sidecar to every pod",
    );
  }
  if (volumesOf(service, "memory").length > 0) {
    differences.push("memory volumes take the instance's memory, as they take the pod's on GKE");
  }
  return differences;
}
