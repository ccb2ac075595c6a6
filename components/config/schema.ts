/**
 * The stack config contract: the one schema every `Pulumi.<stack>.yaml` is checked against.
 * TypeScript types are inferred from it, the README's config reference is checked against it, and
 * unknown keys are errors so that a typo is never silently ignored.
 *
 * Only target-independent shape rules live here; the limits of one platform (Cloud Run CPU/memory
 * pairs, GPU machine families, …) are in workload/rules.ts and each target's rules.ts, each with its source.
 */
import { z } from "zod";
import { GPU_TYPES, isGpuType } from "../facts/gpus";
import { locationProblem, regionProblem } from "../facts/regions";
import { BOOT_DISK_TYPES } from "../facts/disks";
import { cpuCount, memoryMiB } from "./quantities";

const int = (what: string) => z.number({ error: `must be ${what}` }).int({ error: `must be ${what}` });
const bool = () => z.boolean({ error: "must be true or false" });

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

const memory = z
  .string({ error: 'must be a quantity such as "512Mi" or "4Gi"' })
  .refine((value) => (memoryMiB(value) ?? 0) > 0, { error: 'must be a quantity such as "512Mi" or "4Gi"' });

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
    .refine(isGpuType, { error: `must be one of ${Object.keys(GPU_TYPES).join(", ")}` }),
  /** GPUs per instance. Default 1. */
  count: int("a whole number of GPUs, at least 1").min(1, { error: "must be at least 1" }).default(1),
});

function httpPath(example: string) {
  return z
    .string({ error: `must be an absolute HTTP path such as "${example}"` })
    .regex(/^\/\S*$/, { error: `must be an absolute HTTP path such as "${example}"` });
}

/** The service's fields as written; serviceSchema resolves the defaults that depend on other fields. */
export const serviceFields = z.strictObject({
  /** Service name; required. */
  name: z.string({ error: 'is required: a name such as "echo"' }).regex(SERVICE_NAME_PATTERN, {
    error: "must start with a lowercase letter, use only a-z, 0-9 and -, not end with -, and be at most 49 characters",
  }),
  /** Port the container listens on. Default 8080, the port Cloud Run's container contract uses. */
  port: int("a TCP port from 1 to 65535")
    // "0 < containerPort < 65536" (terraform-provider-google cloud_run_v2_service doc, v7.45.0).
    .min(1, { error: "must be a TCP port from 1 to 65535" })
    .max(65535, { error: "must be a TCP port from 1 to 65535" })
    .default(8080),
  /** vCPUs per instance. Default "1". */
  cpu: cpu.default("1"),
  /** Memory per instance. Default "512Mi", Cloud Run's default for a revision. */
  memory: memory.default("512Mi"),
  /** Accelerators per instance. Default none. */
  gpu: gpu.optional(),
  /** Instances kept running when idle. Default 0 (scale to zero). */
  minInstances: int("a whole number, 0 or more").min(0, { error: "must be 0 or more" }).default(0),
  /** Upper bound on instances. Default 5. */
  maxInstances: int("a whole number, at least 1").min(1, { error: "must be at least 1" }).default(5),
  /** Requests one instance serves at once. Default 80, or 1 below 1 vCPU: Cloud Run's defaults. */
  concurrency: int("a whole number from 1 to 1000")
    // "can be raised to 1000" (https://docs.cloud.google.com/run/docs/about-concurrency.md.txt).
    .min(1, { error: "must be from 1 to 1000" })
    .max(1000, { error: "must be from 1 to 1000" })
    .optional(),
  /** Longest a request may take. Default 300, Cloud Run's default. */
  timeoutSeconds: int("a whole number of seconds, at least 1").min(1, { error: "must be at least 1" }).default(300),
  /** true lets anyone invoke the service (allUsers / an external load balancer). Default false. */
  public: bool().default(false),
  /** HTTP path for startup, liveness and readiness probes. Default "/healthz". */
  healthPath: httpPath("/healthz").default("/healthz"),
  /**
   * HTTP path of the readiness probe, which should fail while the app drains. Default: healthPath. GKE only:
   * Cloud Run stops routing to an instance itself when it sends SIGTERM.
   */
  readyPath: httpPath("/readyz").optional(),
  /**
   * Seconds the app may take to finish its requests after SIGTERM. runway passes it to the container as
   * SHUTDOWN_DEADLINE_MS and sizes the grace period before SIGKILL from it. Default 8.
   */
  drainSeconds: int("a whole number of seconds, at least 1").min(1, { error: "must be at least 1" }).default(8),
  /** Plain environment variables. Default none. Never put secrets here: use `secrets`. */
  env: z
    .record(
      z.string().regex(ENV_NAME_PATTERN, {
        error: "environment variable names use letters, digits and _ and do not start with a digit",
      }),
      z
        .union([z.string(), z.number(), z.boolean()], { error: "environment variable values must be strings" })
        .transform((value) => String(value))
        .refine((value) => value.length <= ENV_VALUE_MAX, { error: `must be at most ${ENV_VALUE_MAX} characters` }),
    )
    .default({}),
  /** Environment variable → Secret Manager secret id, with an optional ":version" (default latest). Default none. */
  secrets: z
    .record(
      z.string().regex(ENV_NAME_PATTERN, {
        error: "environment variable names use letters, digits and _ and do not start with a digit",
      }),
      z.string({ error: 'must be a secret id such as "api-key" or "api-key:3"' }).regex(SECRET_REF_PATTERN, {
        error: 'must be a Secret Manager secret id such as "api-key" or "api-key:3"',
      }),
    )
    .default({}),
  /** Labels on every resource runway creates for the service. Default none. */
  labels: labels.default({}),
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
    context: z.string({ error: "must be a directory path" }).min(1, { error: "must be a directory path" }).optional(),
    /** Dockerfile, relative to the context. Default "Dockerfile". */
    dockerfile: z.string({ error: "must be a file path" }).min(1, { error: "must be a file path" }).optional(),
    /** A prebuilt image pinned by digest; runway then builds nothing. Default none. */
    ref: z
      .string({ error: "must be an image reference" })
      .regex(IMAGE_REF_PATTERN, {
        error:
          "must be an Artifact Registry image pinned by digest: LOCATION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:<64 hex>",
      })
      .optional(),
    /** How many recent image versions the repository keeps when cleaning up. Default 10. */
    keepRecent: int("a whole number from 1 to 1000")
      .min(1, { error: "must be from 1 to 1000" })
      .max(1000, {
        error: "must be from 1 to 1000",
      })
      .default(10),
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
    .default("all"),
  /** true bills CPU only while serving requests. Default true, or false with a GPU (which requires it). */
  cpuIdle: bool().optional(),
  /** Extra CPU while an instance starts. Default true. */
  startupCpuBoost: bool().default(true),
  /** "gen1" or "gen2". Default: gen2 with a GPU, gen1 below 1 vCPU, else Cloud Run chooses. */
  executionEnvironment: z.enum(["gen1", "gen2"], { error: 'must be "gen1" or "gen2"' }).optional(),
  /** Refuse to delete the service. Default: the value of runway:protect. */
  deletionProtection: bool().optional(),
  /** Keep GPU capacity in reserve across zones (costs more per GPU-second). Default true, Cloud Run's default. */
  gpuZonalRedundancy: bool().optional(),
});

