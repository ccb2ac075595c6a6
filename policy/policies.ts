/**
 * The guardrails as CrossGuard policies: each wires one rule of rules.ts to @pulumi/policy's ResourceValidationPolicy
 * or StackValidationPolicy, with its config schema. index.ts hands the list to `new PolicyPack`; tests call the
 * same validateResource/validateStack functions on recorded inventories.
 *
 * The @pulumi/policy API used, as its 1.21.0 .d.ts (policy.d.ts) declares it:
 * - `validateResource(args, reportViolation)` gets `args.type` (the type token), `args.props` (the resource's
 *   inputs) and `args.urn`; `validateStack(args, reportViolation)` gets `args.resources` and reports with a URN.
 * - `configSchema` is JSON Schema per policy, and `args.getConfig()` returns that policy's config without
 *   `enforcementLevel` (server.js makeGetConfigFun). The CLI fills in the schema's defaults
 *   (https://www.pulumi.com/docs/using-pulumi/crossguard/configuration/, "Configuring policy packs"); `configOf`
 *   fills them in again so the rules see complete config however they are called.
 * - `enforcementLevel` per policy overrides the pack's; config may override both, per policy or with `all`.
 *
 * Rules dispatch on the type token rather than `validateResourceOfType(gcp.cloudrunv2.Service, …)`: that helper
 * compares the same token (the class's `__pulumiType`), but would make the pack install @pulumi/gcp and
 * @pulumi/kubernetes (about 110 MB) to read a string.
 */
import type { Policies, PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  basicRoleProblems,
  deletionProtectionProblems,
  gpuCapProblems,
  imageDigestProblems,
  isProduction,
  privateNodeProblems,
  publicServiceProblems,
  serviceAccountProblems,
  shieldedNodeProblems,
  stackOfUrn,
  workloadIdentityProblems,
  type Props,
} from "./rules";

/** For tests, which build these arguments as the engine would. */
export type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** The config each configurable policy reads, after defaults. */
export interface PolicyConfigs {
  "runway-no-public-services": { allowedPublicServices: string[] };
  "runway-images-by-digest": { digestExemptImages: string[] };
  "runway-gke-deletion-protection": { productionStacks: string[]; production?: boolean };
  "runway-gpu-cap": { maxGpusPerService: number };
}

/**
 * Image prefixes that may be referenced by tag by default: KEDA's charts (components/targets/gke/keda.ts, pinned by
 * chart version) run ghcr.io/kedacore/* images by tag, and a preview of a GKE stack shows their Deployments too.
 */
export const DEFAULT_DIGEST_EXEMPT_IMAGES = ["ghcr.io/kedacore/"];

const stringList = (description: string, defaults: string[]) => ({
  type: "array" as const,
  items: { type: "string" as const },
  default: defaults,
  description,
});

export const CONFIG_SCHEMAS: { readonly [K in keyof PolicyConfigs]: PolicyConfigSchema } = {
  "runway-no-public-services": {
    properties: {
      allowedPublicServices: stringList(
        "Services that may be public: a Cloud Run service's name, a Kubernetes Service's namespace/name.",
        [],
      ),
    },
  },
  "runway-images-by-digest": {
    properties: {
      digestExemptImages: stringList("Image prefixes that may be referenced by tag.", DEFAULT_DIGEST_EXEMPT_IMAGES),
    },
  },
  "runway-gke-deletion-protection": {
    properties: {
      productionStacks: stringList("Stack names that are production.", ["prod", "production"]),
      production: {
        type: "boolean",
        description: "Whether the stacks this pack runs on are production; when set, productionStacks is not read.",
      },
    },
  },
  "runway-gpu-cap": {
    properties: {
      maxGpusPerService: {
        type: "integer",
        minimum: 0,
        default: 8,
        description: "GPUs one service may hold at full scale: GPUs per instance × maximum instances.",
      },
    },
  },
};

/** A policy's config with the schema's defaults under what was given. */
export function configOf<K extends keyof PolicyConfigs>(policy: K, given: object): PolicyConfigs[K] {
  const defaults = Object.fromEntries(
    Object.entries(CONFIG_SCHEMAS[policy].properties).flatMap(([key, schema]) =>
      typeof schema === "object" && schema.default !== undefined ? [[key, schema.default]] : [],
    ),
  );
  return { ...defaults, ...given } as PolicyConfigs[K];
}

