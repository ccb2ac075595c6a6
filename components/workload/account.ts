import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { serviceAccountId } from "./naming";

/** The Artifact Registry repository an image lives in, so accounts can be made its readers. */
export interface RepositoryRef {
  readonly project: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  readonly name: pulumi.Input<string>;
}

/** Project roles every service needs to write its logs and metrics, and nothing more. */
export const RUNTIME_ROLES = ["roles/logging.logWriter", "roles/monitoring.metricWriter"] as const;

export interface WorkloadAccountArgs {
  readonly project: string;
  readonly serviceName: string;
  /** Short role in the account id ("run", "gke"), so both targets' accounts can coexist while a stack switches. */
  readonly role: string;
  /** Logical name of the account resource, e.g. `${name}-sa`. */
  readonly resourceName: string;
  readonly displayName: string;
  /** Secret Manager secret ids the workload reads. */
  readonly secrets: readonly string[];
  readonly repository?: RepositoryRef | undefined;
  /** The APIs the account and grants need. */
  readonly apis: pulumi.Resource[];
}

export interface WorkloadAccount {
  readonly account: gcp.serviceaccount.Account;
  readonly member: pulumi.Output<string>;
  /** Every grant made, for resources that must wait for them. */
  readonly grants: pulumi.Resource[];
  /** Makes another member reader of the repository (e.g. the nodes that pull the image on GKE). */
  readonly addRepositoryReader: (resourceName: string, member: pulumi.Input<string>) => void;
}

/**
 * A workload's dedicated, least-privilege service account, the same on every target: logs and metrics,
 * secretAccessor on exactly the secrets it reads, and reader on its image repository.
 */
export function workloadAccount(parent: pulumi.Resource, name: string, args: WorkloadAccountArgs): WorkloadAccount {
  const { project } = args;
  const account = new gcp.serviceaccount.Account(
    args.resourceName,
    { project, accountId: serviceAccountId(args.serviceName, args.role), displayName: args.displayName },
    { parent, dependsOn: args.apis },
  );
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  const grants: pulumi.Resource[] = RUNTIME_ROLES.map(
    (role) =>
      new gcp.projects.IAMMember(
        `${name}-${role.replace(/^roles\//, "").replace(".", "-")}`,
        { project, role, member },
        { parent },
      ),
  );
  for (const secret of args.secrets) {
    grants.push(
      new gcp.secretmanager.SecretIamMember(
        `${name}-secret-${secret}`,
        { project, secretId: secret, role: "roles/secretmanager.secretAccessor", member },
        { parent, dependsOn: args.apis },
      ),
    );
  }
  const repository = args.repository;
  const addRepositoryReader = (resourceName: string, readerMember: pulumi.Input<string>) => {
    if (!repository) return;
    grants.push(
      new gcp.artifactregistry.RepositoryIamMember(
        resourceName,
        {
          project: repository.project,
          location: repository.location,
          repository: repository.name,
          role: "roles/artifactregistry.reader",
          member: readerMember,
        },
        { parent },
      ),
    );
  };
  addRepositoryReader(`${name}-repo-reader`, member);
  return { account, member, grants, addRepositoryReader };
}
