/**
 * The workload contract every target honours the same way: how secrets are referenced, how the platform
 * probes the container and how long it lets it drain. Target folders map it onto their own resources.
 */
import type { ServiceConfig } from "../config/schema";

/** A `service.secrets` value, "ID" or "ID:VERSION", as its parts; the version defaults to latest. */
export function parseSecretRef(ref: string): { readonly secretId: string; readonly version: string } {
  // split always yields a first part, so the id's default is never used.
  const [secretId = "", version = "latest"] = ref.split(":");
  return { secretId, version };
}

/** The Secret Manager secret ids the service reads. */
export function secretIds(service: ServiceConfig): string[] {
  return [...new Set(Object.values(service.secrets).map((ref) => parseSecretRef(ref).secretId))].sort();
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
