/**
 * Cloud Run's documented limits as validation rules. Each rule cites where the limit is written down
 * (collected in shared/gcp-facts.md §1–2). A rule returns the problems it finds; `needsGke` marks the ones
 * that are not mistakes but things only GKE can do, which is what `target: auto` looks at.
 */
import { DRAIN_MARGIN_SECONDS, instanceResources } from "../../workload/contract";
import { CLOUD_RUN_GPU, type CloudRunGpuInfo } from "../../facts/gpus";
import type { Problem } from "../../config/problem";
import { cpuCount, formatMiB, memoryMiB } from "../../config/quantities";
import type { CloudRunConfig, ServiceConfig } from "../../config/schema";
import { memoryVolumeProblems, namedVolumes, type NamedVolume } from "../../workload/volumes";
import { MAX_ACK_DEADLINE_SECONDS } from "../../workload/events";

export interface CloudRunProblem extends Problem {
  /** true when GKE could run what Cloud Run cannot (a ceiling or a missing capability). */
  readonly needsGke: boolean;
}

export interface CloudRunInput {
  readonly service: ServiceConfig;
  readonly cloudrun: CloudRunConfig;
  readonly region: string;
}

/** The memory window for a whole number of vCPUs, in MiB. */
interface MemoryWindow {
  readonly minMiB: number;
  readonly maxMiB: number;
}

/**
 * "1 vCPU: up to 4 GiB | 2 vCPU: up to 8 GiB | 4 vCPU: 2–16 GiB | 6 vCPU: 4–24 GiB | 8 vCPU: 4–32 GiB"
 * (https://docs.cloud.google.com/run/docs/configuring/cpu). The floor of 128Mi is gen1's minimum
 * (https://docs.cloud.google.com/run/docs/configuring/memory-limits).
 */
export const WHOLE_CPU_MEMORY: Readonly<Record<number, MemoryWindow>> = {
  1: { minMiB: 128, maxMiB: 4 * 1024 },
  2: { minMiB: 128, maxMiB: 8 * 1024 },
  4: { minMiB: 2 * 1024, maxMiB: 16 * 1024 },
  6: { minMiB: 4 * 1024, maxMiB: 24 * 1024 },
  8: { minMiB: 4 * 1024, maxMiB: 32 * 1024 },
};
export const WHOLE_CPU_VALUES = Object.keys(WHOLE_CPU_MEMORY).map(Number);
export const MAX_CPU = 8;
export const MAX_MEMORY_MIB = 32 * 1024;

/** "any value from 0.08 to 1 in increments of 0.001" (https://docs.cloud.google.com/run/docs/configuring/cpu). */
export const MIN_FRACTIONAL_CPU = 0.08;

/** "Default 5 minutes, extendable up to 60 minutes" (https://docs.cloud.google.com/run/docs/configuring/request-timeout). */
export const MAX_TIMEOUT_SECONDS = 3600;

/** gen2's memory floor: "128 MiB for gen1, 512 MiB for gen2" (https://docs.cloud.google.com/run/docs/configuring/memory-limits). */
export const GEN2_MIN_MEMORY_MIB = 512;

/**
 * The GPU types runway deploys on Cloud Run: generally available ones only, since a preview type
 * (RTX PRO 6000) needs a preview launch stage and carries no SLA (facts/gpus.ts).
 */
export function cloudRunGpu(type: string): CloudRunGpuInfo | undefined {
  const gpu = Object.hasOwn(CLOUD_RUN_GPU, type) ? CLOUD_RUN_GPU[type as keyof typeof CLOUD_RUN_GPU] : undefined;
  return gpu?.launchStage === "GA" ? gpu : undefined;
}

export const CLOUD_RUN_GPU_TYPES = Object.keys(CLOUD_RUN_GPU).filter((type) => cloudRunGpu(type));

function problem(path: string, message: string, needsGke = false): CloudRunProblem {
  return { path: `runway:${path}`, message, needsGke };
}

