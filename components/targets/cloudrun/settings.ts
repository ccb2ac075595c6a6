/**
 * The Cloud Run defaults runway derives from the service description (billing mode, execution environment,
 * deletion protection), so that the rules, the resources and the cost model agree.
 */
import { cpuCount, memoryMiB } from "../../config/quantities";
import type { CloudRunConfig, ServiceConfig } from "../../config/schema";
import { GEN2_MIN_MEMORY_MIB, gen2Volumes } from "./rules";

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
  readonly executionEnvironment?: "EXECUTION_ENVIRONMENT_GEN1" | "EXECUTION_ENVIRONMENT_GEN2" | undefined;
  readonly deletionProtection: boolean;
  readonly gpuZonalRedundancyDisabled?: boolean | undefined;
  /** Direct VPC egress (runway:cloudrun.vpcAccess); absent without it, so such a template keeps its revision name. */
  readonly vpcAccess?: {
    readonly networkInterfaces: readonly { readonly network: string; readonly subnetwork: string }[];
    readonly egress: (typeof VPC_EGRESS)[keyof typeof VPC_EGRESS];
  };
}

/** runway:cloudrun.vpcAccess.egress as the v2 API's VpcEgress (https://cloud.google.com/run/docs/reference/rest/v2/VpcAccess). */
export const VPC_EGRESS = { "private-ranges": "PRIVATE_RANGES_ONLY", all: "ALL_TRAFFIC" } as const;

export function resolveCloudRun(
  service: ServiceConfig,
  cloudrun: Partial<CloudRunConfig>,
  protect: boolean,
): ResolvedCloudRun {
  const hasGpu = service.gpu !== undefined;
  const cpu = cpuCount(service.cpu) ?? 1;
  const mib = memoryMiB(service.memory) ?? GEN2_MIN_MEMORY_MIB;
  // GPUs, Cloud Storage and NFS volumes need gen2; below 1 vCPU or 512Mi only gen1 works (cloudrun/rules.ts, which
  // refuses a gen2 volume on such an instance).
  const environment =
    cloudrun.executionEnvironment ??
    (hasGpu || gen2Volumes(service).length > 0 ? "gen2" : cpu < 1 || mib < GEN2_MIN_MEMORY_MIB ? "gen1" : undefined);
  const vpc = cloudrun.vpcAccess;
  return {
    ingress: INGRESS[cloudrun.ingress ?? "all"],
    // Setting resources.limits without cpuIdle silently switches to instance-based billing (gcp-facts §1.7),
    // so it is always sent explicitly.
    cpuIdle: cloudrun.cpuIdle ?? !hasGpu,
    startupCpuBoost: cloudrun.startupCpuBoost ?? true,
    executionEnvironment:
      environment && (environment === "gen1" ? "EXECUTION_ENVIRONMENT_GEN1" : "EXECUTION_ENVIRONMENT_GEN2"),
    deletionProtection: cloudrun.deletionProtection ?? protect,
    gpuZonalRedundancyDisabled: hasGpu ? !(cloudrun.gpuZonalRedundancy ?? true) : undefined,
    ...(vpc && {
      vpcAccess: {
        networkInterfaces: [{ network: vpc.network, subnetwork: vpc.subnetwork }],
        egress: VPC_EGRESS[vpc.egress],
      },
    }),
  };
}
