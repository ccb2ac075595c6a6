/**
 * GKE Standard's monthly cost: the cluster fee, the nodes that stay up, the load balancer's forwarding rule,
 * Cloud NAT and the disks of disk volumes (with their backup). Nodes are billed at Compute Engine prices whether or not pods use them (gcp-facts §4.2).
 */
import { hasStable } from "../../workload/release";
import { instanceResourcesText as podText } from "../../workload/contract";
import { GPU_NODE_DAEMONSET_REQUESTS, podCapacity, poolZoneCount, systemPoolFit, type ResolvedGke } from "./sizing";
import type { GpuConfig, LoadConfig, ServiceConfig } from "../../config/schema";
import type { ValidatedConfig } from "../../config/validate";
import { isGpuType, machineShape } from "../../facts/gpus";
import { dataDiskType } from "../../facts/disks";
import { memoryMiB } from "../../config/quantities";
import { volumesOf } from "../../workload/volumes";
import { podMachineType } from "./rules";
import { HOURS_PER_MONTH, type RegionPrices } from "../../facts/prices";
import {
  hourlyOf,
  monthOf,
  price,
  SECONDS_PER_MONTH,
  unpriced,
  type Contribution,
  type Hourly,
  type Line,
  type Note,
} from "../../cost/line";
import { busyInstanceSeconds, busyNote, capacityNotes } from "../../cost/traffic";

/** Pods one GPU node holds: one per node (each node carries exactly the pod's GPUs), or maxSharedClients when shared. */
function podsPerNode(gke: ResolvedGke): number {
  return gke.gpuPool.sharing?.maxSharedClients ?? 1;
}

/** Zones the GPU pool spans: its node locations (autoscaling limits are per zone, container_node_pool doc). */
function gpuZoneCount(gke: ResolvedGke): number {
  return Math.max(gke.gpuNodeLocations.length, 1);
}

/**
 * Pods that never scale away: minInstances for each release, since with service.release.stable the stable image has a
 * Deployment and ScaledObject of its own (service.ts), whatever its share.
 */
function idlePods(service: ServiceConfig): number {
  return service.minInstances * (hasStable(service) ? 2 : 1);
}

/** GPU nodes that never scale away: minNodes in every zone, and enough for the idle pods (none at zero). */
function idleGpuNodes(service: ServiceConfig, gke: ResolvedGke): number {
  return Math.max(gke.gpuPool.minNodes * gpuZoneCount(gke), Math.ceil(idlePods(service) / podsPerNode(gke)));
}

/**
 * GPU nodes under a steady load: the average number of busy pods rounded up, kept between minReplicas and
 * maxInstances (the HPA's bounds), on as many nodes as they need, never fewer than the idle floor.
 */
function loadedGpuNodes(service: ServiceConfig, gke: ResolvedGke, load: LoadConfig): number {
  const average = busyInstanceSeconds(load, service) / SECONDS_PER_MONTH;
  const pods = Math.max(
    Math.min(Math.max(Math.ceil(average), service.minInstances), service.maxInstances),
    idlePods(service),
  );
  return Math.max(idleGpuNodes(service, gke), Math.ceil(pods / podsPerNode(gke)));
}

/**
 * One node's $/h: accelerator-optimized types (g2, g4, a2, a3, a4) are priced whole, GPUs included; on N1 the GPUs
 * are attached and priced apart (facts/prices.ts). Undefined when a needed figure is missing.
 */
function nodeHourly(prices: RegionPrices, machineType: string, spot: boolean, gpu?: GpuConfig): Hourly | undefined {
  const machine = Object.hasOwn(prices.compute, machineType) ? prices.compute[machineType] : undefined;
  const machineFigure = spot ? machine?.spot : machine?.onDemand;
  if (!machineFigure) return undefined;
  if (!gpu || machineShape(machineType)?.family !== "n1") return hourlyOf(machineFigure);
  const attached = isGpuType(gpu.type) ? prices.n1Gpus[gpu.type] : undefined;
  const gpuFigure = spot ? attached?.spot : attached?.onDemand;
  if (!gpuFigure) return undefined;
  return {
    usdPerHour: machineFigure.value + gpu.count * gpuFigure.value,
    basis: `(${price(machineFigure)}/h + ${gpu.count} × ${price(gpuFigure)}/h)`,
    figures: [machineFigure, gpuFigure],
  };
}

