import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { serviceAccountId } from "./naming";

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
  /** The APIs the account and grants need. */
  readonly apis: pulumi.Resource[];
}

export interface WorkloadAccount {
  readonly account: gcp.serviceaccount.Account;
  readonly member: pulumi.Output<string>;
  /** Every grant made, for resources that must wait for them. */
  readonly grants: pulumi.Resource[];
}

/**
 * A workload's dedicated, least-privilege service account, the same on every target: logs and metrics,
 * secretAccessor on exactly the secrets it reads. It pulls no image (the platform does: image-pull.ts), so it
 * gets no repository access.
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
  return { account, member, grants };
}
