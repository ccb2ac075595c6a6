import type { ServiceConfig } from "../../config/schema";
import { secretIds } from "../../workload/contract";

/**
 * Cloud Run itself, IAM for the service account, Secret Manager when the service reads secrets, Pub/Sub when it has
 * events (their subscriptions and topics, cloudrun/events.ts), and Cloud Storage with a storage event (its bucket
 * notification and the project's Cloud Storage service agent).
 */
export function cloudRunApis(service: ServiceConfig): string[] {
  return [
    "run.googleapis.com",
    "iam.googleapis.com",
    ...(secretIds(service).length > 0 ? ["secretmanager.googleapis.com"] : []),
    ...(service.events.length > 0 ? ["pubsub.googleapis.com"] : []),
    ...(service.events.some((event) => event.source === "storage") ? ["storage.googleapis.com"] : []),
  ];
}
