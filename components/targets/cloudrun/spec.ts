/**
 * Pure translation of the validated service description into gcp.cloudrunv2.Service arguments.
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceConfig, SidecarConfig } from "../../config/schema";
import { drainEnv, parseSecretRef, probes, sidecarStartupProbe, startsFirst } from "../../workload/contract";
import type { ResolvedCloudRun } from "./settings";

/**
 * Plain variables and Secret Manager references, sorted so that the revision does not change with key order.
 * GOOGLE_CLOUD_PROJECT is added (unless set) because Cloud Run does not set it, and logs need it to link
 * traces (app/README.md); the drain deadline comes from the workload contract.
 */
export function containerEnvs(
  service: ServiceConfig,
  project: string,
): gcp.types.input.cloudrunv2.ServiceTemplateContainerEnv[] {
  const drain = drainEnv(service);
  const env = { GOOGLE_CLOUD_PROJECT: project, ...service.env, [drain.name]: drain.value };
  const plain = Object.entries(env).map(([name, value]) => ({ name, value }));
  const secret = Object.entries(service.secrets).map(([name, ref]) => {
    const { secretId, version } = parseSecretRef(ref);
    return { name, valueSource: { secretKeyRef: { secret: secretId, version } } };
  });
  return [...plain, ...secret].sort((a, b) => a.name.localeCompare(b.name));
}

/** A sidecar's variables: its plain env and its Secret Manager references, sorted by name like the app's. */
export function sidecarEnvs(sidecar: SidecarConfig): gcp.types.input.cloudrunv2.ServiceTemplateContainerEnv[] {
  const plain = Object.entries(sidecar.env).map(([name, value]) => ({ name, value }));
  const secret = Object.entries(sidecar.secrets).map(([name, ref]) => {
    const { secretId, version } = parseSecretRef(ref);
    return { name, valueSource: { secretKeyRef: { secret: secretId, version } } };
  });
  return [...plain, ...secret].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A sidecar container: no ports (only the ingress container has one: "A Cloud Run instance always has a single
 * ingress container that listens for requests, and optionally one or more sidecar containers",
 * https://cloud.google.com/run/docs/container-contract), its own limits, and no GPU (that goes to the ingress
 * container). cpuIdle and startupCpuBoost are the instance's, so they stay on the ingress container.
 */
export function sidecarContainer(sidecar: SidecarConfig): gcp.types.input.cloudrunv2.ServiceTemplateContainer {
  const envs = sidecarEnvs(sidecar);
  const startupProbe = sidecarStartupProbe(sidecar);
  return {
    name: sidecar.name,
    image: sidecar.image,
    resources: { limits: { cpu: sidecar.cpu, memory: sidecar.memory } },
    ...(envs.length > 0 && { envs }),
    ...(startupProbe && { startupProbe }),
  };
}

export interface CloudRunSpecInput {
  readonly service: ServiceConfig;
  readonly settings: ResolvedCloudRun;
  readonly region: string;
  readonly project: string;
  readonly image: pulumi.Input<string>;
  readonly serviceAccountEmail: pulumi.Input<string>;
  /** The Cloud Run service's name in the project. Default: service.name. */
  readonly physicalName?: string;
}

export function cloudRunServiceArgs(input: CloudRunSpecInput): gcp.cloudrunv2.ServiceArgs {
  const { service, settings } = input;
  const limits: Record<string, string> = { cpu: service.cpu, memory: service.memory };
  if (service.gpu) limits["nvidia.com/gpu"] = String(service.gpu.count);
  // ServiceTemplateContainer.dependsOns: "Containers which should be started before this container. If specified the
  // container will wait to start until all containers with the listed names are healthy" (@pulumi/gcp 9.37.0,
  // cloudrunv2; REST Container.dependsOn): the app waits for the start-first sidecars' startup probes.
  const first = startsFirst(service).map((s) => s.name);
  return {
    name: input.physicalName ?? service.name,
    project: input.project,
    location: input.region,
    ingress: settings.ingress,
    deletionProtection: settings.deletionProtection,
    // A public service turns the invoker IAM check off instead of granting allUsers roles/run.invoker, which
    // organizations enforcing Domain Restricted Sharing reject (https://cloud.google.com/run/docs/authenticating/public).
    // A private service keeps the check: IAM decides who may invoke.
    invokerIamDisabled: service.public,
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
          ...(first.length > 0 && { dependsOns: first }),
        },
        ...service.sidecars.map(sidecarContainer),
      ],
    },
  };
}