/** CPU must be 0.08–1 in steps of 0.001, or one of 1, 2, 4, 6, 8 (GPU revisions: at least the GPU's minimum). */
export function cpuValueProblems({ service }: CloudRunInput): CloudRunProblem[] {
  const cpu = cpuCount(service.cpu) ?? 0;
  const gpu = service.gpu && cloudRunGpu(service.gpu.type);
  if (gpu) {
    // GPU revisions have their own floor and use whole vCPUs; the ceiling with a GPU is not published
    // (UNCONFIRMED, gcp-facts §1.1), so none is enforced here.
    return Number.isInteger(cpu) && cpu >= gpu.minCpu
      ? []
      : [
          problem(
            "service.cpu",
            `with a ${service.gpu!.type} GPU Cloud Run needs a whole number of at least ${gpu.minCpu} vCPUs`,
          ),
        ];
  }
  if (cpu > MAX_CPU) {
    return [problem("service.cpu", `${service.cpu} vCPUs is more than Cloud Run's maximum of ${MAX_CPU}`, true)];
  }
  if (cpu < 1) {
    const steps = Math.round(cpu * 1000);
    if (cpu < MIN_FRACTIONAL_CPU || Math.abs(steps - cpu * 1000) > 1e-9) {
      return [
        problem("service.cpu", `${service.cpu} is not a Cloud Run CPU value; below 1 use 0.08 to 1 in steps of 0.001`),
      ];
    }
    return [];
  }
  return WHOLE_CPU_VALUES.includes(cpu)
    ? []
    : [
        problem(
          "service.cpu",
          `${service.cpu} is not a Cloud Run CPU value; use 0.08 to 1, or ${WHOLE_CPU_VALUES.join(", ")}`,
        ),
      ];
}

/** Memory must sit in the window of the chosen CPU (fractional CPUs have lower ceilings). */
export function memoryWindowProblems({ service, cloudrun }: CloudRunInput): CloudRunProblem[] {
  const cpu = cpuCount(service.cpu) ?? 0;
  const mib = memoryMiB(service.memory) ?? 0;
  const gpu = service.gpu && cloudRunGpu(service.gpu.type);
  if (gpu) {
    return mib >= gpu.minMemoryGiB * 1024
      ? []
      : [
          problem(
            "service.memory",
            `with a ${service.gpu!.type} GPU Cloud Run needs at least ${formatMiB(gpu.minMemoryGiB * 1024)}`,
          ),
        ];
  }
  if (mib > MAX_MEMORY_MIB) {
    return [
      problem(
        "service.memory",
        `${service.memory} is more than Cloud Run's maximum of ${formatMiB(MAX_MEMORY_MIB)}`,
        true,
      ),
    ];
  }
  if (cpu < 1) {
    // "memory > 512 MiB needs at least 0.5 vCPU, and memory > 1 GiB needs at least 1 vCPU"
    // (https://docs.cloud.google.com/run/docs/configuring/cpu).
    const maxMiB = cpu < 0.5 ? 512 : 1024;
    return mib <= maxMiB
      ? []
      : [
          problem(
            "service.memory",
            `${service.memory} is too much for ${service.cpu} vCPU; with cpu below ${cpu < 0.5 ? "0.5" : "1"} Cloud Run allows at most ${formatMiB(maxMiB)}`,
          ),
        ];
  }
  const window = WHOLE_CPU_MEMORY[cpu];
  if (!window) return []; // the CPU rule already reports a CPU that has no window
  if (mib < window.minMiB || mib > window.maxMiB) {
    return [
      problem(
        "service.memory",
        `${service.memory} does not fit ${service.cpu} vCPU; Cloud Run allows ${formatMiB(window.minMiB)} to ${formatMiB(window.maxMiB)} with that CPU`,
      ),
    ];
  }
  if (cloudrun.executionEnvironment === "gen2" && mib < GEN2_MIN_MEMORY_MIB) {
    return [
      problem(
        "service.memory",
        `${service.memory} is below gen2's minimum of ${formatMiB(GEN2_MIN_MEMORY_MIB)}; use gen1 or more memory`,
      ),
    ];
  }
  return [];
}

/**
 * Below 1 vCPU: "Max concurrency must be 1. Billing must be request-based. You must use the first-generation
 * execution environment." (https://docs.cloud.google.com/run/docs/configuring/cpu)
 */
export function fractionalCpuProblems({ service, cloudrun }: CloudRunInput): CloudRunProblem[] {
  const cpu = cpuCount(service.cpu) ?? 0;
  if (cpu >= 1 || service.gpu) return [];
  const problems: CloudRunProblem[] = [];
  if (service.concurrency !== 1) {
    problems.push(problem("service.concurrency", `must be 1 when cpu is below 1 (cpu is ${service.cpu})`));
  }
  if (cloudrun.cpuIdle === false) {
    problems.push(problem("cloudrun.cpuIdle", `must be true when cpu is below 1 (request-based billing only)`));
  }
  if (cloudrun.executionEnvironment === "gen2") {
    problems.push(problem("cloudrun.executionEnvironment", `must be gen1 when cpu is below 1`));
  }
  return problems;
}

