import * as docker from "@pulumi/docker";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { apisFor, type ProjectApis } from "../project/apis";
import { repositoryOf, type RepositoryRef } from "../workload/image-pull";
import { dockerHost } from "../workload/naming";
import { dockerfilePath } from "./dockerfile";

/** Where an image comes from: a build of local source, or a prebuilt image pinned by digest. */
export type ImageSource =
  | {
      /** Build context directory, relative to the Pulumi project. */
      readonly context: string;
      /** Dockerfile, relative to the context. Default "Dockerfile". */
      readonly dockerfile?: string | undefined;
    }
  | {
      /** A prebuilt image pinned by digest; nothing is built or pushed. */
      readonly ref: string;
    };

export interface ArtifactImageArgs {
  /** The project that holds the repository. Required. */
  readonly project: string;
  /** The repository's region, e.g. "us-central1". Required. */
  readonly location: string;
  /** Repository id and image name; lowercase letters, digits and hyphens. Required. */
  readonly repositoryId: string;
  /** What to publish. Required. */
  readonly source: ImageSource;
  /** Image versions the cleanup policy always keeps. Default 10. */
  readonly keepRecent?: number;
  /** Labels for the repository. Default none. */
  readonly labels?: Record<string, string>;
  /** Protect the repository (it holds every image ever deployed) from `pulumi destroy`. Default false. */
  readonly protect?: boolean;
  /** The program's enabled APIs. Default: the component enables artifactregistry and containerscanning itself. */
  readonly apis?: ProjectApis;
}

/** The APIs a build-and-push needs: the registry, and Container Scanning for on-push vulnerability scans. */
export const ARTIFACT_APIS = ["artifactregistry.googleapis.com", "containerscanning.googleapis.com"] as const;

/** The APIs publishing an image needs: none for a prebuilt ref. */
export function imageApis(source: ImageSource): readonly string[] {
  return "ref" in source ? [] : ARTIFACT_APIS;
}

/** Untagged versions are deleted after this long unless they are among the most recent kept. */
export const UNTAGGED_RETENTION = "604800s"; // 7 days

/** The repository's arguments: cleanup keeps the N newest versions and deletes old untagged ones. */
export function repositoryArgs(args: ArtifactImageArgs): gcp.artifactregistry.RepositoryArgs {
  return {
    project: args.project,
    location: args.location,
    repositoryId: args.repositoryId,
    format: "DOCKER",
    description: `Images of ${args.repositoryId}, published by runway`,
    labels: args.labels,
    // Keep wins over delete, and keep policies alone delete nothing, so both are needed
    // (https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy-overview).
    cleanupPolicyDryRun: false,
    cleanupPolicies: [
      { id: "keep-recent", action: "KEEP", mostRecentVersions: { keepCount: args.keepRecent ?? 10 } },
      {
        id: "delete-old-untagged",
        action: "DELETE",
        condition: { tagState: "UNTAGGED", olderThan: UNTAGGED_RETENTION },
      },
    ],
    // INHERITED scans every push once the Container Scanning API is on (gcp-facts §5).
    vulnerabilityScanningConfig: { enablementConfig: "INHERITED" },
  };
}

/** The build: linux/amd64 because that is the platform Cloud Run runs (container contract) and GKE nodes use. */
export function buildArgs(
  source: { context: string; dockerfile?: string | undefined },
  imageName: pulumi.Input<string>,
  registryPassword: pulumi.Input<string>,
  registryServer: string,
): docker.ImageArgs {
  return {
    imageName,
    build: {
      context: source.context,
      // The provider resolves the Dockerfile against the program directory, not the context; validation reads
      // the same file (config/validate.ts).
      dockerfile: dockerfilePath(source),
      platform: "linux/amd64",
    },
    // Explicit short-lived credentials: a build never depends on a docker credential helper being set up.
    registry: { server: registryServer, username: "oauth2accesstoken", password: registryPassword },
  };
}

/**
 * An image in Artifact Registry, published by digest: enables the APIs, creates the repository with
 * cleanup and vulnerability scanning, builds and pushes the image, and exposes the immutable
 * `repo@sha256:` reference. Given a prebuilt `ref`, it creates nothing and passes the ref on.
 */
export class ArtifactImage extends pulumi.ComponentResource {
  /** The image by digest: LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:… */
  public readonly imageRef: pulumi.Output<string>;
  /** The repository, when runway built the image; undefined for a prebuilt ref. */
  public readonly repository?: gcp.artifactregistry.Repository;
  /** The repository the image is pulled from (built or prebuilt), so the puller can be made its reader. */
  public readonly repositoryRef?: RepositoryRef | undefined;

  constructor(name: string, args: ArtifactImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("runway:index:ArtifactImage", name, {}, opts);
    const { source } = args;
    if ("ref" in source) {
      this.imageRef = pulumi.output(source.ref);
      this.repositoryRef = repositoryOf(source.ref);
      this.registerOutputs({ imageRef: this.imageRef });
      return;
    }
    const apis = apisFor(this, name, args.project, ARTIFACT_APIS, args.apis);
    const repository = new gcp.artifactregistry.Repository(`${name}-repo`, repositoryArgs(args), {
      parent: this,
      dependsOn: apis,
      protect: args.protect ?? false,
    });
    const server = dockerHost(args.location);
    const imageName = pulumi.interpolate`${server}/${repository.project}/${repository.repositoryId}/${args.repositoryId}:latest`;
    const token = gcp.organizations.getClientConfigOutput({ parent: this }).accessToken;
    const image = new docker.Image(`${name}-image`, buildArgs(source, imageName, pulumi.secret(token), server), {
      parent: this,
      dependsOn: [repository],
    });
    this.repository = repository;
    this.repositoryRef = { project: args.project, location: args.location, name: repository.name };
    this.imageRef = image.repoDigest;
    this.registerOutputs({ imageRef: this.imageRef, repository: repository.id });
  }
}