const pricing = (spot: boolean) => (spot ? "Spot" : "on-demand");

function nodeLine(
  item: string,
  count: number,
  prices: RegionPrices,
  machineType: string,
  spot: boolean,
  gpu?: GpuConfig,
): Line {
  const hourly = nodeHourly(prices, machineType, spot, gpu);
  const what = `${machineType}${gpu ? ` + ${gpu.count}× ${gpu.type}` : ""} ${pricing(spot)}`;
  return hourly ? monthOf(item, count, hourly) : unpriced(item, what);
}

/** "A flat cluster management fee of $0.10 per cluster per hour … applies to all GKE clusters" (gcp-facts §4.2). */
function clusterFeeLines(gke: ResolvedGke, prices: RegionPrices): Line[] {
  const feeHour = prices.gke.clusterFeeHour;
  const fee = monthOf("GKE cluster management fee", 1, hourlyOf(feeHour));
  if (poolZoneCount(gke.location) !== 1) return [fee];
  // "Free tier credits are only applied to zonal and Autopilot clusters", against the fee, so never more than it.
  const credit = prices.gke.freeTierMonthlyCredit;
  return [
    fee,
    {
      item: "GKE free tier credit (zonal cluster)",
      usd: -Math.min(credit.value, feeHour.value * HOURS_PER_MONTH),
      basis: `min(${price(credit)}/month credit, the fee)`,
      figures: [credit],
    },
  ];
}

/**
 * Cloud NAT for private nodes: the gateway bills per VM using it, up to a flat rate per gateway, plus each NAT IP
 * by the hour (gcp-facts §4 / facts/prices.ts). One IP is assumed: AUTO_ONLY adds more only as ports run out.
 */
function natLines(nodes: number, prices: RegionPrices): Line[] {
  const nat = prices.cloudNat;
  const gateway = Math.min(nodes * nat.gatewayHourPerVm.value, nat.gatewayHourMax.value);
  return [
    {
      item: `Cloud NAT gateway (${nodes} VM${nodes === 1 ? "" : "s"})`,
      usd: gateway * HOURS_PER_MONTH,
      basis: `min(${nodes} VMs × ${price(nat.gatewayHourPerVm)}/h, ${price(nat.gatewayHourMax)}/h) × ${HOURS_PER_MONTH} h`,
      figures: [nat.gatewayHourPerVm, nat.gatewayHourMax],
    },
    monthOf("Cloud NAT IP address", 1, hourlyOf(nat.ipHour)),
  ];
}

/**
 * A disk per replica and disk volume: replicas up to maxInstances each keep their own disk, and a replica's disk stays
 * (and bills) when KEDA scales it away, so the month counts maxInstances disks whatever the load. Zonal disks bill
 * provisioned capacity, not what is written (facts/prices.ts disks).
 */
function diskLines(service: ServiceConfig, gke: ResolvedGke, prices: RegionPrices): Line[] {
  const disks = volumesOf(service, "disk");
  const machineType = podMachineType(service, gke);
  const replicas = service.maxInstances;
  const lines = disks.map((disk): Line => {
    const type = dataDiskType(disk.class, machineType);
    const item = `Disk ${disk.name}: ${replicas} × ${disk.size} ${type}`;
    const figure = prices.disks[type];
    if (!figure) return unpriced(item, `${type} capacity`);
    const gib = (memoryMiB(disk.size) ?? 0) / 1024;
    return {
      item,
      usd: replicas * gib * figure.value,
      basis: `${replicas} replicas × ${gib} GiB × ${price(figure)}/GiB-month`,
      figures: [figure],
    };
  });
  // Backup for GKE bills the pods a plan protects and the bytes its backups keep ("Backup for GKE pricing",
  // https://cloud.google.com/kubernetes-engine/docs/add-on/backup-for-gke/concepts/about-pricing, updated 2025-09-01);
  // that page sends the figures to the GKE pricing page, whose stored copies did not render them.
  if (disks.some((d) => d.backup)) {
    lines.push(
      unpriced(`Backup for GKE: up to ${replicas} protected pods`, "Backup for GKE's backup management per pod"),
      unpriced("Backup for GKE: backup storage", "Backup for GKE's backup storage per GiB"),
    );
  }
  return lines;
}

