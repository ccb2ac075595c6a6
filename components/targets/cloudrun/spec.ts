/**
 * Pure translation of the validated service description into gcp.cloudrunv2.Service arguments, and the
 * Cloud Run defaults runway derives (billing mode, execution environment) so they agree with the rules.
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { cpuCount, memoryMiB } from "../../config/quantities";
import { GEN2_MIN_MEMORY_MIB } from "./rules";
import type { CloudRunConfig, ServiceConfig } from "../../config/schema";

export const INGRESS = {
  all: "INGRESS_TRAFFIC_ALL",
  internal: "INGRESS_TRAFFIC_INTERNAL_ONLY",
  "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
} as const;

/** Cloud Run settings with every default resolved. */
export interface ResolvedCloudRun {
  readonly ingress: (typeof INGRESS)[keyof typeof INGRESS];
  readonly cpuIdle: boolean;
  readonly startupCpuBoost: boolean;
  readonly executionEnvironment?: "EXECUTION_ENVIRONMENT_GEN1" | "EXECUTION_ENVIRONMENT_GEN2";
  readonly deletionProtection: boolean;
  readonly gpuZonalRedundancyDisabled?: boolean;
}

export function resolveCloudRun(service: ServiceConfig, cloudrun: Partial<CloudRunConfig>, protect: boolean): ResolvedCloudRun {
  const hasGpu = service.gpu !== undefined;
  const cpu = cpuCount(service.cpu) ?? 1;
  const mib = memoryMiB(service.memory) ?? GEN2_MIN_MEMORY_MIB;
  // GPUs need instance-based billing and gen2; below 1 vCPU or 512Mi only gen1 works (rules-cloudrun.ts).
  const environment = cloudrun.executionEnvironment ?? (hasGpu ? "gen2" : cpu < 1 || mib < GEN2_MIN_MEMORY_MIB ? "gen1" : undefined);
  return {
    ingress: INGRESS[cloudrun.ingress ?? "all"],
    // Setting resources.limits without cpuIdle silently switches to instance-based billing (gcp-facts §1.7),
    // so it is always sent explicitly.
    cpuIdle: cloudrun.cpuIdle ?? !hasGpu,
    startupCpuBoost: cloudrun.startupCpuBoost ?? true,
    executionEnvironment: environment && (environment === "gen1" ? "EXECUTION_ENVIRONMENT_GEN1" : "EXECUTION_ENVIRONMENT_GEN2"),
    deletionProtection: cloudrun.deletionProtection ?? protect,
    gpuZonalRedundancyDisabled: hasGpu ? !(cloudrun.gpuZonalRedundancy ?? true) : undefined,
  };
}

/**
 * Plain variables and Secret Manager references, sorted so that the revision does not change with key order.
 * GOOGLE_CLOUD_PROJECT is added (unless set) because Cloud Run does not set it, and logs need it to link
 * traces (app/README.md).
 */
export function containerEnvs(service: ServiceConfig, project: string): gcp.types.input.cloudrunv2.ServiceTemplateContainerEnv[] {
  const env = { GOOGLE_CLOUD_PROJECT: project, ...service.env };
  const plain = Object.entries(env).map(([name, value]) => ({ name, value }));
  const secret = Object.entries(service.secrets).map(([name, ref]) => {
    const [secretId, version = "latest"] = ref.split(":");
    return { name, valueSource: { secretKeyRef: { secret: secretId, version } } };
  });
  return [...plain, ...secret].sort((a, b) => a.name.localeCompare(b.name));
}

/** The Secret Manager secret ids the service reads. */
export function secretIds(service: ServiceConfig): string[] {
  return [...new Set(Object.values(service.secrets).map((ref) => ref.split(":")[0]))].sort();
}

/**
 * Startup probe budget: GPU services load models, so they get 240 s (the period's maximum) instead of
 * 120 s. Startup: initialDelay ≤ 240, period ≤ 240, timeout < period; liveness limits are 3600
 * (terraform-provider-google cloud_run_v2_service doc, v7.45.0).
 */
export function probes(service: ServiceConfig) {
  const httpGet = { path: service.healthPath, port: service.port };
  return {
    startupProbe: { httpGet, periodSeconds: service.gpu ? 10 : 5, timeoutSeconds: 3, failureThreshold: 24 },
    livenessProbe: { httpGet, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3 },
  };
}

export interface CloudRunSpecInput {
  readonly service: ServiceConfig;
  readonly settings: ResolvedCloudRun;
  readonly region: string;
  readonly project: string;
  readonly image: pulumi.Input<string>;
  readonly serviceAccountEmail: pulumi.Input<string>;
}

export function cloudRunServiceArgs(input: CloudRunSpecInput): gcp.cloudrunv2.ServiceArgs {
  const { service, settings } = input;
  const limits: Record<string, string> = { cpu: service.cpu, memory: service.memory };
  if (service.gpu) limits["nvidia.com/gpu"] = String(service.gpu.count);
  return {
    name: service.name,
    project: input.project,
    location: input.region,
    ingress: settings.ingress,
    deletionProtection: settings.deletionProtection,
    // IAM decides who may invoke; runway never turns that check off.
    invokerIamDisabled: false,
    labels: service.labels,
    traffics: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 100 }],
    template: {
      serviceAccount: input.serviceAccountEmail,
      labels: service.labels,
      executionEnvironment: settings.executionEnvironment,
      maxInstanceRequestConcurrency: service.concurrency,
      timeout: `${service.timeoutSeconds}s`,
      scaling: { minInstanceCount: service.minInstances, maxInstanceCount: service.maxInstances },
      nodeSelector: service.gpu ? { accelerator: service.gpu.type } : undefined,
      gpuZonalRedundancyDisabled: settings.gpuZonalRedundancyDisabled,
      containers: [
        {
          name: service.name,
          image: input.image,
          ports: { name: "http1", containerPort: service.port },
          resources: { limits, cpuIdle: settings.cpuIdle, startupCpuBoost: settings.startupCpuBoost },
          envs: containerEnvs(service, input.project),
          ...probes(service),
        },
      ],
    },
  };
}
