/**
 * GKE's documented limits as validation rules: GPU ↔ machine family, GPUs per machine type, GPU zones,
 * requests that fit a node, node counts, GPU sharing and control-plane access. Each rule cites its source;
 * the GPU, machine and zone tables and their dates are in facts/gpus.ts.
 */
import { MAX_ACK_DEADLINE_SECONDS, MAX_DELIVERY_ATTEMPTS } from "../../workload/events";
import { memoryVolumeProblems, namedVolumes, volumesOf } from "../../workload/volumes";
import { partialSplit } from "../../workload/release";
import {
  GPU_TYPES,
  GPU_ZONES,
  GPU_ZONES_AS_OF,
  allowedGpuCounts,
  isGpuType,
  machineShape,
  zonesOffering,
} from "../../facts/gpus";
import { BOOT_DISK_TYPES, bootDiskTypesFor, DATA_DISK_SIZE_GIB, dataDiskType } from "../../facts/disks";
import { memoryMiB } from "../../config/quantities";
import {
  ROLLOUT_SURGE,
  defaultGeneralMachineType,
  fits,
  fitsMachine,
  gpuPodsPerNode,
  isZone,
  podCapacity,
  podRequestsText as podText,
  podsPerNodeOf,
  poolZoneCount,
  regionOf,
  resolveGke,
  systemNodesNeeded,
  systemPoolFit,
  poolProbeService,
  maxServicePods,
  releaseCount,
  type GpuRequest,
  type ResolvedGke,
  type ResolvedPool,
} from "./sizing";
import type { Problem } from "../../config/problem";
import { GPU_COMPUTE_CLASS } from "./cluster-spec";
import { KEDA_CHARTS } from "./keda";
import type { BuiltImage } from "../../image/dockerfile";
import type { GkeConfig, ServiceConfig } from "../../config/schema";

export interface GkeInput {
  readonly service: ServiceConfig;
  /** The parsed runway:gke section, undefined when the stack has none. */
  readonly gke: GkeConfig | undefined;
  readonly region: string;
  /** The image runway builds, as its Dockerfile says; undefined when that is not known (WorkloadInput.image). */
  readonly image?: BuiltImage | undefined;
}

interface Context extends GkeInput {
  readonly resolved: ResolvedGke;
}

const problem = (path: string, message: string): Problem => ({ path: `runway:${path}`, message });

/** The cluster must sit in gcp:region, and a default zone needs zone data for the region. */
export function locationProblems({ gke, region, service }: Context): Problem[] {
  const location = gke?.location;
  if (location && regionOf(location) !== region) {
    return [problem("gke.location", `${location} is not in gcp:region ${region}; use ${region} or one of its zones`)];
  }
  if (!location && !Object.hasOwn(GPU_ZONES, region)) {
    return [
      problem("gke.location", `runway has no zone data for ${region}; set runway:gke.location to a zone of ${region}`),
    ];
  }
  if (!location && service.gpu && zonesOffering(service.gpu.type, region).length === 0) {
    return [
      problem(
        "service.gpu.type",
        `no zone of ${region} offers ${service.gpu.type} on GKE (${GPU_ZONES_AS_OF}); pick another region or GPU`,
      ),
    ];
  }
  return [];
}

/** The GPU must be offered in the zone(s) its nodes run in (Compute Engine GPU regions and zones). */
export function gpuZoneProblems({ gke, region, service, resolved }: Context): Problem[] {
  if (!service.gpu || !gke?.location || regionOf(gke.location) !== region || !Object.hasOwn(GPU_ZONES, region))
    return [];
  const offering = zonesOffering(service.gpu.type, region);
  if (isZone(gke.location) ? offering.includes(gke.location) : resolved.gpuNodeLocations.length > 0) return [];
  const where = offering.length > 0 ? `zones that do: ${offering.join(", ")}` : `no zone of ${region} does`;
  return [problem("gke.location", `${gke.location} does not offer ${service.gpu.type}; ${where} (${GPU_ZONES_AS_OF})`)];
}

/**
 * "GPUs are supported for N1 general-purpose, and the accelerator-optimized (A3, A2, and G2) machine series…
 * GPUs can't be used with other machine series"; accelerator-optimized types carry a fixed GPU count
 * (https://cloud.google.com/compute/docs/gpus, gcp-facts §3.1).
 */
export function gpuMachineProblems({ gke, service, resolved }: Context): Problem[] {
  const machineType = gke?.gpuPool.machineType;
  if (!service.gpu) {
    return machineType
      ? [problem("gke.gpuPool.machineType", "is set but runway:service.gpu is not; a GPU pool needs a GPU")]
      : [];
  }
  const { type, count } = service.gpu;
  if (!isGpuType(type)) return []; // the schema reports unknown GPU types
  const family = GPU_TYPES[type].family;
  if (!machineType) {
    return resolved.gpuMachineType
      ? []
      : [
          problem(
            "service.gpu",
            `no ${family} machine type carries ${count} ${type} and fits cpu ${podText(service).cpu} / memory ${podText(service).memory}${podText(service).suffix}; lower the requests or the GPU count`,
          ),
        ];
  }
  const shape = machineShape(machineType);
  if (!shape)
    return [
      problem(
        "gke.gpuPool.machineType",
        `${machineType} is not a machine type runway knows for GPUs; ${type} runs on ${family} machines`,
      ),
    ];
  if (shape.family !== family) {
    return [
      problem(
        "gke.gpuPool.machineType",
        `${machineType} is a ${shape.family} machine; ${type} runs on ${family} machines`,
      ),
    ];
  }
  const counts = allowedGpuCounts(type, machineType);
  if (!counts.includes(count)) {
    return [
      problem(
        "service.gpu.count",
        `${machineType} takes ${counts.length > 0 ? counts.join(" or ") : "no"} ${type}, not ${count}`,
      ),
    ];
  }
  return [];
}

/**
 * The GPU pool's boot disk must be a type its machine series boots from: the newest series (G4, A3 Ultra, A4) take
 * only Hyperdisk Balanced, G2 refuses pd-standard (Compute Engine's supported disk types per series, facts/disks.ts).
 * The default is chosen from the same table, so only an explicit runway:gke.gpuPool.diskType can be wrong.
 */
