/**
 * The stack config contract: the one schema every `Pulumi.<stack>.yaml` is checked against.
 * TypeScript types are inferred from it, and unknown keys are errors so that a typo is never silently ignored.
 * Every key carries its description in zod metadata (`.meta()`): the README's config reference
 * (tools/config-reference.ts, `npm run docs`) and schema/stack.schema.json (`npm run schema`) are generated from it.
 *
 * Only target-independent shape rules live here; the limits of one platform (Cloud Run CPU/memory
 * pairs, GPU machine families, …) are in workload/rules.ts and each target's rules.ts, each with its source.
 */
import { z } from "zod";
import { GPU_TYPES, isGpuType } from "../facts/gpus";
import { locationProblem, regionProblem } from "../facts/regions";
import { BOOT_DISK_TYPES } from "../facts/disks";
import { cpuCount } from "./quantities";
import { bool, httpPath, int, memory } from "./primitives";
import { eventsSchema, volumesSchema } from "./state-schema";

/** Where a config key means something: the config reference's "applies to" column. */
export type AppliesTo = "cloudrun" | "gke" | "both";

declare module "zod" {
  interface GlobalMeta {
    /**
     * Where the key means something, when its namespace does not say: runway:cloudrun.* keys are Cloud Run's,
     * runway:gke.* keys GKE's, and every other key is "both" unless it says otherwise.
     */
    appliesTo?: AppliesTo;
    /** The default as the config reference states it, for a key whose default is derived or structured. */
    defaultText?: string;
  }
}

/**
 * Service names feed the Cloud Run service id, the Kubernetes namespace and object names, and
 * derived service-account ids, so they follow the strictest of those rules on both targets and a
 * stack can switch target without renaming. Cloud Run v2 service_id: "must begin with letter, and
 * cannot end with hyphen; must contain fewer than 50 characters"
 * (https://cloud.google.com/python/docs/reference/run/latest/google.cloud.run_v2.types.CreateServiceRequest);
 * lowercase because Kubernetes names must be RFC 1123 labels
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/).
 */
export const SERVICE_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;

/**
 * POSIX-style variable names: Cloud Run's env names must be C_IDENTIFIER
 * (terraform-provider-google cloud_run_v2_service doc, v7.45.0), Kubernetes accepts a superset.
 */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Cloud Run env values are at most 32768 characters (terraform-provider-google cloud_run_v2_service doc, v7.45.0). */
export const ENV_VALUE_MAX = 32768;

/**
 * Secret Manager secret ids: "up to 255 characters … letters, numerals, hyphens and underscores"
 * (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create), then an optional
 * ":version", a positive version number or "latest" (the default).
 */
export const SECRET_REF_PATTERN = /^[A-Za-z0-9_-]{1,255}(:(latest|[1-9][0-9]*))?$/;

/**
 * Label keys and values on Google Cloud resources: keys start with a lowercase letter, both use lowercase
 * letters, digits, "_" and "-", at most 63 characters; at most 64 labels per resource
 * (https://cloud.google.com/resource-manager/docs/labels-overview#requirements).
 */
export const LABEL_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
export const LABEL_VALUE_PATTERN = /^[a-z0-9_-]{0,63}$/;
export const LABELS_MAX = 64;

/**
 * An Artifact Registry image pinned by digest (LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE@sha256:…):
 * https://cloud.google.com/artifact-registry/docs/docker/names. Tags are mutable, so a ref without a digest
 * would deploy whatever the tag points to on the day.
 */
export const IMAGE_REF_PATTERN = /^[a-z0-9-]+-docker\.pkg\.dev\/[^/\s]+\/[^/\s]+\/[^@\s]+@sha256:[0-9a-f]{64}$/;

const cpu = z
  .union([z.string(), z.number()], { error: 'must be a number of vCPUs such as "1", "0.5" or "4"' })
  .transform((value) => String(value))
  .refine((value) => cpuCount(value) !== undefined && Number(value) > 0, {
    error: 'must be a number of vCPUs such as "1", "0.5" or "4"',
  });

const labels = z
  .record(
    z.string().regex(LABEL_KEY_PATTERN, {
      error: "label keys must start with a lowercase letter and use only a-z, 0-9, _ and - (at most 63)",
    }),
    z.string({ error: "label values must be strings" }).regex(LABEL_VALUE_PATTERN, {
      error: "label values use only a-z, 0-9, _ and - (at most 63)",
    }),
  )
  .refine((value) => Object.keys(value).length <= LABELS_MAX, { error: `at most ${LABELS_MAX} labels` });

const gpu = z.strictObject({
  /** Accelerator type, e.g. "nvidia-l4". Required when gpu is set. */
  type: z
    .string({ error: 'must be an accelerator type such as "nvidia-l4"' })
    .refine(isGpuType, { error: `must be one of ${Object.keys(GPU_TYPES).join(", ")}` })
    .meta({
      description:
        "Accelerator type, e.g. `nvidia-l4` (Cloud Run and GKE), `nvidia-tesla-t4`, `nvidia-h100-80gb` (GKE).",
    }),
  /** GPUs per instance. Default 1. */
  count: int("a whole number of GPUs, at least 1")
    .min(1, { error: "must be at least 1" })
    .default(1)
    .meta({ description: "GPUs per instance. Cloud Run: 1." }),
});

