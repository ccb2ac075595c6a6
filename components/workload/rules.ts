/**
 * Rules on the service description that hold on every target, so that moving a stack between
 * Cloud Run and GKE never turns a valid description into an invalid one.
 */
import type { Problem } from "../config/problem";
import type { ServiceConfig } from "../config/schema";
import { DRAIN_DEADLINE_ENV } from "./contract";
import { releaseProblems } from "./release";

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
  problems.push(...sidecarProblems(service), ...releaseProblems(service));
  return problems;
}

/**
 * Sidecars on every target: each container of an instance (pod) needs its own name (Cloud Run and Kubernetes both
 * key containers by name), a sidecar that the app waits for needs a startup probe to say it is up, and the probe
 * cannot use the app's port, since all containers share the instance's network namespace on both targets
 * (Cloud Run: "every container in the instance reaches the others on localhost", a third-party page,
 * https://alchemy.run/gcp/compute/sidecars, Google's sidecar page not being at hand; Kubernetes:
 * https://kubernetes.io/docs/concepts/workloads/pods/#pod-networking).
 */
export function sidecarProblems(service: ServiceConfig): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>([service.name]);
  service.sidecars.forEach((sidecar, i) => {
    const at = `runway:service.sidecars[${i}]`;
    if (sidecar.name === service.name) {
      problems.push({ path: `${at}.name`, message: `${sidecar.name} is the service's name; the app container has it` });
    } else if (seen.has(sidecar.name)) {
      problems.push({ path: `${at}.name`, message: `${sidecar.name} names another sidecar; sidecar names are unique` });
    }
    seen.add(sidecar.name);
    if (sidecar.startsFirst && !sidecar.startupProbe) {
      problems.push({
        path: `${at}.startsFirst`,
        message: "needs a startupProbe: without one the app would wait only for the sidecar's process to start",
      });
    }
    if (sidecar.startupProbe && sidecar.startupProbe.port === service.port) {
      problems.push({
        path: `${at}.startupProbe.port`,
        message: `${sidecar.startupProbe.port} is the service's port; containers of one instance share its network`,
      });
    }
    for (const name of Object.keys(sidecar.secrets).filter((n) => n in sidecar.env)) {
      problems.push({
        path: `${at}.secrets.${name}`,
        message: `is also set in ${at}.env; a variable comes from env or from secrets, not both`,
      });
    }
    const envCount = Object.keys(sidecar.env).length + Object.keys(sidecar.secrets).length;
    if (envCount > ENV_VARS_MAX) {
      problems.push({
        path: `${at}.env`,
        message: `${envCount} variables (env + secrets); at most ${ENV_VARS_MAX} per container`,
      });
    }
  });
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