export function diskTypeProblems({ gke, service, resolved }: Context): Problem[] {
  const diskType = gke?.gpuPool.diskType;
  if (!diskType) return [];
  if (!service.gpu)
    return [problem("gke.gpuPool.diskType", "is set but runway:service.gpu is not; a GPU pool needs a GPU")];
  const machineType = resolved.gpuMachineType;
  const allowed = machineType && bootDiskTypesFor(machineType);
  if (!machineType || !allowed || allowed.includes(diskType)) return []; // unknown machine types are reported elsewhere
  return [
    problem(
      "gke.gpuPool.diskType",
      `${machineType} cannot boot from ${diskType}: its series boots only from ${allowed.join(" or ")}; set one of those, or leave runway:gke.gpuPool.diskType out for ${allowed[0]}`,
    ),
  ];
}

/**
 * Requests must fit what a node gives pods: capacity less GKE's reservations and system pods
 * (sizing.ts). Without a GPU the service runs on the system pool.
 */
export function fitProblems({ service, gke, resolved }: Context): Problem[] {
  const onGpuPool = service.gpu !== undefined;
  const machineType = onGpuPool ? resolved.gpuMachineType : resolved.systemPool.machineType;
  const path = onGpuPool ? "gke.gpuPool.machineType" : "gke.systemPool.machineType";
  const shape = machineType && machineShape(machineType);
  const pool = onGpuPool ? "gpu" : "system";
  if (!shape || !machineType || fitsMachine(service, machineType, pool)) return [];
  // A default was chosen to fit; when none fits, that is reported here or by gpuMachineProblems.
  if (onGpuPool && !gke?.gpuPool.machineType) return [];
  if (!onGpuPool && !gke?.systemPool.machineType && !defaultGeneralMachineType(service, resolved.systemPool.nodes)) {
    return [
      problem(
        "service.cpu",
        `no machine type runway knows fits cpu ${podText(service).cpu} / memory ${podText(service).memory}${podText(service).suffix} on one node`,
      ),
    ];
  }
  const capacity = podCapacity(shape, pool);
  return [
    problem(
      path,
      `${machineType} cannot hold cpu ${podText(service).cpu} / memory ${podText(service).memory}${podText(service).suffix}: a pod may request at most ${capacity.cpu.toFixed(2)} vCPU and ${(capacity.memoryMiB / 1024).toFixed(1)}Gi memory there`,
    ),
  ];
}

export function systemPoolProblems({ gke, resolved }: Context): Problem[] {
  if (!gke) return [];
  const pool = resolved.systemPool;
  const shape = machineShape(pool.machineType);
  if (!shape)
    return [
      problem(
        "gke.systemPool.machineType",
        `${pool.machineType} is not a machine type runway knows; e.g. e2-medium, e2-standard-2, n2-standard-2`,
      ),
    ];
  if (shape.gpus)
    return [
      problem(
        "gke.systemPool.machineType",
        `${pool.machineType} carries GPUs; the system pool needs a machine without GPUs`,
      ),
    ];
  const fit = systemPoolFit(resolved);
  if (fit && !fits(fit)) {
    const nodes = pool.nodes * poolZoneCount(resolved.location);
    const larger = defaultGeneralMachineType(undefined, pool.nodes);
    return [
      problem(
        gke.systemPool.machineType ? "gke.systemPool.machineType" : "gke.systemPool.nodes",
        `${nodes} node(s) of ${pool.machineType} give pods ${fit.allocatableCpuMillis}m CPU / ${fit.allocatableMiB}Mi, less than the ${fit.requestedCpuMillis}m / ${fit.requestedMiB}Mi runway's add-ons and GKE's own pods request there; use a larger type${larger ? ` (e.g. ${larger})` : ""} or more nodes`,
      ),
    ];
  }
  if (pool.spot && pool.nodes < 2) {
    // Spot VMs can be reclaimed with 30 s notice (https://cloud.google.com/kubernetes-engine/docs/concepts/spot-vms):
    // a single Spot system node takes cluster DNS and the metrics agents down with it.
    return [
      problem(
        "gke.systemPool.spot",
        "needs nodes: 2 or more, or spot: false; one reclaimed Spot node would stop cluster services",
      ),
    ];
  }
  return [];
}

/** Node counts: each pool's minimum at most its maximum. */
export function nodeCountProblems({ resolved }: Context): Problem[] {
  const pool = resolved.gpuPool;
  // min_node_count ">=0 and <= max_node_count" (terraform-provider-google container_node_pool doc).
  const problems: Problem[] = [];
  if (pool.minNodes > pool.maxNodes) {
    problems.push(problem("gke.gpuPool.minNodes", `${pool.minNodes} is more than maxNodes (${pool.maxNodes})`));
  }
  const system = resolved.systemPool;
  if (system.nodes > system.maxNodes) {
    problems.push(problem("gke.systemPool.nodes", `${system.nodes} is more than maxNodes (${system.maxNodes})`));
  }
  return problems;
}

/** The service's pods at most on its pool, with the sum in words. */
function servicePods(service: ServiceConfig): { readonly pods: number; readonly text: string } {
  const releases = releaseCount(service);
  const pods = maxServicePods(service);
  const each = releases > 1 ? ` for each of ${releases} releases (candidate and stable)` : "";
  return { pods, text: `maxInstances ${service.maxInstances} + ${ROLLOUT_SURGE} rollout surge${each} = ${pods}` };
}

/**
 * The pool the service runs on must hold maxInstances pods plus the rollout's surge pod (ROLLOUT_SURGE) at its
 * autoscaled maximum, for each release. The defaults are derived to fit one release (resolveGke), so only an explicit
 * maxNodes, or a stable image beside the candidate, can fall short.
 */