const envVars = z.record(
  z.string().regex(ENV_NAME_PATTERN, {
    error: "environment variable names use letters, digits and _ and do not start with a digit",
  }),
  z
    .union([z.string(), z.number(), z.boolean()], { error: "environment variable values must be strings" })
    .transform((value) => String(value))
    .refine((value) => value.length <= ENV_VALUE_MAX, { error: `must be at most ${ENV_VALUE_MAX} characters` }),
);

const secretVars = z.record(
  z.string().regex(ENV_NAME_PATTERN, {
    error: "environment variable names use letters, digits and _ and do not start with a digit",
  }),
  z.string({ error: 'must be a secret id such as "api-key" or "api-key:3"' }).regex(SECRET_REF_PATTERN, {
    error: 'must be a Secret Manager secret id such as "api-key" or "api-key:3"',
  }),
);

/**
 * A sidecar's name: a container name on both targets, a DNS_LABEL (RFC 1123) on Cloud Run (Container.name,
 * https://cloud.google.com/run/docs/reference/rest/v2/Container) and on Kubernetes
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names): at most 63 characters.
 */
export const SIDECAR_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A sidecar image from any registry, pinned by digest (`NAME@sha256:` + 64 hex digits,
 * https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests): a tag could move under the revision.
 */
export const PINNED_IMAGE_PATTERN = /^[a-z0-9][a-z0-9._/:-]*@sha256:[0-9a-f]{64}$/;

const sidecar = z.strictObject({
  name: z
    .string({ error: 'is required: a container name such as "log-forwarder"' })
    .regex(SIDECAR_NAME_PATTERN, {
      error:
        "must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 63 characters",
    })
    .meta({ description: "Container name: lowercase letters, digits and `-`, at most 63; unique, not the service's." }),
  image: z
    .string({ error: "is required: an image pinned by digest (NAME@sha256:…)" })
    .regex(PINNED_IMAGE_PATTERN, { error: "must be an image pinned by digest: NAME@sha256: and 64 hex digits" })
    .meta({ description: "Image from any registry, pinned by digest (`NAME@sha256:` + 64 hex digits)." }),
  cpu: cpu.meta({ description: "vCPUs of the sidecar; the instance (pod) gets the app's plus every sidecar's." }),
  memory: memory.meta({ description: "Memory of the sidecar; counted into the instance (pod) like `cpu`." }),
  env: envVars.default({}).meta({ description: "Plain environment variables of the sidecar." }),
  secrets: secretVars.default({}).meta({
    description:
      "Variable → Secret Manager secret id, like the service's `secrets`. GKE: a file, `<NAME>_FILE` names it.",
  }),
  startupProbe: z
    .strictObject({
      path: httpPath("/ready").meta({ description: "HTTP path the probe requests." }),
      port: int("a TCP port from 1 to 65535")
        .min(1, { error: "must be a TCP port from 1 to 65535" })
        .max(65535, { error: "must be a TCP port from 1 to 65535" })
        .meta({ description: "Port the sidecar answers the probe on; not the service's port." }),
    })
    .optional()
    .meta({ description: "`{path, port}`: HTTP startup probe of the sidecar.", defaultText: "none" }),
  startsFirst: bool().default(false).meta({
    description:
      "`true`: the app starts only once this sidecar's startup probe passes (Cloud Run `dependsOn`; GKE native sidecar). Needs `startupProbe`.",
  }),
});

/**
 * A tag names a release's own URL. It becomes a DNS label on Cloud Run (`https://TAG---SERVICE-…run.app`) and a
 * Host name on GKE, so it keeps the DNS_LABEL rule: lowercase letters, digits and `-`, starting with a letter.
 */
export const RELEASE_TAG_PATTERN = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The digest of an image in the service's own repository, or a whole image reference pinned by digest. */
export const RELEASE_IMAGE_PATTERN = /^(sha256:[0-9a-f]{64}|[a-z0-9][a-z0-9._/:-]*@sha256:[0-9a-f]{64})$/;

const releaseTag = z.string({ error: 'must be a tag such as "canary"' }).regex(RELEASE_TAG_PATTERN, {
  error: "must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 63 characters",
});

const release = z.strictObject({
  stable: z
    .string({ error: "must be an image digest (sha256:…) or an image pinned by digest (NAME@sha256:…)" })
    .regex(RELEASE_IMAGE_PATTERN, {
      error: "must be an image digest (sha256: and 64 hex digits) or an image pinned by digest (NAME@sha256:…)",
    })
    .optional()
    .meta({
      description:
        "The image that keeps the traffic the candidate does not get: `sha256:…` (an earlier image of this service's repository) or `NAME@sha256:…`. It runs with the current settings.",
      defaultText: "none",
    }),
  candidatePercent: int("a whole number from 0 to 100")
    .min(0, { error: "must be from 0 to 100" })
    .max(100, { error: "must be from 0 to 100" })
    .default(100)
    .meta({
      description:
        "Share of requests for the candidate, the image this deploy runs; the stable image gets the rest. `0` rolls back, `100` promotes. GKE: 0 or 100 only.",
    }),
  candidateTag: releaseTag.optional().meta({
    description: "A URL of the candidate's own, whatever its share (Cloud Run tag; GKE: a Host name).",
    defaultText: "none",
  }),
  stableTag: releaseTag
    .optional()
    .meta({ description: "A URL of the stable image's own; needs `stable`.", defaultText: "none" }),
});