/** Kubernetes namespace names are RFC 1123 labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/names/). */
export const NAMESPACE_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A zone ("us-central1-a") or a region ("us-central1"). */
export const LOCATION_PATTERN = /^[a-z]+-[a-z]+\d+(-[a-z])?$/;

const authorizedNetwork = z.strictObject({
  /** IPv4 range allowed to reach the control plane, e.g. "203.0.113.0/24". Required. */
  cidr: z.string({ error: 'must be an IPv4 CIDR such as "203.0.113.0/24"' }),
  /** A label for the range. Default: the CIDR. */
  name: z.string({ error: "must be text" }).optional(),
});

const nodeCount = (min: number) => int(`a whole number, ${min} or more`).min(min, { error: `must be ${min} or more` });

export const systemPoolSchema = z.strictObject({
  /**
   * Machine type of the system pool. Default: the smallest general-purpose type whose `nodes` hold runway's add-ons
   * and GKE's own pods and, for a service without a GPU (which then runs on this pool), one of its pods.
   */
  machineType: z.string({ error: 'must be a machine type such as "e2-medium"' }).optional(),
  /** Nodes in the system pool (per zone), the autoscaler's minimum. Default 1. */
  nodes: nodeCount(1).default(1),
  /**
   * Most nodes in the system pool (per zone). Default: enough for runway's add-ons, GKE's own pods and, without a
   * GPU, maxInstances + 1 surge pod.
   */
  maxNodes: nodeCount(1).optional(),
  /** Run the system pool on Spot VMs. Default false. */
  spot: bool().default(false),
});

export const gpuSharingSchema = z.strictObject({
  /** How containers share one GPU: "TIME_SHARING" or "MPS". Required. */
  strategy: z.enum(["TIME_SHARING", "MPS"], { error: 'must be "TIME_SHARING" or "MPS"' }),
  /** Containers per physical GPU. Required. */
  maxSharedClients: int("a whole number from 2 to 48"),
});