/** Every line of the cluster with `gpuNodes` GPU nodes up. */
function clusterLines(service: ServiceConfig, gke: ResolvedGke, prices: RegionPrices, gpuNodes: number): Line[] {
  const system = gke.systemPool;
  const systemNodes = system.nodes * poolZoneCount(gke.location);
  const lines = [
    ...clusterFeeLines(gke, prices),
    nodeLine(
      `System pool: ${systemNodes} × ${system.machineType}`,
      systemNodes,
      prices,
      system.machineType,
      system.spot,
    ),
  ];
  if (service.gpu) {
    const machineType = gke.gpuMachineType;
    const item = `GPU pool: ${gpuNodes} × ${machineType ?? "no machine type"}`;
    lines.push(
      machineType
        ? nodeLine(item, gpuNodes, prices, machineType, gke.gpuPool.spot, service.gpu)
        : unpriced(item, "an unresolved GPU machine type"),
    );
  }
  // The LoadBalancer Service is one forwarding rule (workload-spec.ts serviceArgs).
  const rule = prices.forwardingRule;
  const ruleItem = "Load balancer forwarding rule";
  lines.push(rule ? monthOf(ruleItem, 1, hourlyOf(rule.first5Hour)) : unpriced(ruleItem, "a regional forwarding rule"));
  if (gke.privateNodes) lines.push(...natLines(systemNodes + gpuNodes, prices));
  lines.push(...diskLines(service, gke, prices));
  return lines;
}

/**
 * What each stop in traffic costs before the GPU nodes are gone: pods wait scaleDownSeconds, then the empty node the
 * consolidation delay of the GPU pool's ComputeClass (runway:gke.gpuPool.scaleDownDelayMinutes, cluster-spec.ts), which
 * replaces the cluster autoscaler's default unneeded time for that pool (10 minutes, --scale-down-unneeded-time in the
 * kubernetes/autoscaler cluster-autoscaler FAQ). runway:load says how much traffic, not how often it stops, so this
 * stays a note.
 */
function idleTail(gke: ResolvedGke, prices: RegionPrices, machineType: string, gpu: GpuConfig): Note | undefined {
  const hourly = nodeHourly(prices, machineType, gke.gpuPool.spot, gpu);
  if (!hourly) return undefined;
  const nodeSeconds = gke.gpuPool.scaleDownDelayMinutes * 60;
  const seconds = gke.scaleDownSeconds + nodeSeconds;
  const usd = (seconds / 3600) * hourly.usdPerHour;
  return {
    text:
      `Idle tail: a GPU node stays billed ~${seconds / 60} min after traffic stops, $${usd.toFixed(2)} per node each time ` +
      "(not in the totals).",
    detail:
      `Idle tail: after the last request a GPU node stays billed for about ${gke.scaleDownSeconds} s (runway:gke.scaleDownSeconds) ` +
      `+ ${nodeSeconds} s (runway:gke.gpuPool.scaleDownDelayMinutes, the ComputeClass's consolidation delay) = ` +
      `${seconds / 60} min, ${hourly.basis} × ${seconds}/3600 h = $${usd.toFixed(2)} per node each time traffic stops; ` +
      "not in the monthly figures.",
  };
}