/** A resource policy that reports every message `check` returns for the resource. */
function resourcePolicy(
  name: string,
  description: string,
  check: (type: string, props: Props, urn: string, config: object) => string[],
  configSchema?: PolicyConfigSchema,
): ResourceValidationPolicy {
  return {
    name,
    description,
    ...(configSchema && { configSchema }),
    validateResource: (args, reportViolation) => {
      for (const message of check(args.type, args.props, args.urn, args.getConfig())) reportViolation(message);
    },
  };
}

export const noPublicServices = resourcePolicy(
  "runway-no-public-services",
  "No public service without an explicit allow: a Cloud Run service without the invoker IAM check, a role on it " +
    "for allUsers or allAuthenticatedUsers, or a LoadBalancer Service without GKE's internal annotation.",
  (type, props, _urn, given) =>
    publicServiceProblems(type, props, configOf("runway-no-public-services", given).allowedPublicServices),
  CONFIG_SCHEMAS["runway-no-public-services"],
);

export const imagesByDigest = resourcePolicy(
  "runway-images-by-digest",
  "Cloud Run services and Kubernetes workloads run images pinned by digest (@sha256:<64 hex>).",
  (type, props, _urn, given) =>
    imageDigestProblems(type, props, configOf("runway-images-by-digest", given).digestExemptImages),
  CONFIG_SCHEMAS["runway-images-by-digest"],
);

export const dedicatedServiceAccounts = resourcePolicy(
  "runway-dedicated-service-accounts",
  "Cloud Run services and GKE nodes run as a service account of their own, not the Compute Engine default one.",
  (type, props) => serviceAccountProblems(type, props),
);

export const noBasicRoles = resourcePolicy(
  "runway-no-basic-roles",
  "No IAM member, binding or policy grants roles/owner, roles/editor or roles/viewer.",
  (type, props) => basicRoleProblems(type, props),
);

export const gkeWorkloadIdentity = resourcePolicy(
  "runway-gke-workload-identity",
  "GKE clusters have Workload Identity, and no node pool shows pods the VM metadata server.",
  (type, props) => workloadIdentityProblems(type, props),
);

export const gkeShieldedNodes = resourcePolicy(
  "runway-gke-shielded-nodes",
  "GKE clusters keep Shielded Nodes, and their nodes boot with Secure Boot and integrity monitoring.",
  (type, props) => shieldedNodeProblems(type, props),
);

export const gkePrivateNodes = resourcePolicy(
  "runway-gke-private-nodes",
  "GKE nodes have internal addresses only.",
  (type, props) => privateNodeProblems(type, props),
);

export const gkeDeletionProtection = resourcePolicy(
  "runway-gke-deletion-protection",
  "GKE clusters of production stacks keep deletion protection.",
  (type, props, urn, given) =>
    deletionProtectionProblems(
      type,
      props,
      isProduction(stackOfUrn(urn), configOf("runway-gke-deletion-protection", given)),
    ),
  CONFIG_SCHEMAS["runway-gke-deletion-protection"],
);

export const gpuCap: StackValidationPolicy = {
  name: "runway-gpu-cap",
  description:
    "A service holds at most maxGpusPerService GPUs at full scale: Cloud Run GPUs per instance × maximum " +
    "instances, or a Deployment's GPUs per pod × its ScaledObject's (or HPA's) maximum replicas.",
  configSchema: CONFIG_SCHEMAS["runway-gpu-cap"],
  validateStack: (args, reportViolation) => {
    const { maxGpusPerService } = configOf("runway-gpu-cap", args.getConfig());
    for (const v of gpuCapProblems(args.resources, maxGpusPerService)) reportViolation(v.message, v.urn);
  },
};

/** Every policy of the pack, in the order the README lists them. */
export const POLICIES: Policies = [
  noPublicServices,
  imagesByDigest,
  dedicatedServiceAccounts,
  noBasicRoles,
  gkeWorkloadIdentity,
  gkeShieldedNodes,
  gkePrivateNodes,
  gkeDeletionProtection,
  gpuCap,
];