export const gpuPoolSchema = z.strictObject({
  /** Machine type of the GPU pool. Default: the smallest type of the GPU's family that fits the service. */
  machineType: z.string({ error: 'must be a machine type such as "g2-standard-4"' }).optional(),
  /** Fewest nodes (per zone); 0 lets the pool scale to nothing. Default 0. */
  minNodes: nodeCount(0).default(0),
  /** Most nodes (per zone). Default: enough for maxInstances + 1 surge pod. */
  maxNodes: nodeCount(1).optional(),
  /** Run GPU nodes on Spot VMs (cheaper, can be reclaimed with 30 s notice). Default false. */
  spot: bool().default(false),
  /** Boot disk size in GB; images with CUDA are large. Default 100. */
  diskSizeGb: int("a whole number of GB, 10 or more").min(10, { error: "must be 10 or more" }).default(100),
  /**
   * Boot disk type per node. Default: the first type the machine series boots from (facts/disks.ts): "pd-balanced",
   * or "hyperdisk-balanced" on the Hyperdisk-only series (G4, A3 Ultra, A4).
   */
  diskType: z
    .enum(BOOT_DISK_TYPES, { error: `must be one of ${BOOT_DISK_TYPES.map((t) => `"${t}"`).join(", ")}` })
    .optional(),
  /** NVIDIA driver GKE installs: "DEFAULT", "LATEST" or "INSTALLATION_DISABLED". Default "LATEST". */
  driverVersion: z
    .enum(["DEFAULT", "LATEST", "INSTALLATION_DISABLED"], {
      error: 'must be "DEFAULT", "LATEST" or "INSTALLATION_DISABLED"',
    })
    .default("LATEST"),
  /** Share each GPU between containers. Default null (no sharing). */
  sharing: gpuSharingSchema.nullable().default(null),
  /**
   * Minutes a GPU node stays after it is no longer needed, before GKE removes it: the consolidation delay of the
   * pool's ComputeClass, 1 to 1440 (its CRD's bounds). Without a class the cluster autoscaler waits 10 minutes.
   * Default 5, the delay of Google's own example ("GKE removes unused nodes after five minutes").
   */
  scaleDownDelayMinutes: int("a whole number of minutes from 1 to 1440")
    .min(1, { error: "must be at least 1 (the ComputeClass's minimum)" })
    .max(1440, { error: "must be at most 1440 (24 hours, the ComputeClass's maximum)" })
    .default(5),
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
    .optional(),
  /** GKE release channel. Default "REGULAR". */
  releaseChannel: z
    .enum(["RAPID", "REGULAR", "STABLE", "EXTENDED"], {
      error: 'must be one of "RAPID", "REGULAR", "STABLE", "EXTENDED"',
    })
    .default("REGULAR"),
  /** Nodes get no public IP and reach the internet through Cloud NAT. Default true. */
  privateNodes: bool().default(true),
  /** Ranges allowed to reach the control plane's public endpoint; empty means none. Default []. */
  authorizedNetworks: z.array(authorizedNetwork, { error: "must be a list of {cidr, name}" }).default([]),
  /** Refuse to delete the cluster (and protect it in Pulumi). Default: runway:protect. */
  deletionProtection: bool().optional(),
  /** The pool that runs cluster services (and a service without a GPU). Default {nodes: 1, spot: false}. */
  systemPool: systemPoolSchema.default({ nodes: 1, spot: false }),
  /** The pool that runs the service's GPU pods. Default: see each key. */
  gpuPool: gpuPoolSchema.default({
    minNodes: 0,
    spot: false,
    diskSizeGb: 100,
    driverVersion: "LATEST",
    sharing: null,
    scaleDownDelayMinutes: 5,
  }),
  /** Namespace of the service's objects. Default: the service name. */
  namespace: z
    .string({ error: "must be a namespace name" })
    .regex(NAMESPACE_PATTERN, {
      error: "must be a Kubernetes namespace name: a-z, 0-9 and -, at most 63 characters",
    })
    .optional(),
  /**
   * Seconds a request waits for a pod while the service scales from zero (node, driver, image pull, model load);
   * also the rollout deadline. Default 1800 with a GPU, 600 without (runway's estimate, not a published figure).
   */
  coldStartSeconds: int("a whole number of seconds, at least 60").min(60, { error: "must be at least 60" }).optional(),
  /** "hold": a request waits for the cold start; "placeholder": it gets 503 with Retry-After at once. Default "hold". */
  coldStartResponse: z.enum(["hold", "placeholder"], { error: 'must be "hold" or "placeholder"' }).default("hold"),
  /** Seconds without traffic before pods scale down towards minInstances. Default 300 (KEDA's cooldownPeriod). */
  scaleDownSeconds: int("a whole number of seconds, 0 or more").min(0, { error: "must be 0 or more" }).default(300),
  /**
   * The Pod Security Standard the namespace enforces. "restricted": the image must run as a numeric non-root
   * uid, on a read-only root filesystem (writable /tmp). "baseline": root images and writes anywhere in the
   * container are allowed, still without privilege escalation or capabilities. Default "restricted".
   */
  podSecurity: z
    .enum(["restricted", "baseline"], { error: 'must be "restricted" or "baseline"' })
    .default("restricted"),
  /**
   * Binary Authorization on the cluster. "enforce": GKE admits only images the project's Binary Authorization policy
   * allows (PROJECT_SINGLETON_POLICY_ENFORCE); it needs binaryauthorization.googleapis.com (gke/apis.ts), and the
   * policy is the project's: the default one allows every image, so enforcing changes nothing until it is tightened,
   * and a tightened one must admit runway's image repository and KEDA's images (ghcr.io/kedacore) or their pods are
   * refused.
   * "off": no admission check. Default "off".
   */
  binaryAuthorization: z.enum(["enforce", "off"], { error: 'must be "enforce" or "off"' }).default("off"),
});

