/**
 * Rules on the service description that hold on every target, so that moving a stack between
 * Cloud Run and GKE never turns a valid description into an invalid one.
 */
import type { Problem } from "../config/problem";
import type { ServiceConfig } from "../config/schema";
import { DRAIN_DEADLINE_ENV } from "./contract";

/**
 * Cloud Run injects these and refuses them in a revision: "The environment variables defined in the
 * container runtime contract are reserved and cannot be set. In particular, the PORT environment variable
 * is injected inside your container by Cloud Run"
 * (https://cloud.google.com/run/docs/configuring/services/environment-variables#reserved-names;
 * names from https://cloud.google.com/run/docs/reference/container-contract). runway sets PORT on GKE too,
 * so the same image sees the same contract on both targets. runway also sets the drain deadline
 * (service.drainSeconds, workload/contract.ts).
 */
export const RESERVED_ENV_NAMES = ["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION", DRAIN_DEADLINE_ENV] as const;

/** "you can set a maximum of 1000 environment variables per container" (same page as above). */
export const ENV_VARS_MAX = 1000;

export function serviceProblems(service: ServiceConfig): Problem[] {
  const problems: Problem[] = [];
  if (service.minInstances > service.maxInstances) {
    // min_instance_count "must not exceed" max (terraform-provider-google cloud_run_v2_service doc, v7.45.0);
    // an HPA likewise needs minReplicas <= maxReplicas.
    problems.push({
      path: "runway:service.minInstances",
      message: `${service.minInstances} is more than maxInstances (${service.maxInstances}); minInstances must be at most maxInstances`,
    });
  }
  for (const [section, names] of [
    ["env", Object.keys(service.env)],
    ["secrets", Object.keys(service.secrets)],
  ] as const) {
    for (const name of names.filter((n) => (RESERVED_ENV_NAMES as readonly string[]).includes(n))) {
      problems.push({
        path: `runway:service.${section}.${name}`,
        message: `is reserved (set by the platform); reserved names: ${RESERVED_ENV_NAMES.join(", ")}`,
      });
    }
  }
  for (const name of Object.keys(service.secrets).filter((n) => n in service.env)) {
    problems.push({
      path: `runway:service.secrets.${name}`,
      message: "is also set in runway:service.env; a variable comes from env or from secrets, not both",
    });
  }
  const envCount = Object.keys(service.env).length + Object.keys(service.secrets).length;
  if (envCount > ENV_VARS_MAX) {
    problems.push({
      path: "runway:service.env",
      message: `${envCount} variables (env + secrets); at most ${ENV_VARS_MAX} per container`,
    });
  }
  return problems;
}

/**
 * What validation found on disk for the image runway builds (validate.ts reads it, so this rule stays pure):
 * the build context and the Dockerfile, each as configured (relative to the project directory) and resolved.
 */
export interface BuildInputs {
  /** runway:image.context as the build uses it ("app"), relative to the project. */
  readonly context: string;
  readonly contextResolved: string;
  readonly contextIsDirectory: boolean;
  /** The Dockerfile relative to the project ("app/Dockerfile"). */
  readonly dockerfile: string;
  readonly dockerfileResolved: string;
  readonly dockerfileIsFile: boolean;
}

/**
 * The build context must be a directory and the Dockerfile a file, or `docker build` fails, after the
 * Artifact Registry repository is created. Only a build has inputs: a prebuilt runway:image.ref has none. With no
 * context, the Dockerfile in it is not judged (one problem, the first one to fix).
 */
export function buildInputProblems(inputs: BuildInputs | undefined): Problem[] {
  if (!inputs) return [];
  if (!inputs.contextIsDirectory) {
    return [
      {
        path: "runway:image.context",
        message: `${inputs.context} is not a directory in the project (${inputs.contextResolved})`,
      },
    ];
  }
  if (!inputs.dockerfileIsFile) {
    return [
      {
        path: "runway:image.dockerfile",
        message: `${inputs.dockerfile} is not a file in the project (${inputs.dockerfileResolved})`,
      },
    ];
  }
  return [];
}