/** The service's fields as written; serviceSchema resolves the defaults that depend on other fields. */
export const serviceFields = z.strictObject({
  /** Service name; required. */
  name: z
    .string({ error: 'is required: a name such as "echo"' })
    .regex(SERVICE_NAME_PATTERN, {
      error:
        "must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 49 characters",
    })
    .meta({
      description:
        "The service's name: lowercase letters, digits and `-`, starting with a letter, not ending with `-`, at most 49 characters.",
    }),
  /** Port the container listens on. Default 8080, the port Cloud Run's container contract uses. */
  port: int("a TCP port from 1 to 65535")
    // "0 < containerPort < 65536" (terraform-provider-google cloud_run_v2_service doc, v7.45.0).
    .min(1, { error: "must be a TCP port from 1 to 65535" })
    .max(65535, { error: "must be a TCP port from 1 to 65535" })
    .default(8080)
    .meta({
      description:
        "Port the container listens on (also passed as `PORT`); the default is the port of Cloud Run's container contract.",
    }),
  /** vCPUs per instance. Default "1". */
  cpu: cpu.default("1").meta({ description: "vCPUs per instance. Cloud Run: 0.08–1, or 1, 2, 4, 6, 8." }),
  /** Memory per instance. Default "512Mi", Cloud Run's default for a revision. */
  memory: memory.default("512Mi").meta({
    description:
      "Memory per instance (the default is Cloud Run's for a revision). Cloud Run: within the CPU's window, at most 32Gi.",
  }),
  /** Accelerators per instance. Default none. */
  gpu: gpu.optional().meta({ description: "`{type, count}` accelerators per instance.", defaultText: "none" }),
  /** Instances kept running when idle. Default 0 (scale to zero). */
  minInstances: int("a whole number, 0 or more").min(0, { error: "must be 0 or more" }).default(0).meta({
    description:
      "Instances kept when idle; 0 scales to zero on both targets (on GKE through KEDA, with a cold start of minutes from zero GPU nodes).",
  }),
  /** Upper bound on instances. Default 5. */
  maxInstances: int("a whole number, at least 1")
    .min(1, { error: "must be at least 1" })
    .default(5)
    .meta({ description: "Upper bound on instances." }),
  /** Requests one instance serves at once. Default 80, or 1 below 1 vCPU: Cloud Run's defaults. */
  concurrency: int("a whole number from 1 to 1000")
    // "can be raised to 1000" (https://docs.cloud.google.com/run/docs/about-concurrency.md.txt).
    .min(1, { error: "must be from 1 to 1000" })
    .max(1000, { error: "must be from 1 to 1000" })
    .optional()
    .meta({
      description:
        "Requests per instance at once (1–1000; must be 1 below 1 vCPU on Cloud Run). On GKE it is the requests in flight per pod KEDA scales for, not a hard cap.",
      defaultText: "`80`; `1` below 1 vCPU",
    }),
  /** Longest a request may take. Default 300, Cloud Run's default. */
  timeoutSeconds: int("a whole number of seconds, at least 1")
    .min(1, { error: "must be at least 1" })
    .default(300)
    .meta({ description: "Longest request. Cloud Run: at most 3600." }),
  /** true lets anyone invoke the service (allUsers / an external load balancer). Default false. */
  public: bool().default(false).meta({
    description:
      "`true`: anyone may invoke. On Cloud Run the invoker IAM check is disabled (`invokerIamDisabled`), no `allUsers` binding, so Domain Restricted Sharing orgs accept it; on GKE an external load balancer.",
  }),
  /** HTTP path for startup, liveness and readiness probes. Default "/healthz". */
  healthPath: httpPath("/healthz")
    .default("/healthz")
    .meta({ description: "Path for the startup and liveness probes, and readiness unless `readyPath` is set." }),
  /** HTTP path of the readiness probe, which should fail while the app drains; GKE only. */
  readyPath: httpPath("/readyz").optional().meta({
    description:
      "Readiness probe path; it should fail while the app drains (the sample app's `/readyz`). GKE only: Cloud Run stops routing to an instance itself when it sends SIGTERM, its readiness probes are Preview, and the plan says so.",
    appliesTo: "gke",
    defaultText: "`healthPath`",
  }),
  /** Seconds the app may take to finish its requests after SIGTERM. Default 8. */
  drainSeconds: int("a whole number of seconds, at least 1").min(1, { error: "must be at least 1" }).default(8).meta({
    description:
      "Seconds the app may take to drain after SIGTERM, passed as `SHUTDOWN_DEADLINE_MS`; runway sizes the grace period before SIGKILL from it. GKE grace = 5 s preStop + drain + 2 s; Cloud Run: at most 8 (its SIGKILL comes 10 s after SIGTERM).",
  }),
  /** Plain environment variables. Default none. Never put secrets here: use `secrets`. */
  env: envVars.default({}).meta({ description: "Plain environment variables (never secrets: use `secrets`)." }),
  /** Environment variable → Secret Manager secret id, with an optional ":version" (default latest). Default none. */
  secrets: secretVars
    .default({})
    .meta({ description: "Variable → Secret Manager secret id, optional `:version` (default latest)." }),
  /** Containers next to the app in every instance (pod). Default none. */
  sidecars: z.array(sidecar, { error: "must be a list of sidecars" }).default([]).meta({
    description:
      "Containers beside the app in each instance (pod): `{name, image, cpu, memory, env?, secrets?, startupProbe?, startsFirst?}`. No ports and no volumes; Cloud Run: at most 9.",
  }),
  /** Pub/Sub and Cloud Storage events delivered to the service. Default none. */
  events: eventsSchema,
  /** Volumes the app container mounts. Default none. */
  volumes: volumesSchema,
  /** How requests split between the image this deploy runs and an earlier one. Default: all to this one. */
  release: release.optional().meta({
    description:
      "`{stable?, candidatePercent?, candidateTag?, stableTag?}`: canary, tagged URLs and rollback between the image this deploy runs (the candidate) and an earlier one (`stable`).",
    defaultText: "all requests to the candidate",
  }),
  /** Labels on every resource runway creates for the service. Default none. */
  labels: labels.default({}).meta({ description: "Labels on every resource runway creates for the service." }),
});

