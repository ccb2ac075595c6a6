import { createHash } from "node:crypto";

/**
 * A service account id derived from the service name. Account ids are 6 to 30 characters,
 * `[a-z]([-a-z0-9]*[a-z0-9])` (https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create),
 * while service names may have 49, so long names are cut and given a short hash of the full name to stay unique.
 */
export function serviceAccountId(serviceName: string, role: string): string {
  const full = `${serviceName}-${role}`;
  if (full.length > 30) {
    const hash = createHash("sha256").update(serviceName).digest("hex").slice(0, 4);
    const keep = 30 - role.length - hash.length - 2;
    return `${serviceName.slice(0, keep).replace(/-+$/, "")}-${hash}-${role}`;
  }
  return full.length < 6 ? `${full}-sa` : full;
}

/** The Docker host of a regional Artifact Registry repository (https://cloud.google.com/artifact-registry/docs/docker/names). */
export function dockerHost(location: string): string {
  return `${location}-docker.pkg.dev`;
}
