import type { GkeConfig, ServiceConfig } from "../../config/schema";
import { secretIds } from "../../workload/contract";

/** The APIs a cluster needs: GKE, Compute Engine for the VPC and nodes, and IAM for the node service account. */
export const GKE_CLUSTER_APIS = ["container.googleapis.com", "compute.googleapis.com", "iam.googleapis.com"] as const;

/** The Binary Authorization API, which enforcing its policy on a cluster needs (runway:gke.binaryAuthorization). */
export const BINARY_AUTHORIZATION_API = "binaryauthorization.googleapis.com";

/**
 * The APIs of a cluster with these settings: GKE_CLUSTER_APIS, plus Binary Authorization when it is enforced
 * ("Enable the Binary Authorization API", https://cloud.google.com/binary-authorization/docs/setting-up). Not enabled
 * when off, so a project that does not use it gets no new API.
 */
export function gkeClusterApis(gke: Pick<GkeConfig, "binaryAuthorization">): string[] {
  return [...GKE_CLUSTER_APIS, ...(gke.binaryAuthorization === "enforce" ? [BINARY_AUTHORIZATION_API] : [])];
}

/** A service on a cluster: IAM for its account and Workload Identity, Secret Manager when it reads secrets. */
export function gkeServiceApis(service: ServiceConfig): string[] {
  return ["iam.googleapis.com", ...(secretIds(service).length > 0 ? ["secretmanager.googleapis.com"] : [])];
}
