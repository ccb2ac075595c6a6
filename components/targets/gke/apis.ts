import type { GkeConfig, ServiceConfig } from "../../config/schema";
import { secretIds } from "../../workload/contract";
import { volumesOf } from "../../workload/volumes";

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

/**
 * A service on a cluster: IAM for its account and Workload Identity, Secret Manager when it reads secrets, Pub/Sub
 * when it has events (their subscriptions and topics, gke/events.ts), and Cloud Storage with a storage event (its
 * bucket notification and the project's Cloud Storage service agent), as on Cloud Run (cloudrun/apis.ts), and Backup
 * for GKE when a disk volume has a backup (its BackupPlan). GKE projects usually have it already ("automatically enabled
 * in any project where the GKE API is enabled", unless someone disabled it: "gcloud services enable
 * gkebackup.googleapis.com", https://cloud.google.com/kubernetes-engine/docs/add-on/backup-for-gke/how-to/install).
 */
export function gkeServiceApis(service: ServiceConfig): string[] {
  return [
    "iam.googleapis.com",
    ...(secretIds(service).length > 0 ? ["secretmanager.googleapis.com"] : []),
    ...(service.events.length > 0 ? ["pubsub.googleapis.com"] : []),
    ...(service.events.some((event) => event.source === "storage") ? ["storage.googleapis.com"] : []),
    ...(volumesOf(service, "disk").some((volume) => volume.backup) ? ["gkebackup.googleapis.com"] : []),
  ];
}