/**
 * Cloud Run's own default concurrency: "defaults to 80 when requested CPU >= 1 and defaults to 1 when requested
 * CPU < 1" (terraform-provider-google cloud_run_v2_service, max_instance_request_concurrency, v7.45.0). Below 1 vCPU
 * it must be 1, so a service that only sets cpu "0.5" is valid as written, on both targets.
 */
export function defaultConcurrency(cpu: string): number {
  return (cpuCount(cpu) ?? 1) < 1 ? 1 : 80;
}

export const serviceSchema = serviceFields.transform((service) => ({
  ...service,
  concurrency: service.concurrency ?? defaultConcurrency(service.cpu),
}));

export const imageSchema = z
  .strictObject({
    /** Build context, relative to the project. Default "app". */
    context: z
      .string({ error: "must be a directory path" })
      .min(1, { error: "must be a directory path" })
      .optional()
      .meta({
        description:
          "Build context, relative to the project; must be a directory there (checked before anything is created).",
        defaultText: "`app`",
      }),
    /** Dockerfile, relative to the context. Default "Dockerfile". */
    dockerfile: z.string({ error: "must be a file path" }).min(1, { error: "must be a file path" }).optional().meta({
      description: "Dockerfile, relative to the context; must be a file there (checked before anything is created).",
      defaultText: "`Dockerfile`",
    }),
    /** A prebuilt image pinned by digest; runway then builds nothing. Default none. */
    ref: z
      .string({ error: "must be an image reference" })
      .regex(IMAGE_REF_PATTERN, {
        error:
          "must be an Artifact Registry image pinned by digest: LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:<64 hex>",
      })
      .optional()
      .meta({
        description: "A prebuilt image pinned by digest (`…-docker.pkg.dev/…@sha256:…`); nothing is built.",
        defaultText: "none",
      }),
    /** How many recent image versions the repository keeps when cleaning up. Default 10. */
    keepRecent: int("a whole number from 1 to 1000")
      .min(1, { error: "must be from 1 to 1000" })
      .max(1000, {
        error: "must be from 1 to 1000",
      })
      .default(10)
      .meta({ description: "Image versions the repository's cleanup always keeps." }),
  })
  .refine((image) => image.ref === undefined || (image.context === undefined && image.dockerfile === undefined), {
    path: ["ref"],
    error: "give either ref (a prebuilt image) or context/dockerfile (a build), not both",
  });

