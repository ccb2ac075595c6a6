/**
 * Pure translation of the validated service description into gcp.cloudrunv2.Service arguments.
 */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { ServiceConfig, SidecarConfig } from "../../config/schema";
import { drainEnv, parseSecretRef, probes, sidecarStartupProbe, startsFirst } from "../../workload/contract";
import { releaseRevisions, trafficSplit } from "../../workload/release";
import { namedVolumes, secretVolumeFile, type NamedVolume } from "../../workload/volumes";
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

/** The volume kinds Cloud Run mounts; rules.ts refuses `disk` (Cloud Run has no persistent disks). */
type CloudRunVolume = NamedVolume<"gcs" | "memory" | "nfs" | "secret">;

/**
 * A volume of the revision (@pulumi/gcp 9.37.0 cloudrunv2 ServiceTemplateVolume). Read-only is
 * the volume's (a v2 VolumeMount has no readOnly). An in-memory volume gets its size as sizeLimit: without one Cloud
 * Run sets "half of the total size of all the containers"
 * (https://docs.cloud.google.com/run/docs/configuring/services/in-memory-volume-mounts). A secret volume holds one
 * file, its version pinned by the item.
 */
export function templateVolume(volume: CloudRunVolume): gcp.types.input.cloudrunv2.ServiceTemplateVolume {
  const { name } = volume;
  switch (volume.kind) {
    case "gcs":
      return {
        name,
        gcs: { bucket: volume.bucket, readOnly: volume.readOnly, mountOptions: [...volume.mountOptions] },
      };
    case "memory":
      return { name, emptyDir: { medium: "MEMORY", sizeLimit: volume.size } };
    case "nfs":
      return { name, nfs: { server: volume.server, path: volume.path, readOnly: volume.readOnly } };
    case "secret": {
      const { secretId, version } = parseSecretRef(volume.secret);
      return { name, secret: { secret: secretId, items: [{ path: secretVolumeFile(volume), version }] } };
    }
  }
}

/** The template's volumes and the app container's mounts; no keys at all without volumes (the revision name). */
function volumeArgs(service: ServiceConfig) {
  const mounted = namedVolumes(service).filter((v): v is CloudRunVolume => v.kind !== "disk");
  return mounted.length > 0
    ? {
        volumes: mounted.map(templateVolume),
        volumeMounts: mounted.map((v) => ({ name: v.name, mountPath: v.mountPath })),
      }
    : undefined;
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
  const mounted = volumeArgs(service);
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
    template: {
      serviceAccount: input.serviceAccountEmail,
      labels: service.labels,
      executionEnvironment: settings.executionEnvironment,
      maxInstanceRequestConcurrency: service.concurrency,
      timeout: `${service.timeoutSeconds}s`,
      scaling: { minInstanceCount: service.minInstances, maxInstanceCount: service.maxInstances },
      nodeSelector: service.gpu ? { accelerator: service.gpu.type } : undefined,
      gpuZonalRedundancyDisabled: settings.gpuZonalRedundancyDisabled,
      ...(settings.vpcAccess && {
        vpcAccess: {
          networkInterfaces: settings.vpcAccess.networkInterfaces.map((nic) => ({ ...nic })),
          egress: settings.vpcAccess.egress,
        },
      }),
      ...(mounted && { volumes: mounted.volumes }),
      containers: [
        {
          name: service.name,
          image: input.image,
          ports: { name: "http1", containerPort: service.port },
          resources: { limits, cpuIdle: settings.cpuIdle, startupCpuBoost: settings.startupCpuBoost },
          envs: containerEnvs(service, input.project),
          ...probes(service),
          ...(first.length > 0 && { dependsOns: first }),
          ...(mounted && { volumeMounts: mounted.volumeMounts }),
        },
        ...service.sidecars.map(sidecarContainer),
      ],
    },
  };
}

/** The template as Cloud Run receives it, every input resolved. */
export type ResolvedTemplate = pulumi.Unwrap<gcp.types.input.cloudrunv2.ServiceTemplate>;

/** The template with the app container running `image` instead: the stable release's revision. */
function withAppImage(template: ResolvedTemplate, appName: string, image: string): ResolvedTemplate {
  const containers = (template.containers ?? []).map((c) => (c.name === appName ? { ...c, image } : c));
  return { ...template, containers };
}

export interface CloudRunRelease {
  /** The template with its deterministic revision name. */
  readonly template: ResolvedTemplate;
  readonly traffics: gcp.types.input.cloudrunv2.ServiceTraffic[];
  /** The revision this deploy creates. */
  readonly candidateRevision: string;
  /** The stable image's revision: the same settings with the stable image. Undefined without release.stable. */
  readonly stableRevision?: string;
}

/**
 * The revision names and the traffic split. A revision is named from everything in its template
 * (workload/release.ts revisionNameOf): a changed template always gets a new name, which avoids the 409 "revision
 * named … already exists" of a template changed under an unchanged name (hashicorp/terraform-provider-google#14569),
 * and an unchanged one keeps its name, so no revision is created. Names are at most 63 characters (a DNS label) and
 * start with the service's name and a hyphen (Knative's rule for named revisions, which Cloud Run keeps); service
 * names are at most 49 (SERVICE_NAME_PATTERN), so 49 + 1 + 12 hex digits fit. The candidate is the template's own revision, addressed as LATEST: a
 * split that names the template's own revision can cycle (hashicorp/terraform-provider-google#10815). The stable
 * image is addressed by the name its revision got when it was the template with these settings, so it must have
 * been deployed with them; README "Releases" says how the plan shows that name before it is needed.
 */
export function cloudRunRelease(
  service: ServiceConfig,
  physicalName: string,
  template: ResolvedTemplate,
  image: string,
): CloudRunRelease {
  const { revision: _unnamed, ...content } = template;
  const names = releaseRevisions(service, physicalName, content, image, (t, stable) =>
    withAppImage(t, service.name, stable),
  );
  const candidateRevision = names.candidate;
  const stableRevision = names.stable;
  const traffics = trafficSplit(service).map((share) =>
    share.release === "candidate"
      ? { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: share.percent, ...(share.tag && { tag: share.tag }) }
      : {
          type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION",
          revision: stableRevision,
          percent: share.percent,
          ...(share.tag && { tag: share.tag }),
        },
  );
  return {
    template: { ...template, revision: candidateRevision },
    traffics,
    candidateRevision,
    ...(stableRevision && { stableRevision }),
  };
}
