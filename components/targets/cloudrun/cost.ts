/**
 * Cloud Run's monthly cost: instance time at the rates of the service's billing mode, after the free tier.
 * Rates and allowances: facts/prices.ts (gcp-facts §4.1); billing modes: gcp-facts §1.7 and §2.2.
 */
import { instanceResources } from "../../workload/contract";
import { trafficSplit } from "../../workload/release";
import type { LoadConfig, ServiceConfig } from "../../config/schema";
import type { ValidatedConfig } from "../../config/validate";
import type { ResolvedCloudRun } from "./settings";
import type { Figure, RegionPrices } from "../../facts/prices";
import {
  metered,
  price,
  quantity,
  remainingFree,
  SECONDS_PER_MONTH,
  type Allowance,
  type Contribution,
  type Line,
  type Note,
} from "../../cost/line";
import { busyInstanceSeconds, busyNote, capacityNotes, maxInstanceSeconds } from "../../cost/traffic";

/** What one instance holds, and the price of its GPU (only the L4 has one in the table). */
interface InstanceShape {
  readonly vcpu: number;
  readonly gib: number;
  readonly gpu?: { readonly type: string; readonly count: number; readonly rate: Figure | undefined } | undefined;
}

/**
 * Cloud Run bills an instance's CPU and memory, and with sidecars those are every container's limits together
 * (workload/contract.ts instanceResources), so each instance-second is priced at the app's plus the sidecars'.
 */
function instanceShape(service: ServiceConfig, prices: RegionPrices): InstanceShape {
  const gpu = service.gpu;
  const resources = instanceResources(service);
  return {
    vcpu: resources.cpu,
    gib: resources.memoryMiB / 1024,
    gpu: gpu && { ...gpu, rate: gpu.type === "nvidia-l4" ? prices.cloudRun.l4GpuSecond : undefined },
  };
}

/**
 * Instance-based billing ("CPU always allocated") when CPU is not throttled between requests, which a GPU requires:
 * "You must use instance-based billing to use the GPU feature" (gcp-facts §2.2). The decision's settings decide it,
 * so the estimate bills the mode runway deploys.
 */
function isInstanceBased(settings: ResolvedCloudRun): boolean {
  return !settings.cpuIdle;
}

interface FreeTier {
  readonly vcpu: Allowance;
  readonly gib: Allowance;
}

/** The monthly free tier of a billing mode, per billing account (gcp-facts §4.1). */
function freeTier(prices: RegionPrices, instanceBased: boolean): FreeTier {
  const tier = instanceBased ? prices.cloudRun.freeTier.instanceBased : prices.cloudRun.freeTier.requestBased;
  return {
    vcpu: { units: tier.vcpuSeconds.value, figure: tier.vcpuSeconds },
    gib: { units: tier.gibSeconds.value, figure: tier.gibSeconds },
  };
}

/** vCPU and memory of `instanceSeconds` of instance time at a pair of rates, each after its free allowance. */
function cpuAndMemoryLines(
  what: string,
  instanceSeconds: number,
  shape: InstanceShape,
  rates: { readonly vcpuSecond?: Figure | undefined; readonly gibSecond?: Figure | undefined },
  free: FreeTier,
): Line[] {
  const time = `${quantity(instanceSeconds)} instance-s`;
  return [
    metered({
      item: `Cloud Run vCPU, ${what}`,
      from: `${time} × ${quantity(shape.vcpu)} vCPU`,
      used: instanceSeconds * shape.vcpu,
      unit: "vCPU-s",
      rate: rates.vcpuSecond,
      free: free.vcpu,
    }),
    metered({
      item: `Cloud Run memory, ${what}`,
      from: `${time} × ${quantity(shape.gib)} GiB`,
      used: instanceSeconds * shape.gib,
      unit: "GiB-s",
      rate: rates.gibSecond,
      free: free.gib,
    }),
  ];
}

/**
 * Whole instances for `instanceSeconds` at the instance-based rates: vCPU, memory and GPUs. The free tier covers
 * vCPU and memory only; "GPU is billed for the entire duration of the instance lifecycle" (gcp-facts §2.2).
 */
