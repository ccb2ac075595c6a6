import type { ServiceConfig } from "../../config/schema";
import { secretIds } from "../../workload/contract";

/** Cloud Run itself, IAM for the service account, and Secret Manager when the service reads secrets. */
export function cloudRunApis(service: ServiceConfig): string[] {
  return [
    "run.googleapis.com",
    "iam.googleapis.com",
    ...(secretIds(service).length > 0 ? ["secretmanager.googleapis.com"] : []),
  ];
}