export const cloudRunSchema = z.strictObject({
  /** Who may reach the service over the network. Default "all" (IAM still decides who may invoke). */
  ingress: z
    .enum(["all", "internal", "internal-and-cloud-load-balancing"], {
      error: 'must be one of "all", "internal", "internal-and-cloud-load-balancing"',
    })
    .default("all")
    .meta({
      description:
        "Who may reach the service over the network: `all`, `internal`, `internal-and-cloud-load-balancing` (IAM still decides who may invoke).",
    }),
  /** true bills CPU only while serving requests. Default true, or false with a GPU (which requires it). */
  cpuIdle: bool().optional().meta({
    description: "`true` bills CPU only during requests; a GPU requires `false`.",
    defaultText: "true; false with a GPU",
  }),
  /** Extra CPU while an instance starts. Default true. */
  startupCpuBoost: bool().default(true).meta({ description: "Extra CPU while an instance starts." }),
  /** "gen1" or "gen2". Default: gen2 with a GPU, gen1 below 1 vCPU, else Cloud Run chooses. */
  executionEnvironment: z.enum(["gen1", "gen2"], { error: 'must be "gen1" or "gen2"' }).optional().meta({
    description: "`gen1` or `gen2`.",
    defaultText: "gen2 with a GPU, gen1 below 1 vCPU or 512Mi, else Cloud Run's choice",
  }),
  /** Refuse to delete the service. Default: the value of runway:protect. */
  deletionProtection: bool()
    .optional()
    .meta({ description: "Refuse to delete the service.", defaultText: "`runway:protect`" }),
  /** Keep GPU capacity in reserve across zones (costs more per GPU-second). Default true, Cloud Run's default. */
  gpuZonalRedundancy: bool().optional().meta({
    description: "Reserve GPU capacity across zones (costs more per GPU-second).",
    defaultText: "true with a GPU, Cloud Run's default",
  }),
  /** Direct VPC egress, which NFS volumes need to reach their server. Default none. */
  vpcAccess: z
    .strictObject({
      network: z
        .string({ error: 'must be a VPC network name such as "default"' })
        .min(1, { error: 'must be a VPC network name such as "default"' })
        .meta({ description: "The VPC network instances send from." }),
      subnetwork: z
        .string({ error: 'must be a subnetwork name such as "default"' })
        .min(1, { error: 'must be a subnetwork name such as "default"' })
        .meta({ description: "The subnetwork in the service's region; instances take addresses from it." }),
      egress: z
        .enum(["private-ranges", "all"], { error: 'must be "private-ranges" or "all"' })
        .default("private-ranges")
        .meta({ description: "`private-ranges`: only private addresses go through the VPC; `all`: everything." }),
    })
    .optional()
    .meta({
      description: "`{network, subnetwork, egress?}`: Direct VPC egress; NFS volumes need it.",
      defaultText: "none",
    }),
});

/** Kubernetes namespace names are RFC 1123 labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/). */
export const NAMESPACE_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A zone ("us-central1-a") or a region ("us-central1"). */
export const LOCATION_PATTERN = /^[a-z]+-[a-z]+\d+(-[a-z])?$/;

const authorizedNetwork = z.strictObject({
  /** IPv4 range allowed to reach the control plane, e.g. "203.0.113.0/24". Required. */
  cidr: z
    .string({ error: 'must be an IPv4 CIDR such as "203.0.113.0/24"' })
    .meta({ description: "IPv4 CIDR without host bits; `0.0.0.0/0` is refused." }),
  /** A label for the range. Default: the CIDR. */
  name: z
    .string({ error: "must be text" })
    .optional()
    .meta({ description: "A label for the range.", defaultText: "the CIDR" }),
});

const nodeCount = (min: number) => int(`a whole number, ${min} or more`).min(min, { error: `must be ${min} or more` });

export const systemPoolSchema = z.strictObject({
  /** Machine type of the system pool. Default: the smallest general-purpose type that holds what it runs. */
  machineType: z.string({ error: 'must be a machine type such as "e2-medium"' }).optional().meta({
    description: "Machine type of the system pool: general-purpose; a service without a GPU runs on this pool.",
    defaultText:
      "the smallest type whose `nodes` hold runway's add-ons and GKE's pods (and one pod of a GPU-less service)",
  }),
  /** Nodes in the system pool (per zone), the autoscaler's minimum. Default 1. */
  nodes: nodeCount(1).default(1).meta({ description: "Fewest nodes per zone (the autoscaler's minimum)." }),
  /** Most nodes in the system pool (per zone). Default: enough for what it runs. */
  maxNodes: nodeCount(1).optional().meta({
    description: "Most nodes per zone.",
    defaultText: "enough for the add-ons, GKE's pods and, without a GPU, `maxInstances` + 1 surge pod",
  }),
  /** Run the system pool on Spot VMs. Default false. */
  spot: bool().default(false).meta({ description: "Spot VMs (needs 2+ nodes)." }),
});

export const gpuSharingSchema = z.strictObject({
  /** How containers share one GPU: "TIME_SHARING" or "MPS". Required. */
  strategy: z.enum(["TIME_SHARING", "MPS"], { error: 'must be "TIME_SHARING" or "MPS"' }).meta({
    description:
      "`TIME_SHARING` or `MPS`; `MPS` is refused: it needs `hostIPC`, which both `runway:gke.podSecurity` levels forbid.",
  }),
  /** Containers per physical GPU. Required. */
  maxSharedClients: int("a whole number from 2 to 48").meta({ description: "Pods per GPU, 2–48." }),
});

