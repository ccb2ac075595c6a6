/**
 * The `knative` flavour of the export: a portable Knative Serving v1 Service for any cluster with Knative Serving,
 * from the same validated description and workload contract (probes, secrets, drain variable) both targets use.
 * What Knative cannot carry (Cloud Run billing and IAM, GKE cluster settings, the grace period) is reported.
 */
import { containerEnvs } from "../targets/cloudrun/spec";
import { DRAIN_DEADLINE_ENV, probes, readinessPath } from "../workload/contract";
import { isPinned, knativeTraffic, releaseRevisions } from "../workload/release";
import { gkeKeys, stackOnlyLines, type ExportInput, type ExportResult } from "./report";

/** Knative's default ceiling on timeoutSeconds (config-defaults max-revision-timeout-seconds). */
export const KNATIVE_MAX_TIMEOUT_SECONDS = 600;

/** A Kubernetes Secret name for a Secret Manager secret id (ids may hold _ and capitals, names may not). */
export function kubernetesSecretName(secretId: string): string {
  return (
    secretId
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "secret"
  );
}

/** The Cloud Run settings a Knative Service has no field for, as `runway:cloudrun.*` lines. */
function cloudRunLines(input: ExportInput): string[] {
  const { decision } = input.config;
  if (decision.target !== "cloudrun") return [];
  const s = decision.settings;
  return [
    `runway:cloudrun.cpuIdle: ${s.cpuIdle}: CPU billing is Cloud Run's; Knative pods keep their CPU`,
    `runway:cloudrun.startupCpuBoost: ${s.startupCpuBoost}: Cloud Run only`,
    ...(s.executionEnvironment ? [`runway:cloudrun.executionEnvironment: Cloud Run only`] : []),
    ...(s.gpuZonalRedundancyDisabled === undefined ? [] : ["runway:cloudrun.gpuZonalRedundancy: Cloud Run only"]),
    ...(s.deletionProtection
      ? ["runway:cloudrun.deletionProtection: Kubernetes has no deletion protection for a Service"]
      : []),
  ];
}

