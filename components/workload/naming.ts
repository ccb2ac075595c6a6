import { createHash } from "node:crypto";

/** `base-suffix` cut to `max` characters, with a short hash of `base` so that names cut short stay distinct. */
export function fitName(base: string, suffix: string, max: number): string {
  const full = suffix ? `${base}-${suffix}` : base;
  if (full.length <= max) return full;
  const hash = createHash("sha256").update(base).digest("hex").slice(0, 4);
  const keep = max - hash.length - 1 - (suffix ? suffix.length + 1 : 0);
  return [base.slice(0, keep).replace(/-+$/, ""), hash, suffix].filter(Boolean).join("-");
}

/**
 * The base of the names a stack gives its resources in the project: the service name and the stack's, so that two
 * stacks of one service (dev and staging in one project), or two teams keeping the default service name in
 * different stacks, never claim the same Cloud Run service, repository, account or cluster. Stack names may hold
 * characters resource names may not, so those become hyphens; the result keeps the service name's rule (at most
 * 49 characters, SERVICE_NAME_PATTERN).
 */
export function stackPhysicalName(serviceName: string, stack: string): string {
  const slug = stack
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug ? fitName(`${serviceName}-${slug}`, "", 49) : serviceName;
}

/**
 * A service account id derived from the service name. Account ids are 6 to 30 characters,
 * `[a-z]([-a-z0-9]*[a-z0-9])` (https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create),
 * while service names may have 49, so long names are cut and given a short hash of the full name to stay unique.
 */
export function serviceAccountId(serviceName: string, role: string): string {
  const id = fitName(serviceName, role, 30);
  return id.length < 6 ? `${id}-sa` : id;
}

/** The Docker host of a regional Artifact Registry repository (https://cloud.google.com/artifact-registry/docs/docker/names). */
export function dockerHost(location: string): string {
  return `${location}-docker.pkg.dev`;
}