export function poolCapacityProblems({ service, resolved }: Context): Problem[] {
  if (!service.gpu) return systemPoolCapacityProblems(service, resolved);
  const pool = resolved.gpuPool;
  // Each node carries exactly the pod's GPUs (gpuMachineProblems), so one pod per node, or maxSharedClients
  // pods when the GPU is shared; autoscaling limits are per zone (container_node_pool doc).
  const podsPerNode = gpuPodsPerNode(resolved);
  const zones = Math.max(resolved.gpuNodeLocations.length, 1);
  const capacity = pool.maxNodes * zones * podsPerNode;
  const { pods, text } = servicePods(service);
  if (pods <= capacity) return [];
  const needed = Math.ceil(pods / podsPerNode / zones);
  return [
    problem(
      "gke.gpuPool.maxNodes",
      `${pool.maxNodes} nodes × ${zones} zone(s) × ${podsPerNode} pod(s) per node = ${capacity} pods, fewer than ${text}; set it to ${needed} or more, or leave it out to derive it`,
    ),
  ];
}

/** Without a GPU the service runs on the system pool, whose autoscaled maximum must hold it beside the cluster's pods. */
function systemPoolCapacityProblems(service: ServiceConfig, resolved: ResolvedGke): Problem[] {
  const shape = machineShape(resolved.systemPool.machineType);
  if (!shape || podsPerNodeOf(service, shape) < 1) return [];
  const zones = poolZoneCount(resolved.location);
  const { text } = servicePods(service);
  const needed = systemNodesNeeded(service, shape);
  const max = resolved.systemPool.maxNodes;
  if (needed <= max * zones) return [];
  return [
    problem(
      "gke.systemPool.maxNodes",
      `${max} node(s) × ${zones} zone(s) of ${resolved.systemPool.machineType} cannot hold ${text} pods beside runway's add-ons and GKE's own pods, which need ${needed} node(s); set it to ${Math.ceil(needed / zones)} or more, or leave it out to derive it`,
    ),
  ];
}

/**
 * GPU sharing: "max-shared-clients-per-gpu" is 2 to 48, and a container on a shared GPU requests one GPU
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/timesharing-gpus,
 * https://cloud.google.com/kubernetes-engine/docs/how-to/nvidia-mps-gpus).
 */
export function sharingProblems({ service, gke }: Context): Problem[] {
  const sharing = gke?.gpuPool.sharing;
  if (!sharing) return [];
  const problems: Problem[] = [];
  if (!service.gpu) problems.push(problem("gke.gpuPool.sharing", "is set but runway:service.gpu is not"));
  if (sharing.maxSharedClients < 2 || sharing.maxSharedClients > 48) {
    problems.push(problem("gke.gpuPool.sharing.maxSharedClients", `${sharing.maxSharedClients} is outside 2 to 48`));
  }
  if (service.gpu && service.gpu.count > 1) {
    problems.push(
      problem("service.gpu.count", `${service.gpu.count} GPUs per pod; a pod on shared GPUs requests exactly 1`),
    );
  }
  return problems;
}

/**
 * MPS needs hostIPC: GKE's MPS guide has every workload on an MPS-shared GPU set `hostIPC: true`
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/nvidia-mps-gpus), and the Pod Security Standards
 * forbid sharing the host namespaces from baseline up, so restricted too ("Host Namespaces": hostIPC must be
 * unset or false, https://kubernetes.io/docs/concepts/security/pod-security-standards/). Both levels runway
 * enforces (runway:gke.podSecurity) would refuse the pod; time-sharing needs no host namespace.
 */
export function mpsSharingProblems({ gke }: Context): Problem[] {
  if (gke?.gpuPool.sharing?.strategy !== "MPS") return [];
  return [
    problem(
      "gke.gpuPool.sharing.strategy",
      "MPS needs hostIPC: true on the pod, which both Pod Security Standards runway enforces (restricted, baseline: runway:gke.podSecurity) forbid; use TIME_SHARING",
    ),
  ];
}

/**
 * Small A3 High shapes (1g/2g/4g) are offered only as Spot or Flex-start: a third-party price catalog says so
 * (gcp-facts §4.3, UNCONFIRMED in Google docs); failing here is cheaper than failing when the pool is created.
 */
export function spotProblems({ resolved }: Context): Problem[] {
  const machineType = resolved.gpuMachineType;
  if (machineType && /^a3-highgpu-[124]g$/.test(machineType) && !resolved.gpuPool.spot) {
    return [
      problem("gke.gpuPool.spot", `must be true for ${machineType}, which is offered only as Spot or Flex-start`),
    ];
  }
  return [];
}

/** IPv4 CIDR without host bits, e.g. "203.0.113.0/24". */
export function cidrProblem(cidr: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || prefix > 32)
    return `${cidr} is not an IPv4 CIDR such as "203.0.113.0/24"`;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const hostBits = 2 ** (32 - prefix);
  if (address % hostBits !== 0)
    return `${cidr} has host bits set; the network is ${networkOf(address, hostBits)}/${prefix}`;
  // Secure by default: the control plane is not opened to every address.
  if (prefix === 0) return "0.0.0.0/0 opens the control plane to the whole internet; list your own ranges";
  return undefined;
}

function networkOf(address: number, hostBits: number): string {
  const network = address - (address % hostBits);
  return [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".");
}

export function authorizedNetworkProblems({ gke }: Context): Problem[] {
  return (gke?.authorizedNetworks ?? []).flatMap((network, i) => {
    const message = cidrProblem(network.cidr);
    return message ? [problem(`gke.authorizedNetworks[${i}].cidr`, message)] : [];
  });
}

/**
 * "Public clusters can have up to 50 authorized network CIDRs. Private clusters can have up to 100 authorized
 * network CIDRs" (https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks, Limitations).
 * runway's cluster is private exactly when its nodes are (runway:gke.privateNodes; cluster-spec.ts).
 */
export function authorizedNetworkCountProblems({ resolved }: Context): Problem[] {
  const count = resolved.authorizedNetworks.length;
  const limit = resolved.privateNodes ? 100 : 50;
  if (count <= limit) return [];
  const kind = resolved.privateNodes
    ? "a cluster with private nodes (runway:gke.privateNodes: true)"
    : "a cluster with public nodes (runway:gke.privateNodes: false); privateNodes: true allows 100";
  return [problem("gke.authorizedNetworks", `${count} ranges; GKE allows at most ${limit} on ${kind}`)];
}

