/**
 * The `cloudrun` flavour of the export: the Cloud Run Admin API v1 YAML that `gcloud run services replace` takes
 * (https://cloud.google.com/run/docs/reference/yaml/v1). It is a translation of what the Cloud Run target itself
 * builds (`cloudRunServiceArgs`, targets/cloudrun/spec.ts), so the two cannot drift: every v2 field maps to its v1
 * annotation or field, and one without a mapping is reported instead of dropped.
 */
import { resolveCloudRun, INGRESS, type ResolvedCloudRun } from "../targets/cloudrun/settings";
import { cloudRunRelease, cloudRunServiceArgs } from "../targets/cloudrun/spec";
import { isPinned, knativeTraffic } from "../workload/release";
import { cloudRunProblems } from "../targets/cloudrun/rules";
import { secretIds } from "../workload/contract";
import { serviceAccountId } from "../workload/naming";
import { gkeKeys, stackOnlyLines, type ExportInput, type ExportResult } from "./report";

type Plain = Record<string, unknown>;

/** The v2 arguments as plain data: the export passes only plain values, so no Input is a promise or an Output. */
interface PlainContainer extends Plain {
  readonly name: string;
  readonly image: string;
  readonly ports?: { readonly name: string; readonly containerPort: number };
  readonly resources?: {
    readonly limits: Record<string, string>;
    readonly cpuIdle: boolean;
    readonly startupCpuBoost: boolean;
  };
  readonly dependsOns?: readonly string[];
  readonly envs?: readonly {
    readonly name: string;
    readonly value?: string;
    readonly valueSource?: { readonly secretKeyRef: { readonly secret: string; readonly version: string } };
  }[];
}

/** v2 keys the translation reads; any other key with a value is reported, so a new field is never lost. */
const SERVICE_KEYS = [
  "name",
  "project",
  "location",
  "ingress",
  "deletionProtection",
  "invokerIamDisabled",
  "labels",
  "traffics",
  "template",
];
const TEMPLATE_KEYS = [
  "serviceAccount",
  "labels",
  "executionEnvironment",
  "maxInstanceRequestConcurrency",
  "timeout",
  "scaling",
  "nodeSelector",
  "gpuZonalRedundancyDisabled",
  "containers",
];
const CONTAINER_KEYS = ["name", "image", "ports", "resources", "envs", "startupProbe", "livenessProbe", "dependsOns"];

function unmapped(object: Plain, known: readonly string[], where: string): string[] {
  return Object.entries(object)
    .filter(([key, value]) => value !== undefined && !known.includes(key))
    .map(([key]) => `${where}${key}: a Cloud Run v2 field this export has no v1 mapping for; it is not in the YAML`);
}

/** The v1 value of runway:cloudrun.ingress (the v1 annotation takes the short names, the v2 field the enum). */
function v1Ingress(ingress: ResolvedCloudRun["ingress"]): string {
  const entry = Object.entries(INGRESS).find(([, value]) => value === ingress);
  return entry ? entry[0] : "all";
}

function v1Container(container: PlainContainer): Plain {
  const { ports, resources, envs, startupProbe, livenessProbe } = container;
  return {
    name: container.name,
    image: container.image,
    ...(ports ? { ports: [{ name: ports.name, containerPort: ports.containerPort }] } : {}),
    ...(resources ? { resources: { limits: resources.limits } } : {}),
    ...(envs
      ? {
          env: envs.map((env) =>
            env.valueSource
              ? {
                  name: env.name,
                  // v1: secretKeyRef.name is the Secret Manager secret, key its version.
                  valueFrom: {
                    secretKeyRef: {
                      name: env.valueSource.secretKeyRef.secret,
                      key: env.valueSource.secretKeyRef.version,
                    },
                  },
                }
              : { name: env.name, value: env.value },
          ),
        }
      : {}),
    ...(startupProbe ? { startupProbe } : {}),
    ...(livenessProbe ? { livenessProbe } : {}),
  };
}