export function timeoutProblems({ service }: CloudRunInput): CloudRunProblem[] {
  return service.timeoutSeconds > MAX_TIMEOUT_SECONDS
    ? [
        problem(
          "service.timeoutSeconds",
          `${service.timeoutSeconds} s is more than Cloud Run's maximum of ${MAX_TIMEOUT_SECONDS} s`,
          true,
        ),
      ]
    : [];
}

/**
 * "When Cloud Run shuts down an instance, it sends a SIGTERM signal … the instance has 10 seconds to shut down
 * before it receives SIGKILL" (https://cloud.google.com/run/docs/container-contract#instance-shutdown); the grace
 * period cannot be configured, so the app's drain plus the contract's margin must fit in it.
 */
export const SHUTDOWN_GRACE_SECONDS = 10;

export function drainProblems({ service }: CloudRunInput): CloudRunProblem[] {
  const max = SHUTDOWN_GRACE_SECONDS - DRAIN_MARGIN_SECONDS;
  return service.drainSeconds > max
    ? [
        problem(
          "service.drainSeconds",
          `${service.drainSeconds} s does not fit Cloud Run's ${SHUTDOWN_GRACE_SECONDS} s between SIGTERM and SIGKILL; at most ${max} (${DRAIN_MARGIN_SECONDS} s are kept for the last logs)`,
          true,
        ),
      ]
    : [];
}

/** GPU type, count, region and billing, from the Cloud Run GPU page (gcp-facts §2). */
export function gpuProblems({ service, cloudrun, region }: CloudRunInput): CloudRunProblem[] {
  if (!service.gpu) {
    return cloudrun.gpuZonalRedundancy === undefined
      ? []
      : [problem("cloudrun.gpuZonalRedundancy", "applies only with a GPU (runway:service.gpu)")];
  }
  const { type, count } = service.gpu;
  const gpu = cloudRunGpu(type);
  if (!gpu) {
    return [
      problem(
        "service.gpu.type",
        `${type} is not offered by Cloud Run; Cloud Run offers ${CLOUD_RUN_GPU_TYPES.join(", ")}`,
        true,
      ),
    ];
  }
  const problems: CloudRunProblem[] = [];
  if (count > gpu.maxPerInstance) {
    // "You can configure one GPU per Cloud Run instance."
    problems.push(
      problem("service.gpu.count", `${count} GPUs per instance; Cloud Run allows ${gpu.maxPerInstance}`, true),
    );
  }
  if (!gpu.regions.includes(region)) {
    problems.push(
      problem(
        "service.gpu.type",
        `Cloud Run has no ${type} GPUs in ${region}; regions with it: ${gpu.regions.join(", ")}`,
        true,
      ),
    );
  }
  if (cloudrun.cpuIdle === true) {
    // "You must use instance-based billing to use the GPU feature."
    problems.push(problem("cloudrun.cpuIdle", "must be false with a GPU (Cloud Run GPUs need instance-based billing)"));
  }
  if (cloudrun.executionEnvironment === "gen1") {
    // Enforced by third-party validators and unconfirmed in Google's text (gcp-facts §2.2); failing here is
    // cheaper than failing at deploy time.
    problems.push(problem("cloudrun.executionEnvironment", "must be gen2 with a GPU"));
  }
  return problems;
}

/**
 * Containers per instance, the ingress container included. UNCONFIRMED from a primary source: Google's sidecar page
 * (https://cloud.google.com/run/docs/deploying#sidecars) was not in the reference corpus searched; third-party
 * write-ups state "up to 10 containers" per instance, and Google's container contract confirms only "a single ingress
 * container … and optionally one or more sidecar containers" (https://cloud.google.com/run/docs/container-contract).
 */
export const MAX_CONTAINERS = 10;

/** A sidecar's cpu as a Cloud Run container limit: 0.08 to 1 in steps of 0.001, or a whole value of the table. */
function isCloudRunCpu(cpu: number): boolean {
  if (cpu < 1) return cpu >= MIN_FRACTIONAL_CPU && Math.abs(Math.round(cpu * 1000) - cpu * 1000) <= 1e-9;
  return WHOLE_CPU_VALUES.includes(cpu);
}