/**
 * "Avoid creating namespaces with the prefix kube-, since it is reserved for Kubernetes system namespaces"
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/); default holds unrelated objects.
 */
export function namespaceProblems({ resolved, gke }: Context): Problem[] {
  const namespace = resolved.namespace;
  if (namespace === "default" || namespace.startsWith("kube-")) {
    return [
      problem(
        gke?.namespace ? "gke.namespace" : "service.name",
        `namespace ${namespace} is reserved for the system; choose another`,
      ),
    ];
  }
  return [];
}

/**
 * Labels go on Kubernetes objects too, where names and values "must begin and end with an alphanumeric
 * character" (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set);
 * Google Cloud labels also allow a leading or trailing "-" or "_".
 */
export function labelProblems({ service }: Context): Problem[] {
  const edges = /^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$/;
  return Object.entries(service.labels).flatMap(([key, value]) =>
    edges.test(key) && (value === "" || edges.test(value))
      ? []
      : [problem(`service.labels.${key}`, "on GKE, label keys and values must begin and end with a letter or digit")],
  );
}

/**
 * GKE serves a release by Host only: the add-on's interceptor matches a route by host, path or header
 * (InterceptorRoute `rules`, test/schemas/keda/interceptorroutes.http.keda.sh.yaml) and has no weights, so a release
 * gets all of the load balancer's address or none of it (service.ts).
 */
export function releaseSplitProblems({ service }: Context): Problem[] {
  const percent = partialSplit(service);
  if (percent === undefined) return [];
  return [
    problem(
      "service.release.candidatePercent",
      `${percent} splits traffic by percentage, which GKE cannot: KEDA's interceptor picks a route by host, path or header, not by weight (InterceptorRoute, http-add-on ${KEDA_CHARTS.httpAddOn.version}); use 0 or 100 with tags on GKE, or Cloud Run (runway:target: cloudrun) for a percentage split`,
    ),
  ];
}

/** Secrets are mounted as files on GKE and announced as <NAME>_FILE (workload-spec.ts), so env must not use those names. */
export function secretFileEnvProblems({ service }: Context): Problem[] {
  const app = Object.keys(service.secrets)
    .filter((name) => `${name}_FILE` in service.env)
    .map((name) =>
      problem(`service.env.${name}_FILE`, `is set by runway on GKE to the path of secret ${name}; rename it`),
    );
  // The same for each sidecar's own env and secrets (workload-spec.ts sidecarEnv).
  const sidecars = service.sidecars.flatMap((sidecar, i) =>
    Object.keys(sidecar.secrets)
      .filter((name) => `${name}_FILE` in sidecar.env)
      .map((name) =>
        problem(
          `service.sidecars[${i}].env.${name}_FILE`,
          `is set by runway on GKE to the path of secret ${name}; rename it`,
        ),
      ),
  );
  return [...app, ...sidecars];
}

/**
 * Under podSecurity "restricted" the pod sets runAsNonRoot, and the kubelet refuses to start a container whose
 * image runs as root ("container has runAsNonRoot and image will run as root") or as a name it cannot check
 * ("container has runAsNonRoot and image has non-numeric user (…), cannot verify user is non-root"; kubelet
 * verifyRunAsNonRoot): the pod would sit in CreateContainerConfigError. A USER made of build variables is not
 * judged, nor is a base image's own user: no USER counts as root.
 */
export function imageUserProblems({ image, resolved }: Context): Problem[] {
  if (!image || resolved.podSecurity !== "restricted") return [];
  const { dockerfile, user } = image;
  const restricted = "GKE's restricted Pod Security Standard (runway:gke.podSecurity, the default)";
  const fix = "or set runway:gke.podSecurity: baseline";
  if (user.kind === "root") {
    const runs =
      user.user === undefined
        ? "has no USER, so the image runs as root (runway does not look into the base image)"
        : `runs as root (USER ${user.user})`;
    return [
      problem(
        "image.dockerfile",
        `${dockerfile}'s final stage ${runs}, and ${restricted} refuses root containers; end the final stage with USER 65532 (or another numeric non-root uid), ${fix}`,
      ),
    ];
  }
  if (user.kind === "named") {
    return [
      problem(
        "image.dockerfile",
        `${dockerfile}'s final stage runs as the named user ${user.user}, which the kubelet cannot verify as non-root under ${restricted} and refuses to start ("image has non-numeric user"); use the numeric uid, e.g. USER 65532, ${fix}`,
      ),
    ];
  }
  return [];
}

/**
 * The pod's own volumes are `tmp` and `secrets` (workload-spec.ts deploymentArgs), so a service volume may not take
 * either name: "Each volume in a pod must have a unique name" (core/v1 Volume.name).
 */
export const RESERVED_VOLUME_NAMES = ["tmp", "secrets"] as const;

/**
 * Volumes on GKE. The restricted Pod Security Standard allows only "configMap, csi, downwardAPI, emptyDir, ephemeral,
 * persistentVolumeClaim, projected, secret" volumes (https://kubernetes.io/docs/concepts/security/pod-security-standards/,
 * "Volume Types"), so an NFS volume needs baseline; gcs volumes are csi, memory volumes emptyDir and secret volumes
 * files of the csi secrets volume, all allowed. The memory volumes must leave the app memory
 * (workload/volumes.ts memoryVolumeProblems). An NFS server must be reachable from the cluster's VPC (README).
 */
