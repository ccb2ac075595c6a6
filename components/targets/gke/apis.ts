import type { ServiceConfig } from "../../config/schema";
import { secretIds } from "../../workload/contract";

/** The APIs a cluster needs: GKE, Compute Engine for the VPC and nodes, and IAM for the node service account. */
export const GKE_CLUSTER_APIS = ["container.googleapis.com", "compute.googleapis.com", "iam.googleapis.com"] as const;

/** A service on a cluster: IAM for its account and Workload Identity, Secret Manager when it reads secrets. */
export function gkeServiceApis(service: ServiceConfig): string[] {
  return ["iam.googleapis.com", ...(secretIds(service).length > 0 ? ["secretmanager.googleapis.com"] : [])];
}