/**
 * Sidecars on Cloud Run: at most MAX_CONTAINERS containers, each sidecar's cpu a value Cloud Run takes as a container
 * limit (the same values as the app's, https://docs.cloud.google.com/run/docs/configuring/cpu), and the instance's
 * total (app + sidecars) within the instance ceilings of 8 vCPU and 32 GiB. Whether Cloud Run also requires the
 * total to be one of the CPU/memory combinations, or each container's pair, is UNCONFIRMED (the sidecar page was not
 * at hand), so the combination rules above judge the app's own values and only the ceilings judge the total.
 * Exceeding a ceiling is something GKE lifts (needsGke).
 */
export function sidecarProblems({ service }: CloudRunInput): CloudRunProblem[] {
  if (service.sidecars.length === 0) return [];
  const problems: CloudRunProblem[] = [];
  const containers = 1 + service.sidecars.length;
  if (containers > MAX_CONTAINERS) {
    problems.push(
      problem(
        "service.sidecars",
        `${service.sidecars.length} sidecars make ${containers} containers per instance; Cloud Run allows ${MAX_CONTAINERS} (the app and ${MAX_CONTAINERS - 1} sidecars)`,
        true,
      ),
    );
  }
  service.sidecars.forEach((sidecar, i) => {
    const cpu = cpuCount(sidecar.cpu) ?? 0;
    if (!isCloudRunCpu(cpu)) {
      problems.push(
        problem(
          `service.sidecars[${i}].cpu`,
          `${sidecar.cpu} is not a Cloud Run CPU value; use 0.08 to 1 in steps of 0.001, or ${WHOLE_CPU_VALUES.join(", ")}`,
        ),
      );
    }
  });
  const total = instanceResources(service);
  if (total.cpu > MAX_CPU) {
    problems.push(
      problem(
        "service.sidecars",
        `the app and its sidecars take ${total.cpu} vCPUs per instance, more than Cloud Run's maximum of ${MAX_CPU}`,
        true,
      ),
    );
  }
  if (total.memoryMiB > MAX_MEMORY_MIB) {
    problems.push(
      problem(
        "service.sidecars",
        `the app and its sidecars take ${formatMiB(total.memoryMiB)} per instance, more than Cloud Run's maximum of ${formatMiB(MAX_MEMORY_MIB)}`,
        true,
      ),
    );
  }
  return problems;
}

/**
 * A tag's URL is `https://TAG---SERVICE-HASH-REGION.a.run.app`, one DNS label, so Cloud Run refuses a tag and service
 * name longer than 46 characters together: "Combined traffic tag and service name cannot exceed 46 characters" (gcloud's
 * error as quoted in PolicyEngine/policyengine-api#3729, a third-party source; README "verify on the first real
 * deployment"). The name is the service's name in the project (runway:physicalName), known only with the stack.
 */
export const MAX_TAG_AND_SERVICE_NAME = 46;

export function tagUrlProblems(service: ServiceConfig, serviceName: string): Problem[] {
  const release = service.release;
  return (["candidateTag", "stableTag"] as const).flatMap((key) => {
    const tag = release?.[key];
    if (!tag || tag.length + serviceName.length <= MAX_TAG_AND_SERVICE_NAME) return [];
    return [
      {
        path: `runway:service.release.${key}`,
        message: `${tag} and the service name ${serviceName} have ${tag.length + serviceName.length} characters together; Cloud Run allows ${MAX_TAG_AND_SERVICE_NAME} (a tag URL is one DNS label); use a tag of at most ${Math.max(0, MAX_TAG_AND_SERVICE_NAME - serviceName.length)}`,
      },
    ];
  });
}

/**
 * The volumes that need the gen2 execution environment: Cloud Storage volumes are "only supported in the gen2
 * execution environment" (@pulumi/gcp 9.37.0 cloudrunv2 ServiceTemplateVolume.gcs), and "network file system support"
 * is one of gen2's features (https://docs.cloud.google.com/run/docs/configuring/execution-environments).
 */
export function gen2Volumes(service: ServiceConfig): NamedVolume<"gcs" | "nfs">[] {
  return namedVolumes(service).filter((v): v is NamedVolume<"gcs" | "nfs"> => v.kind === "gcs" || v.kind === "nfs");
}