/** The stack's service as the Cloud Run v1 Service YAML `gcloud run services replace` applies. */
export function cloudRunExport(input: ExportInput): ExportResult {
  const { config } = input;
  const { gcp, runway, decision, physicalName } = config;
  const { service } = runway;
  const onCloudRun = decision.target === "cloudrun";
  const settings = onCloudRun ? decision.settings : resolveCloudRun(service, runway.cloudrun, runway.protect);
  const email = `${serviceAccountId(physicalName, "run")}@${gcp.project}.iam.gserviceaccount.com`;
  const args = cloudRunServiceArgs({
    service,
    settings,
    region: gcp.region,
    project: gcp.project,
    image: input.image,
    serviceAccountEmail: email,
    physicalName,
  }) as unknown as Plain;
  const template = args.template as Plain;
  // The same revision names and split as the Cloud Run target's (spec.ts cloudRunRelease).
  const release = cloudRunRelease(service, physicalName, template, input.image);
  const containers = template.containers as PlainContainer[];
  const first = containers[0];
  const scaling = template.scaling as { minInstanceCount: number; maxInstanceCount: number };
  const accelerator = (template.nodeSelector as { accelerator: string } | undefined)?.accelerator;
  const zonalRedundancyDisabled = template.gpuZonalRedundancyDisabled as boolean | undefined;
  const environment = template.executionEnvironment as ResolvedCloudRun["executionEnvironment"];

  // v2 Container.dependsOns is the v1 revision annotation run.googleapis.com/container-dependencies: a JSON map from
  // a container to the containers it waits for (Cloud Run YAML reference v1, CONTAINER_START_ORDER).
  const dependencies = Object.fromEntries(
    containers.flatMap((c) => (c.dependsOns && c.dependsOns.length > 0 ? [[c.name, c.dependsOns]] : [])),
  );
  const templateAnnotations: Record<string, string> = {
    ...(Object.keys(dependencies).length > 0
      ? { "run.googleapis.com/container-dependencies": JSON.stringify(dependencies) }
      : {}),
    "autoscaling.knative.dev/minScale": String(scaling.minInstanceCount),
    "autoscaling.knative.dev/maxScale": String(scaling.maxInstanceCount),
    // cpu-throttling true is request-based billing: Cloud Run's cpuIdle.
    "run.googleapis.com/cpu-throttling": String(first?.resources?.cpuIdle ?? settings.cpuIdle),
    "run.googleapis.com/startup-cpu-boost": String(first?.resources?.startupCpuBoost ?? settings.startupCpuBoost),
    ...(environment
      ? { "run.googleapis.com/execution-environment": environment === "EXECUTION_ENVIRONMENT_GEN1" ? "gen1" : "gen2" }
      : {}),
    ...(zonalRedundancyDisabled === undefined
      ? {}
      : { "run.googleapis.com/gpu-zonal-redundancy-disabled": String(zonalRedundancyDisabled) }),
  };
  const labels = (args.labels ?? {}) as Record<string, string>;
  const manifest = {
    apiVersion: "serving.knative.dev/v1",
    kind: "Service",
    metadata: {
      name: args.name,
      // "In Cloud Run, it must be project ID or number" (Cloud Run Admin API v1, ObjectMeta.namespace).
      namespace: gcp.project,
      labels: { ...labels, "cloud.googleapis.com/location": gcp.region },
      annotations: {
        "run.googleapis.com/ingress": v1Ingress(args.ingress as ResolvedCloudRun["ingress"]),
        ...(args.invokerIamDisabled ? { "run.googleapis.com/invoker-iam-disabled": "true" } : {}),
      },
    },
    spec: {
      template: {
        metadata: {
          ...(isPinned(input.image) && { name: release.candidateRevision }),
          labels: (template.labels ?? {}) as Record<string, string>,
          annotations: templateAnnotations,
        },
        spec: {
          containerConcurrency: template.maxInstanceRequestConcurrency,
          timeoutSeconds: Number(String(template.timeout).replace(/s$/, "")),
          serviceAccountName: template.serviceAccount,
          ...(accelerator ? { nodeSelector: { "run.googleapis.com/accelerator": accelerator } } : {}),
          containers: containers.map(v1Container),
        },
      },
      traffic: knativeTraffic(service, release.stableRevision),
    },
  };

  const unsupported = [
    ...(onCloudRun
      ? []
      : [
          `runway:target: this stack runs on ${decision.target}; this YAML runs the same service on Cloud Run, with Cloud Run's defaults for runway:cloudrun`,
          ...cloudRunProblems({ service, cloudrun: runway.cloudrun, region: gcp.region }).map(
            (problem) => `${problem.path}: Cloud Run refuses this: ${problem.message}`,
          ),
        ]),
    ...(service.readyPath === undefined
      ? []
      : [
          `runway:service.readyPath: not exported: Cloud Run's readiness probes are Preview; the startup and liveness probes use healthPath (${service.healthPath})`,
        ]),
    ...(settings.deletionProtection
      ? [
          "runway:cloudrun.deletionProtection: the v1 YAML has no field for it; set it with gcloud run services update --deletion-protection",
        ]
      : []),
    ...stackOnlyLines(config),
    ...gkeKeys(config).map((key) => `runway:gke.${key}: a GKE setting; Cloud Run has no cluster`),
    ...unmapped(args, SERVICE_KEYS, ""),
    ...unmapped(template, TEMPLATE_KEYS, "template."),
    ...containers.flatMap((container, i) => unmapped(container, CONTAINER_KEYS, `template.containers[${i}].`)),
  ];
  const secrets = secretIds(service);
  const prerequisites = [
    `service account ${email} with roles/logging.logWriter and roles/monitoring.metricWriter (pulumi up creates it; this YAML does not)`,
    ...secrets.map((id) => `roles/secretmanager.secretAccessor on Secret Manager secret ${id} for ${email}`),
  ];
  return { flavour: "cloudrun", manifest, unsupported, prerequisites, features: [] };
}