export const loadSchema = z.strictObject({
  /** Requests a month. Required. */
  requestsPerMonth: int("a whole number, 0 or more").min(0, { error: "must be 0 or more" }),
  /** Average time a request takes, in seconds. Required. */
  avgRequestSeconds: z.number({ error: "must be a number of seconds" }).positive({ error: "must be more than 0" }),
  /** Requests one instance serves at the same time, on average. Default 1. */
  concurrency: int("a whole number, at least 1").min(1, { error: "must be at least 1" }).default(1),
});

export const targetSchema = z.enum(["cloudrun", "gke", "auto"], {
  error: 'must be one of "cloudrun", "gke", "auto"',
});

/** The `runway:` namespace of a stack's config. */
export const runwaySchema = z.strictObject({
  /** Where the service runs; "auto" picks Cloud Run unless the service needs GKE. Default "auto". */
  target: targetSchema.default("auto"),
  /** What to deploy. Default: build ./app with its Dockerfile. */
  image: imageSchema.default({ keepRecent: 10 }),
  /** The service description shared by every target. Required. */
  service: serviceSchema,
  /** Cloud Run-only settings. Default {}. */
  cloudrun: cloudRunSchema.default({ ingress: "all", startupCpuBoost: true }),
  /** GKE-only settings. Default: see each key. */
  gke: gkeSchema.optional(),
  /** A traffic profile for the cost estimate. Default none (idle cost only). */
  load: loadSchema.optional(),
  /** Protect what holds data or is slow to rebuild from deletion. Default false; true in production stacks. */
  protect: bool().default(false),
  /**
   * The base of the names runway gives resources in the project: the Cloud Run service, the image repository, the
   * service accounts (`<base>-run`, `-gke`, `-nodes`), and on GKE the cluster, network, router and NAT. Same rule as
   * service names. Default: `<service.name>-<stack>`, so several stacks can share a project; a stack created before
   * runway named resources this way keeps its names by setting it to its service name.
   */
  physicalName: z
    .string({ error: "must be a name" })
    .regex(SERVICE_NAME_PATTERN, {
      error: "must be lowercase letters, digits and hyphens, start with a letter, not end with a hyphen, at most 49",
    })
    .optional(),
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
    }),
  /** The region to deploy into. Required. */
  region: z
    .string({ error: "is required: pulumi config set gcp:region <region>, e.g. us-central1" })
    .regex(/^[a-z]+-[a-z]+\d+$/, { error: 'must be a region such as "us-central1"' })
    // The pattern only checks the shape; us-centrl1 has it too (components/facts/regions.ts).
    .superRefine((value, ctx) => {
      const message = regionProblem(value);
      if (message) ctx.addIssue({ code: "custom", message });
    }),
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
export type Target = z.infer<typeof targetSchema>;
export type GkeConfig = z.infer<typeof gkeSchema>;
/** The Pod Security Standard a GKE namespace enforces. */
export type PodSecurity = GkeConfig["podSecurity"];
export type LoadConfig = z.infer<typeof loadSchema>;
export type GpuPoolConfig = z.infer<typeof gpuPoolSchema>;