/**
 * Volumes on Cloud Run: no persistent disks (a Cloud Run volume is Cloud SQL, an emptyDir, Cloud Storage, NFS or a
 * secret: @pulumi/gcp 9.37.0 cloudrunv2 ServiceTemplateVolume), which GKE has (needsGke); Cloud Storage and NFS need gen2
 * (gen2Volumes), which runs from 1 vCPU and 512Mi (fractionalCpuProblems, GEN2_MIN_MEMORY_MIB); NFS needs the
 * service "connected to the VPC network" of its server, through Direct VPC egress
 * (https://cloud.google.com/run/docs/tutorials/network-filesystems-filestore); and the memory volumes must leave the app
 * memory (workload/volumes.ts memoryVolumeProblems).
 */
export function volumeProblems({ service, cloudrun }: CloudRunInput): CloudRunProblem[] {
  const problems: CloudRunProblem[] = [];
  for (const volume of namedVolumes(service)) {
    if (volume.kind === "disk") {
      problems.push(
        problem(
          `service.volumes.${volume.name}`,
          "a disk volume: Cloud Run has no persistent disks; use a gcs or nfs volume, or GKE (runway:target: gke)",
          true,
        ),
      );
    }
    if (volume.kind === "nfs" && !cloudrun.vpcAccess) {
      problems.push(
        problem(
          `service.volumes.${volume.name}`,
          "an NFS volume needs runway:cloudrun.vpcAccess: Cloud Run reaches the server only through Direct VPC egress into its network",
        ),
      );
    }
  }
  const gen2 = gen2Volumes(service).map((v) => v.name);
  if (gen2.length > 0) {
    const which = gen2.join(", ");
    const cpu = cpuCount(service.cpu) ?? 0;
    const mib = memoryMiB(service.memory) ?? 0;
    if (cloudrun.executionEnvironment === "gen1") {
      problems.push(
        problem(
          "cloudrun.executionEnvironment",
          `must be gen2 with a Cloud Storage or NFS volume (${which}): gen1 cannot mount them`,
        ),
      );
    } else if (!service.gpu && (cpu < 1 || mib < GEN2_MIN_MEMORY_MIB)) {
      problems.push(
        problem(
          "service.volumes",
          `Cloud Storage and NFS volumes (${which}) need gen2, which needs at least 1 vCPU and ${formatMiB(GEN2_MIN_MEMORY_MIB)} (cpu ${service.cpu}, memory ${service.memory})`,
        ),
      );
    }
  }
  return [...problems, ...memoryVolumeProblems(service).map((p) => ({ ...p, needsGke: false }))];
}

/**
 * Events are pushed with the push request cut at the subscription's ack deadline, "at most 600 seconds" (workload/events.ts
 * MAX_ACK_DEADLINE_SECONDS), so a longer request timeout would hold for HTTP requests and fail every long event. And one
 * subscription per source and path: a second one would deliver every event twice.
 */
export function eventProblems({ service }: CloudRunInput): CloudRunProblem[] {
  if (service.events.length === 0) return [];
  const problems: CloudRunProblem[] = [];
  if (service.timeoutSeconds > MAX_ACK_DEADLINE_SECONDS) {
    problems.push(
      problem(
        "service.timeoutSeconds",
        `${service.timeoutSeconds} s is more than Pub/Sub's maximum ack deadline of ${MAX_ACK_DEADLINE_SECONDS} s, at which each event's push request is cut; with service.events use at most ${MAX_ACK_DEADLINE_SECONDS}`,
      ),
    );
  }
  const first = new Map<string, number>();
  service.events.forEach((event, i) => {
    const what = event.source === "pubsub" ? `topic ${event.topic}` : `bucket ${event.bucket}`;
    const key = `${what} ${event.path}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else {
      problems.push(
        problem(
          `service.events[${i}]`,
          `repeats service.events[${earlier}] (${what}, path ${event.path}): each would be delivered twice; list a topic or bucket once per path`,
        ),
      );
    }
  });
  return problems;
}

/** Every Cloud Run rule, in the order problems are reported. */
export const CLOUD_RUN_RULES = [
  cpuValueProblems,
  memoryWindowProblems,
  fractionalCpuProblems,
  timeoutProblems,
  drainProblems,
  gpuProblems,
  sidecarProblems,
  volumeProblems,
  eventProblems,
];

export function cloudRunProblems(input: CloudRunInput): CloudRunProblem[] {
  return CLOUD_RUN_RULES.flatMap((rule) => rule(input));
}
