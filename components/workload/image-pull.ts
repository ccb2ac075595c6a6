import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** The Artifact Registry repository an image lives in, so whoever pulls the image can be made its reader. */
export interface RepositoryRef {
  readonly project: string;
  readonly location: string;
  readonly name: pulumi.Input<string>;
}

// LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE… (https://cloud.google.com/artifact-registry/docs/docker/names).
const ARTIFACT_REGISTRY_REF = /^([a-z0-9-]+)-docker\.pkg\.dev\/([^/\s]+)\/([^/\s]+)\//;

/** The repository of an Artifact Registry image reference; undefined for any other registry. */
export function repositoryOf(ref: string): RepositoryRef | undefined {
  const match = ARTIFACT_REGISTRY_REF.exec(ref);
  if (!match) return undefined;
  const [, location, project, name] = match as unknown as [string, string, string, string];
  return { project, location, name };
}

/**
 * The identity that pulls a Cloud Run image from another project's repository: the Cloud Run service agent,
 * not the service's runtime account (https://cloud.google.com/artifact-registry/docs/integrate-cloud-run). In its
 * own project the agent can already read (roles/run.serviceAgent), so no grant is needed there.
 */
export function cloudRunServiceAgent(projectNumber: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`serviceAccount:service-${projectNumber}@serverless-robot-prod.iam.gserviceaccount.com`;
}

/** Makes `member` a reader of the repository, the least role that lets it pull the image. */
export function repositoryReader(
  parent: pulumi.Resource,
  resourceName: string,
  repository: RepositoryRef,
  member: pulumi.Input<string>,
  dependsOn: pulumi.Resource[] = [],
): gcp.artifactregistry.RepositoryIamMember {
  return new gcp.artifactregistry.RepositoryIamMember(
    resourceName,
    {
      project: repository.project,
      location: repository.location,
      repository: repository.name,
      role: "roles/artifactregistry.reader",
      member,
    },
    { parent, dependsOn },
  );
}

/** The repository given, else the one a plain-string image reference names. */
export function pulledFrom(
  repository: RepositoryRef | undefined,
  image: pulumi.Input<string>,
): RepositoryRef | undefined {
  return repository ?? (typeof image === "string" ? repositoryOf(image) : undefined);
}