function instanceLines(
  what: string,
  instanceSeconds: number,
  shape: InstanceShape,
  prices: RegionPrices,
  free: FreeTier,
): Line[] {
  const lines = cpuAndMemoryLines(what, instanceSeconds, shape, prices.cloudRun.instanceBased, free);
  const gpu = shape.gpu;
  if (gpu) {
    lines.push(
      metered({
        item: `Cloud Run GPU (${gpu.type}), ${what}`,
        from: `${quantity(instanceSeconds)} instance-s × ${gpu.count} GPU`,
        used: instanceSeconds * gpu.count,
        unit: "GPU-s",
        rate: gpu.rate,
      }),
    );
  }
  return lines;
}

const minInstancesText = (count: number) => `${count} min instance${count === 1 ? "" : "s"}`;

/**
 * Revisions that keep min instances: minInstanceCount is a revision setting (template.scaling), so during a release
 * the candidate's and the stable's revision each keep it while they serve a share. A revision at 0% is assumed to
 * keep none (README "verify on the first real deployment").
 */
function revisionsKeepingMin(service: ServiceConfig): number {
  return trafficSplit(service).filter((share) => share.percent > 0).length;
}

/**
 * Idle min instances. Instance-based services pay them at the instance-based rates. Request-based services pay
 * them at a lower idle rate that runway's price table does not have, so the instance-based rates stand in as an
 * upper bound (said in a note). No min instances, no compute.
 */
function idleLines(service: ServiceConfig, shape: InstanceShape, prices: RegionPrices, free: FreeTier): Line[] {
  if (service.minInstances === 0) {
    return [
      { item: "Cloud Run instances", usd: 0, basis: "minInstances 0: no instance runs without traffic", figures: [] },
    ];
  }
  const revisions = revisionsKeepingMin(service);
  return instanceLines(
    `${minInstancesText(service.minInstances)}${revisions > 1 ? ` in each of ${revisions} revisions (release)` : ""} all month`,
    service.minInstances * revisions * SECONDS_PER_MONTH,
    shape,
    prices,
    free,
  );
}

/**
 * Request-based billing under load: busy instance time at the request-based rates plus the per-request fee, the
 * free tier going to these first; then the idle min instances as when idle, with what is left of the free tier.
 */
function requestBasedLoadLines(
  service: ServiceConfig,
  load: LoadConfig,
  shape: InstanceShape,
  prices: RegionPrices,
): Line[] {
  const rates = prices.cloudRun.requestBased;
  const free = freeTier(prices, false);
  const freeRequests = prices.cloudRun.freeTier.requestBased.requests;
  const busy = Math.min(busyInstanceSeconds(load, service), maxInstanceSeconds(service));
  const busyLines = [
    ...cpuAndMemoryLines("serving requests", busy, shape, rates, free),
    metered({
      item: "Cloud Run requests",
      used: load.requestsPerMonth,
      unit: "requests",
      rate: rates.perMillionRequests,
      per: 1e6,
      free: { units: freeRequests.value, figure: freeRequests },
    }),
  ];
  if (service.minInstances === 0) return busyLines;
  const left = { vcpu: remainingFree(free.vcpu, busy * shape.vcpu), gib: remainingFree(free.gib, busy * shape.gib) };
  return [...busyLines, ...idleLines(service, shape, prices, left)];
}

/**
 * Instance-based billing under load: instances run at least minInstances all month, more while busy, at most
 * maxInstances; no per-request fee ("There are no per request fees", gcp-facts §2.2).
 */
function instanceBasedLoadLines(
  service: ServiceConfig,
  load: LoadConfig,
  shape: InstanceShape,
  prices: RegionPrices,
): Line[] {
  const floor = service.minInstances * revisionsKeepingMin(service) * SECONDS_PER_MONTH;
  const seconds = Math.min(Math.max(floor, busyInstanceSeconds(load, service)), maxInstanceSeconds(service));
  return instanceLines("instances under load", seconds, shape, prices, freeTier(prices, true));
}

