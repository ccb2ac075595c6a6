/**
 * The workload contract every target honours the same way: how secrets are referenced, how the platform
 * probes the container and how long it lets it drain. Target folders map it onto their own resources.
 */
import { cpuCount, formatMiB, memoryMiB } from "../config/quantities";
import type { ServiceConfig, SidecarConfig } from "../config/schema";
import { volumeSecretRefs } from "./volumes";

/** A `service.secrets` value, "ID" or "ID:VERSION", as its parts; the version defaults to latest. */
export function parseSecretRef(ref: string): { readonly secretId: string; readonly version: string } {
  // split always yields a first part, so the id's default is never used.
  const [secretId = "", version = "latest"] = ref.split(":");
  return { secretId, version };
}

/** The Secret Manager secret ids the service reads: the app's, its sidecars' and its secret volumes' (one account reads them all). */
export function secretIds(service: ServiceConfig): string[] {
  const refs = [
    ...Object.values(service.secrets),
    ...service.sidecars.flatMap((s) => Object.values(s.secrets)),
    ...volumeSecretRefs(service),
  ];
  return [...new Set(refs.map((ref) => parseSecretRef(ref).secretId))].sort();
}

/** One instance's (pod's) CPU and memory: the app container's plus every sidecar's. */
export function instanceResources(service: ServiceConfig): { readonly cpu: number; readonly memoryMiB: number } {
  const containers = [service, ...service.sidecars];
  return {
    cpu: Math.round(containers.reduce((sum, c) => sum + (cpuCount(c.cpu) ?? 0), 0) * 1000) / 1000,
    memoryMiB: containers.reduce((sum, c) => sum + (memoryMiB(c.memory) ?? 0), 0),
  };
}

/**
 * The instance's CPU and memory as messages and the plan state them: the service's own values without sidecars
 * (so existing texts do not change), else the sums, with `suffix` saying what they add up (" (app + 1 sidecar)").
 */
export function instanceResourcesText(service: ServiceConfig): {
  readonly cpu: string;
  readonly memory: string;
  readonly suffix: string;
} {
  if (service.sidecars.length === 0) return { cpu: service.cpu, memory: service.memory, suffix: "" };
  const { cpu, memoryMiB: mib } = instanceResources(service);
  const n = service.sidecars.length;
  return { cpu: String(cpu), memory: formatMiB(mib), suffix: ` (app + ${n} sidecar${n === 1 ? "" : "s"})` };
}

/** The sidecars the app waits for, in the order they are listed (and, on GKE, started). */
export function startsFirst(service: ServiceConfig): SidecarConfig[] {
  return service.sidecars.filter((s) => s.startsFirst);
}

/** A sidecar's HTTP startup probe, with the app's non-GPU budget (120 s); none when it has no startupProbe. */
export function sidecarStartupProbe(sidecar: SidecarConfig) {
  return sidecar.startupProbe
    ? {
        httpGet: { path: sidecar.startupProbe.path, port: sidecar.startupProbe.port },
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: 24,
      }
    : undefined;
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

/** The readiness path: the service's own, else its health path. */
export function readinessPath(service: ServiceConfig): string {
  return service.readyPath ?? service.healthPath;
}

/**
 * The variable that tells the app its drain deadline. The sample app reads it (app/src/config.ts); any image
 * may. runway sets it on both targets from service.drainSeconds, the one value the grace periods derive from.
 */
export const DRAIN_DEADLINE_ENV = "SHUTDOWN_DEADLINE_MS";

/** Seconds between the app's own drain deadline and SIGKILL, for its last log lines to leave. */
export const DRAIN_MARGIN_SECONDS = 2;

/** The drain deadline as the app reads it. */
export function drainEnv(service: ServiceConfig): { readonly name: string; readonly value: string } {
  return { name: DRAIN_DEADLINE_ENV, value: String(service.drainSeconds * 1000) };
}