export function volumeProblems({ service, resolved }: Context): Problem[] {
  const problems: Problem[] = [];
  for (const volume of namedVolumes(service)) {
    if ((RESERVED_VOLUME_NAMES as readonly string[]).includes(volume.name)) {
      problems.push(
        problem(
          `service.volumes.${volume.name}`,
          `the name ${volume.name} is the pod's own volume on GKE; use another name (reserved: ${RESERVED_VOLUME_NAMES.join(", ")})`,
        ),
      );
    }
    if (volume.kind === "nfs" && resolved.podSecurity === "restricted") {
      problems.push(
        problem(
          `service.volumes.${volume.name}`,
          "an NFS volume: GKE's restricted Pod Security Standard (runway:gke.podSecurity, the default) allows only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes; set runway:gke.podSecurity: baseline",
        ),
      );
    }
  }
  return [...problems, ...memoryVolumeProblems(service), ...diskProblems(service, resolved)];
}

/** The machine type of the service's nodes: an extra pool's, else the GPU pool's with a GPU, else the system pool's. */
export function podMachineType(
  service: ServiceConfig,
  settings: ResolvedGke,
  pool?: PlacementPool,
): string | undefined {
  if (pool?.resolved) return pool.resolved.machineType;
  return service.gpu ? settings.gpuMachineType : settings.systemPool.machineType;
}

/** unix-cron fields (Backup for GKE's cronSchedule): minute, hour, day of month, month, day of week, with their ranges. */
const CRON_FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: /^(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)$/i },
  { name: "day of week", min: 0, max: 7, names: /^(SUN|MON|TUE|WED|THU|FRI|SAT)$/i },
] as const;