/** The stack's service as a portable Knative Serving v1 Service. */
export function knativeExport(input: ExportInput): ExportResult {
  const { config } = input;
  const { gcp, runway, decision } = config;
  const { service } = runway;
  const namespace = decision.target === "gke" ? decision.settings.namespace : service.name;
  const ingress = runway.cloudrun.ingress;
  // Only a public service open to all traffic is external; any other is reachable from inside the cluster only.
  const external = service.public && ingress === "all";

  const secretRefs = new Map<string, { secretId: string; version: string }>();
  const env = containerEnvs(service, gcp.project).map((entry) => {
    // The export passes only plain values, so no Input here is a promise or an Output.
    const source = entry.valueSource as { secretKeyRef: { secret: string; version: string } } | undefined;
    if (!source) return { name: entry.name, value: entry.value as string };
    const { secret, version } = source.secretKeyRef;
    const name = kubernetesSecretName(secret);
    secretRefs.set(`${name}/${version}`, { secretId: secret, version });
    return { name: entry.name, valueFrom: { secretKeyRef: { name, key: version } } };
  });

  const limits: Record<string, string> = { cpu: service.cpu, memory: service.memory };
  if (service.gpu) limits["nvidia.com/gpu"] = String(service.gpu.count);
  const { startupProbe, livenessProbe } = probes(service);
  const readinessProbe = { httpGet: { path: readinessPath(service), port: service.port } };

  const template = {
    metadata: {
      labels: service.labels,
      annotations: {
        "autoscaling.knative.dev/min-scale": String(service.minInstances),
        "autoscaling.knative.dev/max-scale": String(service.maxInstances),
      },
    },
    spec: {
      containerConcurrency: service.concurrency,
      timeoutSeconds: service.timeoutSeconds,
      serviceAccountName: service.name,
      ...(service.gpu
        ? {
            nodeSelector: { "cloud.google.com/gke-accelerator": service.gpu.type },
            // GKE taints GPU nodes nvidia.com/gpu=present:NoSchedule.
            tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
          }
        : {}),
      containers: [
        {
          name: service.name,
          image: input.image,
          ports: [{ name: "http1", containerPort: service.port }],
          resources: { limits },
          env,
          startupProbe,
          livenessProbe,
          readinessProbe,
        },
      ],
    },
  };
  // Named revisions as on Cloud Run (workload/release.ts): the stable release is the revision of its image with
  // these settings, which a Knative cluster has if an earlier export of it was applied.
  const revisions = releaseRevisions(service, service.name, template, input.image, (t, image) => ({
    ...t,
    spec: { ...t.spec, containers: t.spec.containers.map((c) => ({ ...c, image })) },
  }));
  const manifest = {
    apiVersion: "serving.knative.dev/v1",
    kind: "Service",
    metadata: {
      name: service.name,
      namespace,
      labels: { ...service.labels, ...(external ? {} : { "networking.knative.dev/visibility": "cluster-local" }) },
    },
    spec: {
      template: {
        ...template,
        metadata: { ...(isPinned(input.image) && { name: revisions.candidate }), ...template.metadata },
      },
      traffic: knativeTraffic(service, revisions.stable),
    },
  };

  const unsupported = [
    service.public
      ? `runway:service.public: true: Knative has no invoker IAM check; ${external ? "the service is external on the cluster's ingress, open to anyone who reaches it" : `runway:cloudrun.ingress ${ingress} makes it cluster-local`}`
      : "runway:service.public: false: Knative has no invoker IAM check; the service is cluster-local (networking.knative.dev/visibility) instead",
    ...(ingress === "internal-and-cloud-load-balancing"
      ? [
          "runway:cloudrun.ingress: internal-and-cloud-load-balancing: approximated as cluster-local; put your own load balancer in front",
        ]
      : []),
    `runway:service.drainSeconds: ${service.drainSeconds}: Knative sets the pod's terminationGracePeriodSeconds itself (from timeoutSeconds); only ${DRAIN_DEADLINE_ENV} is passed`,
    ...(Object.keys(service.secrets).length > 0
      ? ["runway:service.secrets: read from Kubernetes Secrets (values stored in the cluster), not from Secret Manager"]
      : []),
    ...(service.timeoutSeconds > KNATIVE_MAX_TIMEOUT_SECONDS
      ? [
          `runway:service.timeoutSeconds: ${service.timeoutSeconds} is above Knative's default max-revision-timeout-seconds (${KNATIVE_MAX_TIMEOUT_SECONDS}); raise it in config-defaults`,
        ]
      : []),
    ...(service.gpu
      ? [
          `runway:service.gpu: the node selector is GKE's label (cloud.google.com/gke-accelerator); other clusters label GPU nodes their own way`,
        ]
      : []),
    // Sidecars are read without their type so the export does not depend on their schema's details.
    ...Object.entries(service.volumes).map(
      ([name, volume]) =>
        `runway:service.volumes.${name}: the ${volume.kind} volume is not in the Knative export; add the volume and its mount at ${volume.mountPath} by hand`,
    ),
    ...((service as { readonly sidecars?: readonly { readonly name: string }[] }).sidecars ?? []).map(
      (sidecar, i) =>
        `runway:service.sidecars[${i}]: ${sidecar.name} is not in the Knative export; add the container by hand`,
    ),
    ...stackOnlyLines(config),
    ...cloudRunLines(input),
    ...gkeKeys(config)
      .filter((key) => key !== "namespace")
      .map((key) => `runway:gke.${key}: a GKE cluster or KEDA setting; a Knative Service has no field for it`),
  ];
  const prerequisites = [
    `Kubernetes ServiceAccount ${service.name} in namespace ${namespace}`,
    ...[...secretRefs.entries()].map(
      ([key, ref]) =>
        `Kubernetes Secret ${key.split("/")[0]} in namespace ${namespace} with key ${ref.version}: the value of Secret Manager secret ${ref.secretId} version ${ref.version}`,
    ),
  ];
  const features = service.gpu ? ["kubernetes.podspec-nodeselector", "kubernetes.podspec-tolerations"] : [];
  return { flavour: "knative", manifest, unsupported, prerequisites, features };
}