function gkeNotes(config: ValidatedConfig, gke: ResolvedGke, prices: RegionPrices): (string | Note)[] {
  const { service, load } = config.runway;
  const notes: (string | Note)[] = [];
  if (poolZoneCount(gke.location) === 1) {
    const credit = price(prices.gke.freeTierMonthlyCredit);
    notes.push({
      text: `The GKE free tier credit (${credit}/month) is per billing account: one zonal/Autopilot cluster gets it.`,
      detail:
        `The GKE free tier credit (${credit}/month) is per billing account: it offsets this ` +
        "cluster's fee only if it is the billing account's only zonal/Autopilot cluster.",
    });
  } else {
    notes.push(
      `Regional cluster (${gke.location}): the GKE free tier credit does not apply, and the system pool runs in ` +
        `${poolZoneCount(gke.location)} zones.`,
    );
  }
  if (gke.releaseChannel === "EXTENDED")
    notes.push("The Extended release channel adds a fee that runway's price table does not have.");
  const fit = systemPoolFit(gke);
  if (fit) {
    const nodes = `${gke.systemPool.nodes * poolZoneCount(gke.location)} × ${gke.systemPool.machineType}`;
    notes.push({
      text:
        `System pool fit: add-ons and GKE's pods request ${fit.requestedCpuMillis}m CPU / ${fit.requestedMiB}Mi; ` +
        `${nodes} give ${fit.allocatableCpuMillis}m / ${fit.allocatableMiB}Mi.`,
      detail:
        `System pool fit: runway's add-ons and GKE's own pods request ${fit.requestedCpuMillis}m CPU / ${fit.requestedMiB}Mi; ` +
        `${nodes} give pods ` +
        `${fit.allocatableCpuMillis}m / ${fit.allocatableMiB}Mi (part of the requests is runway's estimate, sizing.ts).`,
    });
  }
  const gpuShape = service.gpu && gke.gpuMachineType ? machineShape(gke.gpuMachineType) : undefined;
  if (gpuShape) {
    const capacity = podCapacity(gpuShape, "gpu");
    const daemonSets = GPU_NODE_DAEMONSET_REQUESTS;
    const room = `${capacity.cpu.toFixed(2)} vCPU / ${(capacity.memoryMiB / 1024).toFixed(1)}Gi`;
    const gives = `a ${gke.gpuMachineType} gives pods ${room}`;
    notes.push({
      text: `GPU node fit: a pod requests ${podText(service).cpu} vCPU / ${podText(service).memory}${podText(service).suffix} of the ${room} a ${gke.gpuMachineType} leaves pods.`,
      detail:
        `GPU node fit: a pod requests ${podText(service).cpu} vCPU / ${podText(service).memory}${podText(service).suffix}; ${gives} after GKE's reservations and ` +
        `${daemonSets.cpuMillis}m / ${daemonSets.memoryMiB}Mi of DaemonSets (sizing.ts GPU_NODE_DAEMONSETS; part of it is ` +
        "runway's conservative estimate).",
    });
  }
  if (!service.gpu) {
    notes.push(
      `Without a GPU the service runs on the system pool, autoscaled from ${gke.systemPool.nodes} to ` +
        `${gke.systemPool.maxNodes} node(s) per zone; the estimate counts its minimum.`,
    );
  }
  const tail = service.gpu && gke.gpuMachineType && idleTail(gke, prices, gke.gpuMachineType, service.gpu);
  if (tail) notes.push(tail);
  if (gke.gpuPool.spot || gke.systemPool.spot)
    notes.push("Spot prices can change daily, and Spot nodes can be reclaimed at 30 s notice.");
  if (gke.privateNodes)
    notes.push("Cloud NAT: one NAT IP address is assumed; AUTO_ONLY allocates more only as ports run out.");
  const ruleRate = prices.forwardingRule ? `${price(prices.forwardingRule.first5Hour)}/h` : "unknown here";
  notes.push({
    text: `The forwarding rule is priced at the first-5-rules rate (${ruleRate}); node boot disks are not included.`,
    detail:
      `The forwarding rule is priced at the first-5-rules rate (${ruleRate}); node boot disks ` +
      "(Persistent Disk or Hyperdisk) are not in runway's price table and not included.",
  });
  if (load) {
    notes.push(busyNote(load, service), ...capacityNotes(load, service), {
      text: "GKE under load: GPU nodes follow the average pod count, rounded up; peaks and data processing are not modeled.",
      detail:
        "GKE under load: GPU nodes follow the average pod count, rounded up; peaks, load-balancer data processing and " +
        "Cloud NAT data processing are not modeled.",
    });
  }
  return notes;
}

/** GKE's lines idle and, with runway:load, under load. */
export function gkeCost(config: ValidatedConfig, gke: ResolvedGke, prices: RegionPrices): Contribution {
  const { service, load } = config.runway;
  const idleNodes = service.gpu ? idleGpuNodes(service, gke) : 0;
  const idle = clusterLines(service, gke, prices, idleNodes);
  const notes = gkeNotes(config, gke, prices);
  if (!load) return { idle, notes };
  const loadNodes = service.gpu ? loadedGpuNodes(service, gke, load) : 0;
  return { idle, underLoad: clusterLines(service, gke, prices, loadNodes), notes };
}