/** One cron field: `*`, a number or name, a range `a-b`, each optionally `/step`, in a comma list (crontab(5)). */
function cronFieldOk(text: string, field: (typeof CRON_FIELDS)[number]): boolean {
  const value = (v: string) =>
    ("names" in field && field.names.test(v)) || (/^\d+$/.test(v) && Number(v) >= field.min && Number(v) <= field.max);
  return text.split(",").every((item) => {
    const [range, step, extra] = item.split("/");
    if (extra !== undefined || range === undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return false;
    if (range === "*") return true;
    const [from, to, more] = range.split("-");
    return more === undefined && from !== undefined && value(from) && (to === undefined || value(to));
  });
}

/**
 * Disk volumes: each disk's size within its type's limits (facts/disks.ts DATA_DISK_SIZE_GIB, the type following the
 * pods' machine series), one backup for all of them (one Backup for GKE plan backs up the whole namespace), a cron
 * schedule GKE can read, and no release: the stable image would need disks of its own.
 */
function diskProblems(service: ServiceConfig, resolved: ResolvedGke): Problem[] {
  const disks = volumesOf(service, "disk");
  if (disks.length === 0) return [];
  const problems: Problem[] = [];
  const machineType = podMachineType(service, resolved);
  for (const disk of disks) {
    const type = dataDiskType(disk.class, machineType);
    const { min, max } = DATA_DISK_SIZE_GIB[type];
    const gib = (memoryMiB(disk.size) ?? 0) / 1024;
    if (gib < min || gib > max) {
      problems.push(
        problem(
          `service.volumes.${disk.name}.size`,
          `${disk.size} is outside what a ${type} disk holds, ${min}Gi to ${max / 1024}Ti${type === "hyperdisk-balanced" ? ` (${machineType} nodes take only Hyperdisk)` : ""}`,
        ),
      );
    }
  }
  const backups = disks.map((d) => (d.backup ? `${d.backup.schedule} kept ${d.backup.retainDays} days` : "none"));
  if (disks.some((d) => d.backup) && new Set(backups).size > 1) {
    problems.push(
      problem(
        "service.volumes",
        `the disk volumes have different backups (${disks.map((d, i) => `${d.name}: ${backups[i]}`).join(", ")}); one Backup for GKE plan backs up every disk of the namespace, so give them all the same backup`,
      ),
    );
  }
  for (const disk of disks) {
    const fields = disk.backup?.schedule.split(" ") ?? [];
    const bad = CRON_FIELDS.filter((field, i) => !cronFieldOk(fields[i] ?? "", field));
    if (disk.backup && bad.length > 0) {
      problems.push(
        problem(
          `service.volumes.${disk.name}.backup.schedule`,
          `"${disk.backup.schedule}" has an invalid ${bad.map((f) => f.name).join(", ")} field; use unix-cron fields such as "0 3 * * *" (minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-7)`,
        ),
      );
    }
  }
  if (service.release?.stable) {
    problems.push(
      problem(
        "service.release.stable",
        "a release with disk volumes: the stable image would need disks of its own (a second StatefulSet with its own claims), which runway does not build; deploy one image at a time",
      ),
    );
  }
  return problems;
}

/**
 * Events on GKE reach the app through the forwarder and the interceptor (gke/events.ts). Each delivery is cut at the
 * subscription's ack deadline, at most 600 s (workload/events.ts), and each refused or timed-out delivery counts as an
 * attempt towards dead-lettering (Pub/Sub DeadLetterPolicy.maxDeliveryAttempts). With coldStartResponse placeholder
 * the interceptor answers 503 at once while the service starts from zero, so a cold start longer than the five
 * attempts' backoff (10 s to 600 s, RETRY_POLICY) would dead-letter the events; "hold" waits instead.
 */
export function eventDeliveryProblems({ service, resolved }: Context): Problem[] {
  if (service.events.length === 0) return [];
  const problems: Problem[] = [];
  if (service.timeoutSeconds > MAX_ACK_DEADLINE_SECONDS) {
    problems.push(
      problem(
        "service.timeoutSeconds",
        `must be at most ${MAX_ACK_DEADLINE_SECONDS} with events: Pub/Sub's longest ack deadline bounds each delivery`,
      ),
    );
  }
  if (resolved.coldStartResponse === "placeholder") {
    problems.push(
      problem(
        "gke.coldStartResponse",
        `placeholder answers 503 while the service starts from zero, and each 503 counts as a delivery attempt: events would reach the dead-letter topic after ${MAX_DELIVERY_ATTEMPTS} attempts during a cold start; use hold with service.events`,
      ),
    );
  }
  return problems;
}

/**
 * A service that mounts a bucket, placed on a cluster made without the FUSE driver add-on (its settings came from a
 * service without a bucket, sizing.ts resolveGke): the pods would not start.
 */
function fuseDriverProblems(service: ServiceConfig, settings: ResolvedGke): Problem[] {
  if (settings.gcsFuseCsiDriver) return [];
  return volumesOf(service, "gcs").map((volume) => ({
    path: `runway:service.volumes.${volume.name}`,
    message:
      "a gcs volume needs the cluster's Cloud Storage FUSE CSI driver, which this cluster does not enable; create the cluster from settings of a service with a gcs volume",
  }));
}

/**
 * A service whose disks have a backup, placed on a cluster made without the Backup for GKE agent (its settings came
 * from a service without one): the BackupPlan would never run.
 */
function backupAgentProblems(service: ServiceConfig, settings: ResolvedGke): Problem[] {
  if (settings.gkeBackupAgent) return [];
  return volumesOf(service, "disk")
    .filter((volume) => volume.backup)
    .map((volume) => ({
      path: `runway:service.volumes.${volume.name}.backup`,
      message:
        "a disk backup needs the cluster's Backup for GKE agent, which this cluster does not enable; create the cluster from settings of a service with a disk backup",
    }));
}

export const GKE_RULES = [
  locationProblems,
  gpuZoneProblems,
  gpuMachineProblems,
  diskTypeProblems,
  fitProblems,
  systemPoolProblems,
  nodeCountProblems,
  poolCapacityProblems,
  sharingProblems,
  mpsSharingProblems,
  spotProblems,
  authorizedNetworkProblems,
  authorizedNetworkCountProblems,
  namespaceProblems,
  labelProblems,
  secretFileEnvProblems,
  releaseSplitProblems,
  imageUserProblems,
  volumeProblems,
  eventDeliveryProblems,
];

export function gkeProblems(input: GkeInput): Problem[] {
  const context: Context = { ...input, resolved: resolveGke(input.service, input.gke, input.region) };
  return GKE_RULES.flatMap((rule) => rule(context));
}

/** The settings GpuCluster was built with, as the config section they resolve (machine types made explicit). */
function explicitConfig(settings: ResolvedGke): GkeConfig {
  const { gpuNodeLocations: _zones, gpuMachineType, ...config } = settings;
  return { ...config, gpuPool: { ...config.gpuPool, machineType: gpuMachineType } };
}

/** A placeholder service that asks for nothing but the pool's GPUs: cluster rules judge the pools alone. */
const poolProbe = poolProbeService;

/** A cluster's own settings, as GpuCluster takes them: location, GPU ↔ machine and zones, pools, spot, CIDRs. */
export function clusterProblems(settings: ResolvedGke, gpu: GpuRequest | undefined, region: string): Problem[] {
  const context: Context = { service: poolProbe(gpu), gke: explicitConfig(settings), region, resolved: settings };
  return [
    locationProblems,
    gpuZoneProblems,
    gpuMachineProblems,
    diskTypeProblems,
    systemPoolProblems,
    nodeCountProblems,
    mpsSharingProblems,
    spotProblems,
    authorizedNetworkProblems,
    authorizedNetworkCountProblems,
  ].flatMap((rule) => rule(context));
}

/** GKE node pool names: RFC 1035 labels of at most 40 characters (terraform-provider-google container_node_pool, `name`). */
const POOL_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const POOL_NAME_MAX = 40;

const isCount = (value: unknown, min: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min;

/** A problem of one of GpuClusterArgs.pools, from a rule written for the stack's runway:gke.gpuPool. */
function asPoolProblem(index: number, p: Problem): Problem {
  const at = `pools[${index}]`;
  const path = p.path
    .replace(/^runway:gke\.gpuPool\./, `${at}.`)
    .replace(/^runway:service\.gpu/, `${at}.gpu`)
    // The cluster's location is fixed; what the pool can change is its GPU.
    .replace(/^runway:gke\.location$/, `${at}.gpu.type`);
  return { path, message: p.message.replace(/runway:gke\.gpuPool\./g, `${at}.`) };
}

/**
 * A problem of a service on one of GpuClusterArgs.pools: the pool's settings are the cluster's `pools[i]`, the
 * service's own stay as they are. An extra pool's maxNodes defaults to the cluster's, not to one derived for the service.
 */
function onExtraPool(index: number, p: Problem): Problem {
  const at = `runway:cluster.pools[${index}]`;
  return {
    path: p.path.replace(/^runway:gke\.gpuPool\./, `${at}.`),
    message: p.message.replace(/runway:gke\.gpuPool\./g, `${at}.`).replace(", or leave it out to derive it", ""),
  };
}

/** The cluster's settings as the single-pool rules see them when `pool` is the GPU pool. */
function asGpuPoolSettings(settings: ResolvedGke, pool: ResolvedPool): ResolvedGke {
  return {
    ...settings,
    gpuPool: {
      ...settings.gpuPool,
      machineType: pool.machineType,
      minNodes: pool.minNodes,
      maxNodes: pool.maxNodes,
      spot: pool.spot,
      diskSizeGb: pool.diskSizeGb ?? settings.gpuPool.diskSizeGb,
      diskType: pool.diskType,
      // Only the cluster's own `gpu` pool shares GPUs (runway:gke.gpuPool.sharing).
      sharing: null,
    },
    gpuMachineType: pool.machineType,
    gpuNodeLocations: pool.nodeLocations,
  };
}

/** One extra GPU pool: GPU type and count, machine and GPU pairs, zones that offer the GPU, disk type, Spot-only shapes. */
function gpuPoolProblems(settings: ResolvedGke, pool: ResolvedPool, region: string, index: number): Problem[] {
  const gpu = pool.gpu!;
  const at = `pools[${index}]`;
  if (!isGpuType(gpu.type)) {
    return [
      {
        path: `${at}.gpu.type`,
        message: `${gpu.type} is not a GPU type runway knows; use one of ${Object.keys(GPU_TYPES).join(", ")}`,
      },
    ];
  }
  if (!isCount(gpu.count, 1))
    return [{ path: `${at}.gpu.count`, message: `${String(gpu.count)} is not a whole number of GPUs, 1 or more` }];
  if (!pool.machineType) {
    return [
      {
        path: `${at}.gpu.count`,
        message: `no ${GPU_TYPES[gpu.type].family} machine type runway knows carries ${gpu.count} ${gpu.type}; use another count or set ${at}.machineType`,
      },
    ];
  }
  const resolved = asGpuPoolSettings(settings, pool);
  const context: Context = { service: poolProbe(gpu), gke: explicitConfig(resolved), region, resolved };
  return [gpuZoneProblems, gpuMachineProblems, diskTypeProblems, spotProblems]
    .flatMap((rule) => rule(context))
    .map((p) => asPoolProblem(index, p));
}

/** One extra CPU pool: a general-purpose machine runway knows, booting from a disk type its series takes. */
function cpuPoolProblems(pool: ResolvedPool, index: number): Problem[] {
  const at = `pools[${index}]`;
  const machineType = pool.machineType!;
  const shape = machineShape(machineType);
  if (!shape) {
    return [
      {
        path: `${at}.machineType`,
        message: `${machineType} is not a machine type runway knows; e.g. e2-standard-4, n2-standard-4`,
      },
    ];
  }
  if (shape.gpus) {
    return [
      {
        path: `${at}.machineType`,
        message: `${machineType} carries GPUs; a CPU pool needs a machine without GPUs, or give the pool a gpu`,
      },
    ];
  }
  const allowed = bootDiskTypesFor(machineType);
  if (pool.diskType && allowed && !allowed.includes(pool.diskType)) {
    return [
      {
        path: `${at}.diskType`,
        message: `${machineType} cannot boot from ${pool.diskType}: its series boots only from ${allowed.join(" or ")}; set one of those, or leave ${at}.diskType out for ${allowed[0]}`,
      },
    ];
  }
  return [];
}

/**
 * GpuClusterArgs.pools, each checked with the stack path's rules for its kind (GPU ↔ machine pairs, zones that offer
 * the GPU, disk type per series, node counts), and their names: distinct, and not those of the cluster's own pools.
 */
export function extraPoolProblems(
  settings: ResolvedGke,
  gpu: GpuRequest | undefined,
  pools: readonly {
    readonly args: { readonly name: string; readonly diskType?: string | undefined };
    readonly resolved: ResolvedPool;
  }[],
  region: string,
): Problem[] {
  const taken = new Set(gpu ? ["system", "gpu"] : ["system"]);
  return pools.flatMap(({ args, resolved: pool }, index) => {
    const at = `pools[${index}]`;
    const problems: Problem[] = [];
    if (typeof pool.name !== "string" || !POOL_NAME.test(pool.name) || pool.name.length > POOL_NAME_MAX) {
      problems.push({
        path: `${at}.name`,
        message: `${String(pool.name)} must be lowercase letters, digits and hyphens, starting with a letter, at most ${POOL_NAME_MAX} characters`,
      });
    } else if (taken.has(pool.name)) {
      const whose = pool.name === "system" || pool.name === "gpu" ? "the cluster's own pool" : "another pool";
      problems.push({ path: `${at}.name`, message: `${pool.name} is already the name of ${whose}; choose another` });
    }
    taken.add(pool.name);
    if (args.diskType !== undefined && !(BOOT_DISK_TYPES as readonly string[]).includes(args.diskType)) {
      problems.push({
        path: `${at}.diskType`,
        message: `must be one of ${BOOT_DISK_TYPES.map((t) => `"${t}"`).join(", ")}`,
      });
    }
    if (!isCount(pool.minNodes, 0))
      problems.push({ path: `${at}.minNodes`, message: `${String(pool.minNodes)} is not a whole number, 0 or more` });
    if (!isCount(pool.maxNodes, 1))
      problems.push({ path: `${at}.maxNodes`, message: `${String(pool.maxNodes)} is not a whole number, 1 or more` });
    // min_node_count ">=0 and <= max_node_count" (terraform-provider-google container_node_pool doc).
    else if (isCount(pool.minNodes, 0) && pool.minNodes > pool.maxNodes) {
      problems.push({ path: `${at}.minNodes`, message: `${pool.minNodes} is more than maxNodes (${pool.maxNodes})` });
    }
    if (pool.diskSizeGb !== undefined && !isCount(pool.diskSizeGb, 10)) {
      problems.push({
        path: `${at}.diskSizeGb`,
        message: `${String(pool.diskSizeGb)} is not a whole number of GB, 10 or more`,
      });
    }
    if (problems.some((p) => p.path === `${at}.diskType`)) return problems;
    return [...problems, ...(pool.gpu ? gpuPoolProblems(settings, pool, region, index) : cpuPoolProblems(pool, index))];
  });
}

/** One pool of the cluster a service can be placed on. */
export interface PlacementPool {
  /** The GKE node pool's name: "system", "gpu" (the cluster's `gpu` pool) or an extra pool's. */
  readonly name: string;
  /** GPUs per node; undefined for the system pool and CPU pools. */
  readonly gpu?: GpuRequest | undefined;
  /** The pool's ComputeClass, which its pods select and tolerate; undefined for the untainted system pool. */
  readonly computeClass?: string | undefined;
  /** The pool's GPU sharing; only the cluster's `gpu` pool shares. */
  readonly sharing?: ResolvedGke["gpuPool"]["sharing"] | undefined;
  /** The index of an extra pool in GpuClusterArgs.pools; undefined for the cluster's own pools. */
  readonly index?: number | undefined;
  /** An extra pool's resolved settings. */
  readonly resolved?: ResolvedPool | undefined;
}

/** The pools of the cluster a service is placed on. */
export interface ClusterPlacement {
  readonly settings: ResolvedGke;
  /** GPUs per node of the cluster's GPU pool; undefined when it has none. */
  readonly gpu?: GpuRequest | undefined;
  /** Every pool, the system pool first, then the `gpu` pool and the extra pools. Default: those of settings and gpu. */
  readonly pools?: readonly PlacementPool[] | undefined;
}

/** The pools of a placement, derived from its settings when it lists none. */
export function placementPools(placement: ClusterPlacement): readonly PlacementPool[] {
  return (
    placement.pools ?? [
      { name: "system" },
      ...(placement.gpu
        ? [
            {
              name: "gpu",
              gpu: placement.gpu,
              computeClass: GPU_COMPUTE_CLASS,
              sharing: placement.settings.gpuPool.sharing,
            },
          ]
        : []),
    ]
  );
}

/**
 * The pool a service runs on: with a GPU, a pool of that GPU type, the one carrying exactly its count first; without
 * one, the first CPU pool, else the system pool. Undefined when no pool has the service's GPU type.
 */
export function poolFor(service: ServiceConfig, placement: ClusterPlacement): PlacementPool | undefined {
  const pools = placementPools(placement);
  const wanted = service.gpu;
  if (!wanted) return pools.find((p) => p.name !== "system" && !p.gpu) ?? pools.find((p) => p.name === "system");
  const ofType = pools.filter((p) => p.gpu?.type === wanted.type);
  return ofType.find((p) => p.gpu?.count === wanted.count) ?? ofType[0];
}

/** The service must find its GPU among the cluster's pools. */
function placementGpuProblems(service: ServiceConfig, placement: ClusterPlacement): Problem[] {
  const wanted = service.gpu;
  if (!wanted || poolFor(service, placement)) return [];
  const types = [...new Set(placementPools(placement).flatMap((p) => (p.gpu ? [p.gpu.type] : [])))];
  const has = types.length > 0 ? `only ${types.join(" and ")} nodes` : "no GPU pool";
  return [
    problem(
      "service.gpu.type",
      `${wanted.type} is not offered by the cluster, which has ${has}; place the service on a cluster with a ${wanted.type} pool`,
    ),
  ];
}

/** A service on an extra CPU pool: one pod must fit a node, and the pool's maximum hold maxInstances + 1 surge pods. */
function cpuPoolPlacementProblems(
  service: ServiceConfig,
  pool: ResolvedPool,
  index: number,
  location: string,
): Problem[] {
  const machineType = pool.machineType!;
  const shape = machineShape(machineType);
  if (!shape) return [];
  if (!fitsMachine(service, machineType, "system")) {
    const capacity = podCapacity(shape, "system");
    return [
      problem(
        `cluster.pools[${index}].machineType`,
        `${machineType} cannot hold cpu ${podText(service).cpu} / memory ${podText(service).memory}${podText(service).suffix}: a pod may request at most ${capacity.cpu.toFixed(2)} vCPU and ${(capacity.memoryMiB / 1024).toFixed(1)}Gi memory there`,
      ),
    ];
  }
  const perNode = podsPerNodeOf(service, shape);
  // A CPU pool spans the cluster's zones; autoscaling limits are per zone (container_node_pool doc).
  const zones = poolZoneCount(location);
  const { pods, text } = servicePods(service);
  const capacity = pool.maxNodes * zones * perNode;
  if (pods <= capacity) return [];
  return [
    problem(
      `cluster.pools[${index}].maxNodes`,
      `${pool.maxNodes} node(s) × ${zones} zone(s) × ${perNode} pod(s) per node of ${machineType} = ${capacity} pods, fewer than ${text}; set it to ${Math.ceil(pods / perNode / zones)} or more`,
    ),
  ];
}

/**
 * A service on GKE: the rules that concern the service itself (namespace, labels, secret files, release split), and
 * with a placement, what the pool it runs on (poolFor) can hold (GPU type, node fit, node count, sharing).
 */
export function gkeServiceProblems(
  service: ServiceConfig,
  namespace: string,
  placement: ClusterPlacement | undefined,
  workload?: Pick<ResolvedGke, "podSecurity" | "coldStartResponse">,
): Problem[] {
  const settings = placement?.settings ?? resolveGke(service, undefined, "placeholder");
  // The namespace's Pod Security and the route's cold-start response are the component's own (its arguments), not
  // the cluster's, so the rules judge what this service will really run with.
  const own = serviceContextProblems(service, { ...settings, ...workload, namespace }, [
    namespaceProblems,
    labelProblems,
    secretFileEnvProblems,
    releaseSplitProblems,
    volumeProblems,
    eventDeliveryProblems,
  ]);
  if (!placement) return own;
  own.push(...fuseDriverProblems(service, settings), ...backupAgentProblems(service, settings));
  const gpu = placementGpuProblems(service, placement);
  if (gpu.length > 0) return [...own, ...onCluster(gpu)];
  const pool = poolFor(service, placement);
  const index = pool?.index;
  if (pool?.resolved && index !== undefined) {
    const capacity = pool.gpu
      ? serviceContextProblems(service, { ...asGpuPoolSettings(settings, pool.resolved), namespace }, [
          gpuMachineProblems,
          fitProblems,
          poolCapacityProblems,
        ]).map((p) => onExtraPool(index, p))
      : cpuPoolPlacementProblems(service, pool.resolved, index, settings.location);
    return [...own, ...onCluster(capacity)];
  }
  const capacity = serviceContextProblems(service, { ...settings, namespace }, [
    gpuMachineProblems,
    fitProblems,
    poolCapacityProblems,
    sharingProblems,
  ]);
  return [...own, ...onCluster(capacity)];
}

/** Runs rules on a service placed with these settings; a service without a GPU is not concerned by the GPU pool. */
function serviceContextProblems(
  service: ServiceConfig,
  resolved: ResolvedGke,
  rules: readonly ((context: Context) => Problem[])[],
): Problem[] {
  const explicit = explicitConfig(resolved);
  const gke = service.gpu ? explicit : { ...explicit, gpuPool: { ...explicit.gpuPool, machineType: undefined } };
  const context: Context = { service, gke, region: regionOf(resolved.location), resolved };
  return rules.flatMap((rule) => rule(context));
}

/** The pools belong to the cluster the service is placed on, not to arguments of the service. */
function onCluster(problems: readonly Problem[]): Problem[] {
  const text = (message: string) => message.replace(/runway:gke\./g, "the cluster's ");
  return problems.map((p) => ({ path: p.path.replace(/^runway:gke\./, "runway:cluster."), message: text(p.message) }));
}