function freeTierNote(prices: RegionPrices, instanceBased: boolean): Note {
  const tier = prices.cloudRun.freeTier;
  const { vcpuSeconds, gibSeconds } = instanceBased ? tier.instanceBased : tier.requestBased;
  const seconds = `${quantity(vcpuSeconds.value)} vCPU-s, ${quantity(gibSeconds.value)} GiB-s`;
  const allowance = instanceBased
    ? `instance-based: ${seconds}`
    : `request-based: ${seconds}, ${quantity(tier.requestBased.requests.value)} requests`;
  return {
    text: "The Cloud Run free tier is per billing account: subtracted here as if this were its only service.",
    detail:
      `The Cloud Run free tier (${allowance} a month) is per billing account and shared by all its Cloud Run ` +
      "services and jobs; it is subtracted here as if this service were the only one.",
  };
}

function cloudRunNotes(config: ValidatedConfig, prices: RegionPrices, instanceBased: boolean): (string | Note)[] {
  const { service, load } = config.runway;
  const notes: (string | Note)[] = [
    instanceBased
      ? {
          text: "Instance-based billing (a GPU or cloudrun.cpuIdle false): billed for whole lifetimes, no request fee.",
          detail:
            "Instance-based billing (a GPU or cloudrun.cpuIdle false): instances are billed for their whole lifetime, with no per-request fee.",
        }
      : "Request-based billing: instances are billed while they serve requests, plus a fee per million requests.",
  ];
  if (service.minInstances > 0 || load) notes.push(freeTierNote(prices, instanceBased));
  if (!instanceBased && service.minInstances > 0) {
    const rates = prices.cloudRun.instanceBased;
    const rate = (figure?: Figure) => (figure ? price(figure) : "unknown");
    notes.push({
      text: "Idle min instances are priced at the instance-based rates: an upper bound for a request-based service.",
      detail:
        `Idle min instances of a request-based service are priced at the instance-based rates (${rate(rates.vcpuSecond)}/vCPU-s, ` +
        `${rate(rates.gibSecond)}/GiB-s): an upper bound, since Cloud Run bills them at a lower idle rate runway's price table does not have.`,
    });
  }
  if (load) {
    notes.push(
      busyNote(load, service),
      ...capacityNotes(load, service),
      "Startup and shutdown time and the 100 ms rounding of billed time are not modeled.",
    );
  }
  return notes;
}

/**
 * Events cost Pub/Sub throughput only (topics, subscriptions and notifications have no fee of their own): nothing while
 * nothing is published. runway:load has no event volume, so under load the throughput is not estimated and the line
 * says so instead of inventing one.
 */
function eventLines(service: ServiceConfig, prices: RegionPrices, underLoad: boolean): Line[] {
  if (service.events.length === 0) return [];
  const { throughputTib, freeGib } = prices.pubsub;
  const rate = `${price(throughputTib)}/TiB after ${quantity(freeGib.value)} GiB free a month`;
  return [
    {
      item: "Pub/Sub event delivery",
      usd: 0,
      basis: underLoad
        ? `events not in runway:load; ingestion and delivery are ${rate}`
        : `no events while idle; ingestion and delivery are ${rate}`,
      figures: [throughputTib, freeGib],
    },
  ];
}

/** Cloud Run's lines idle and, with runway:load, under load. */
export function cloudRunCost(config: ValidatedConfig, settings: ResolvedCloudRun, prices: RegionPrices): Contribution {
  const { service, load } = config.runway;
  const instanceBased = isInstanceBased(settings);
  const shape = instanceShape(service, prices);
  const idle = [
    ...idleLines(service, shape, prices, freeTier(prices, instanceBased)),
    ...eventLines(service, prices, false),
  ];
  const notes = cloudRunNotes(config, prices, instanceBased);
  if (!load) return { idle, notes };
  const underLoad = [
    ...(instanceBased
      ? instanceBasedLoadLines(service, load, shape, prices)
      : requestBasedLoadLines(service, load, shape, prices)),
    ...eventLines(service, prices, true),
  ];
  return { idle, underLoad, notes };
}