export const gpuPoolSchema = z.strictObject({
  /** Machine type of the GPU pool. Default: the smallest type of the GPU's family that fits the service. */
  machineType: z.string({ error: 'must be a machine type such as "g2-standard-4"' }).optional().meta({
    description: "Machine type of the GPU pool, e.g. `g2-standard-8` for L4.",
    defaultText: "smallest type of the GPU's family that fits the service",
  }),
  /** Fewest nodes (per zone); 0 lets the pool scale to nothing. Default 0. */
  minNodes: nodeCount(0).default(0).meta({ description: "Fewest nodes per zone (0: scale the pool to nothing)." }),
  /** Most nodes (per zone). Default: enough for maxInstances + 1 surge pod. */
  maxNodes: nodeCount(1).optional().meta({
    description: "Most nodes per zone; must hold `maxInstances` + 1 pods.",
    defaultText: "enough for `maxInstances` + 1 surge pod",
  }),
  /** Run GPU nodes on Spot VMs (cheaper, can be reclaimed with 30 s notice). Default false. */
  spot: bool().default(false).meta({ description: "Spot VMs: cheaper, reclaimable with 30 s notice." }),
  /** Boot disk size in GB; images with CUDA are large. Default 100. */
  diskSizeGb: int("a whole number of GB, 10 or more")
    .min(10, { error: "must be 10 or more" })
    .default(100)
    .meta({ description: "Boot disk per node (CUDA images are large)." }),
  /** Boot disk type per node. Default: the first type the machine series boots from (facts/disks.ts). */
  diskType: z
    .enum(BOOT_DISK_TYPES, { error: `must be one of ${BOOT_DISK_TYPES.map((t) => `"${t}"`).join(", ")}` })
    .optional()
    .meta({
      description:
        "Boot disk type; must be one the machine series boots from (G2: `pd-balanced`, `pd-ssd`; G4, A3 Ultra, A4: only `hyperdisk-balanced`; `components/facts/disks.ts`).",
      defaultText: "`pd-balanced`; `hyperdisk-balanced` on G4, A3 Ultra and A4",
    }),
  /** NVIDIA driver GKE installs: "DEFAULT", "LATEST" or "INSTALLATION_DISABLED". Default "LATEST". */
  driverVersion: z
    .enum(["DEFAULT", "LATEST", "INSTALLATION_DISABLED"], {
      error: 'must be "DEFAULT", "LATEST" or "INSTALLATION_DISABLED"',
    })
    .default("LATEST")
    .meta({ description: "NVIDIA driver GKE installs: `DEFAULT`, `LATEST`, `INSTALLATION_DISABLED`." }),
  /** Share each GPU between containers. Default null (no sharing). */
  sharing: gpuSharingSchema
    .nullable()
    .default(null)
    .meta({ description: "`{strategy, maxSharedClients}` to share each GPU; `null`: no sharing." }),
  /** Minutes a GPU node stays after it is no longer needed, before GKE removes it. Default 5. */
  scaleDownDelayMinutes: int("a whole number of minutes from 1 to 1440")
    .min(1, { error: "must be at least 1 (the ComputeClass's minimum)" })
    .max(1440, { error: "must be at most 1440 (24 hours, the ComputeClass's maximum)" })
    .default(5)
    .meta({
      description:
        "Minutes an unneeded GPU node stays before GKE removes it (the consolidation delay of the pool's ComputeClass `runway-gpu`, 1–1440, its CRD's bounds); the cluster autoscaler's own default is about 10. The default is the delay of Google's own example (\"GKE removes unused nodes after five minutes\").",
    }),
});

export const gkeSchema = z.strictObject({
  /** Zone or region of the cluster. Default: the first zone of gcp:region that offers the GPU type. */
  location: z
    .string({ error: 'must be a zone or region such as "us-central1-a"' })
    .regex(LOCATION_PATTERN, {
      error: 'must be a zone or region such as "us-central1-a"',
    })
    // The pattern only checks the shape; us-central2 and us-central1-e have it too (components/facts/regions.ts).
    .superRefine((value, ctx) => {
      const message = locationProblem(value);
      if (message) ctx.addIssue({ code: "custom", message });
    })
    .optional()
    .meta({
      description: "Zone (zonal cluster) or region (regional) of the cluster.",
      defaultText: "first zone of `gcp:region` with the GPU",
    }),
  /** GKE release channel. Default "REGULAR". */
  releaseChannel: z
    .enum(["RAPID", "REGULAR", "STABLE", "EXTENDED"], {
      error: 'must be one of "RAPID", "REGULAR", "STABLE", "EXTENDED"',
    })
    .default("REGULAR")
    .meta({ description: "GKE release channel: `RAPID`, `REGULAR`, `STABLE`, `EXTENDED`." }),
  /** Nodes get no public IP and reach the internet through Cloud NAT. Default true. */
  privateNodes: bool().default(true).meta({ description: "Nodes without public IPs, egress through Cloud NAT." }),
  /** Ranges allowed to reach the control plane's public endpoint; empty means none. Default []. */
  authorizedNetworks: z.array(authorizedNetwork, { error: "must be a list of {cidr, name}" }).default([]).meta({
    description:
      "`[{cidr, name}]` allowed to the control plane's IP endpoint (empty: none); at most 50 with `privateNodes: false`, 100 with private nodes (GKE's limits).",
  }),
  /** Refuse to delete the cluster (and protect it in Pulumi). Default: runway:protect. */
  deletionProtection: bool().optional().meta({
    description:
      "Refuse to delete the cluster; when true the cluster is also Pulumi-protected, so `pulumi destroy` refuses at preview.",
    defaultText: "`runway:protect`",
  }),
  /** The pool that runs cluster services (and a service without a GPU). Default {nodes: 1, spot: false}. */
  systemPool: systemPoolSchema.default({ nodes: 1, spot: false }).meta({
    description: "The autoscaled pool for cluster services, KEDA and a GPU-less service.",
    defaultText: "see keys",
  }),
  /** The pool that runs the service's GPU pods. Default: see each key. */
  gpuPool: gpuPoolSchema
    .default({
      minNodes: 0,
      spot: false,
      diskSizeGb: 100,
      driverVersion: "LATEST",
      sharing: null,
      scaleDownDelayMinutes: 5,
    })
    .meta({ description: "The pool for the service's GPU pods.", defaultText: "see keys" }),
  /** Namespace of the service's objects. Default: the service name. */
  namespace: z
    .string({ error: "must be a namespace name" })
    .regex(NAMESPACE_PATTERN, {
      error: "must be a Kubernetes namespace name: a-z, 0-9 and -, at most 63 characters",
    })
    .optional()
    .meta({ description: "Namespace of the service's Kubernetes objects.", defaultText: "the service name" }),
  /** Seconds a request waits for a pod while the service scales from zero. Default 1800 with a GPU, 600 without. */
  coldStartSeconds: int("a whole number of seconds, at least 60")
    .min(60, { error: "must be at least 60" })
    .optional()
    .meta({
      description:
        "How long a request waits for a pod while the service scales from zero (GPU node, driver, image pull, model load); also the rollout deadline. The default is runway's estimate, not a published figure.",
      defaultText: "1800 with a GPU, 600 without",
    }),
  /** "hold": a request waits for the cold start; "placeholder": it gets 503 with Retry-After at once. Default "hold". */
  coldStartResponse: z
    .enum(["hold", "placeholder"], { error: 'must be "hold" or "placeholder"' })
    .default("hold")
    .meta({
      description:
        "`hold`: the request waits for the cold start; `placeholder`: it gets 503 with `Retry-After: 30` at once.",
    }),
  /** Seconds without traffic before pods scale down towards minInstances. Default 300 (KEDA's cooldownPeriod). */
  scaleDownSeconds: int("a whole number of seconds, 0 or more")
    .min(0, { error: "must be 0 or more" })
    .default(300)
    .meta({
      description:
        "Seconds without requests before pods scale down towards `minInstances` (KEDA's `cooldownPeriod`); the GPU node follows after `runway:gke.gpuPool.scaleDownDelayMinutes`.",
    }),
  /** The Pod Security Standard the namespace enforces: "restricted" or "baseline". Default "restricted". */
  podSecurity: z
    .enum(["restricted", "baseline"], { error: 'must be "restricted" or "baseline"' })
    .default("restricted")
    .meta({
      description:
        "Pod Security Standard of the namespace. `restricted`: the image must run as a numeric non-root uid (a root or named final-stage `USER` in the Dockerfile is refused before deploying) on a read-only root filesystem with a writable `/tmp`, as uid and gid 65532 whatever the `USER`. `baseline`: root images that write caches run; still no privilege escalation, no capabilities, RuntimeDefault seccomp, but a container escape starts as root.",
    }),
  /** Binary Authorization on the cluster: "enforce" or "off". Default "off". */
  binaryAuthorization: z.enum(["enforce", "off"], { error: 'must be "enforce" or "off"' }).default("off").meta({
    description:
      "`enforce`: GKE admits only images the project's Binary Authorization policy allows (`PROJECT_SINGLETON_POLICY_ENFORCE`; it needs binaryauthorization.googleapis.com, `gke/apis.ts`). The policy is the project's: the default one allows all, so enforcing changes nothing until it is tightened, and a tightened one must admit runway's repository and KEDA's images (`ghcr.io/kedacore`) or their pods are refused. `off`: no check.",
  }),
});

export const loadSchema = z.strictObject({
  /** Requests a month. Required. */
  requestsPerMonth: int("a whole number, 0 or more")
    .min(0, { error: "must be 0 or more" })
    .meta({ description: "Requests a month." }),
  /** Average time a request takes, in seconds. Required. */
  avgRequestSeconds: z
    .number({ error: "must be a number of seconds" })
    .positive({ error: "must be more than 0" })
    .meta({ description: "Average seconds per request." }),
  /** Requests one instance serves at the same time, on average. Default 1. */
  concurrency: int("a whole number, at least 1")
    .min(1, { error: "must be at least 1" })
    .default(1)
    .meta({ description: "Requests an instance serves at once, on average." }),
});

export const targetSchema = z.enum(["cloudrun", "gke", "auto"], {
  error: 'must be one of "cloudrun", "gke", "auto"',
});

/** The `runway:` namespace of a stack's config. */
export const runwaySchema = z.strictObject({
  /** Where the service runs; "auto" picks Cloud Run unless the service needs GKE. Default "auto". */
  target: targetSchema
    .default("auto")
    .meta({ description: "`cloudrun`, `gke`, or `auto`: Cloud Run unless the service needs GKE." }),
  /** What to deploy. Default: build ./app with its Dockerfile. */
  image: imageSchema.default({ keepRecent: 10 }).meta({ description: "What to deploy.", defaultText: "build `app/`" }),
  /** The service description shared by every target. Required. */
  service: serviceSchema.meta({ description: "The service description shared by every target." }),
  /** Cloud Run-only settings. Default {}. */
  cloudrun: cloudRunSchema
    .default({ ingress: "all", startupCpuBoost: true })
    .meta({ description: "Cloud Run-only settings.", defaultText: "`{}`" }),
  /** GKE-only settings. Default: see each key. */
  gke: gkeSchema
    .optional()
    .meta({ description: "GKE-only settings; present means `auto` picks GKE.", defaultText: "none (all defaults)" }),
  /** A traffic profile for the cost estimate. Default none (idle cost only). */
  load: loadSchema
    .optional()
    .meta({ description: "Traffic profile for the cost estimate.", defaultText: "none (idle cost only)" }),
  /** Protect what holds data or is slow to rebuild from deletion. Default false; true in production stacks. */
  protect: bool()
    .default(false)
    .meta({ description: "Protect what holds data or is slow to rebuild from deletion; `true` in production." }),
  /** Let a change leave a disk volume's data behind (a target switch, a rename, removing the volume). Default false. */
  allowDataLoss: bool().default(false).meta({
    description:
      "`true` lets a change move away from a `disk` volume's data: switching target, renaming the service, its namespace or `runway:physicalName`, or removing the volume. The plan refuses such a change otherwise; the disks themselves are kept (Retain) either way.",
  }),
  /** The base of the names runway gives resources in the project. Default: `<service.name>-<stack>`. */
  physicalName: z
    .string({ error: "must be a name" })
    .regex(SERVICE_NAME_PATTERN, {
      error: "must be lowercase letters, digits and hyphens, start with a letter, not end with a hyphen, at most 49",
    })
    .optional()
    .meta({
      description:
        'The base of every name in the project: the Cloud Run service, the image repository, the service accounts (`<base>-run`, `-gke`, `-nodes`), and on GKE the cluster, network, router and NAT; same rule as service names; see "Names". The default lets several stacks share a project; set it to the service name to keep the names of a stack created before names carried the stack.',
      defaultText: "`<service.name>-<stack>`",
    }),
  /**
   * The service name as a plain key, for `pulumi new`: a template's prompts set top-level keys only, never a path
   * such as runway:service.name (Pulumi.yaml comment). Same rule as service names; give it or runway:service.name,
   * not both. Default none.
   */
  serviceName: z
    .string({ error: "must be a name" })
    .regex(SERVICE_NAME_PATTERN, {
      error:
        "must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 49 characters",
    })
    .optional()
    .meta({
      description:
        "The service name as a plain key, for `pulumi new` templates, whose prompts set top-level keys only; same rule as `runway:service.name`. Give it or `runway:service.name`, not both.",
      defaultText: "none",
    }),
});

/** The `gcp:` keys runway needs; the provider reads the others itself. */
export const gcpSchema = z.object({
  /** The project to deploy into. Required. */
  project: z
    .string({ error: "is required: pulumi config set gcp:project <project-id>" })
    // "6 to 30 lowercase letters, digits, or hyphens … start with a letter … cannot end with a hyphen"
    // (https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin).
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
      error: "must be a project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter",
    })
    .meta({ description: "The Google Cloud project to deploy into." }),
  /** The region to deploy into. Required. */
  region: z
    .string({ error: "is required: pulumi config set gcp:region <region>, e.g. us-central1" })
    .regex(/^[a-z]+-[a-z]+\d+$/, { error: 'must be a region such as "us-central1"' })
    // The pattern only checks the shape; us-centrl1 has it too (components/facts/regions.ts).
    .superRefine((value, ctx) => {
      const message = regionProblem(value);
      if (message) ctx.addIssue({ code: "custom", message });
    })
    .meta({ description: "The region to deploy into, e.g. `us-central1`." }),
});

export const stackConfigSchema = z.object({ gcp: gcpSchema, runway: runwaySchema });

export type StackConfig = z.infer<typeof stackConfigSchema>;
/** The service description as written (defaults not yet applied): what components take. */
export type ServiceInput = z.input<typeof serviceSchema>;
export type CloudRunInput = z.input<typeof cloudRunSchema>;
export type GkeInput = z.input<typeof gkeSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type ImageConfig = z.infer<typeof imageSchema>;
export type CloudRunConfig = z.infer<typeof cloudRunSchema>;
export type GpuConfig = z.infer<typeof gpu>;
export type SidecarConfig = z.infer<typeof sidecar>;
export type ReleaseConfig = z.infer<typeof release>;
export type Target = z.infer<typeof targetSchema>;
export type GkeConfig = z.infer<typeof gkeSchema>;
/** The Pod Security Standard a GKE namespace enforces. */
export type PodSecurity = GkeConfig["podSecurity"];
export type LoadConfig = z.infer<typeof loadSchema>;
export type GpuPoolConfig = z.infer<typeof gpuPoolSchema>;
