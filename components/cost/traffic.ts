/**
 * What a `runway:load` profile means in instance time, the same way for both targets.
 */
import type { LoadConfig, ServiceConfig } from "../config/schema";
import { quantity, SECONDS_PER_MONTH } from "./line";

/**
 * Instance-seconds the traffic keeps busy: request-seconds shared by the requests one instance serves at once,
 * which is the smaller of the profile's concurrency and the service's limit. Assumes requests pack perfectly onto
 * instances (no cold starts, no partly used instances): a floor for the time instances are busy.
 */
export function busyInstanceSeconds(load: LoadConfig, service: ServiceConfig): number {
  return (load.requestsPerMonth * load.avgRequestSeconds) / Math.min(load.concurrency, service.concurrency);
}

/** Most instance-seconds the service can run in a month: maxInstances all month. */
export function maxInstanceSeconds(service: ServiceConfig): number {
  return service.maxInstances * SECONDS_PER_MONTH;
}

/** How busy seconds were derived, for the notes. */
export function busyNote(load: LoadConfig, service: ServiceConfig): string {
  const perInstance = Math.min(load.concurrency, service.concurrency);
  const busy = busyInstanceSeconds(load, service);
  return (
    `Under load: ${quantity(load.requestsPerMonth)} requests × ${quantity(load.avgRequestSeconds)} s ÷ ${perInstance} ` +
    `at once = ${quantity(busy)} busy instance-seconds (${quantity(busy / SECONDS_PER_MONTH)} instances on average), ` +
    "assuming requests pack perfectly onto instances; peaks are not modeled."
  );
}

/** When the profile needs more than maxInstances, the rest would queue or fail: the estimate stops at the ceiling. */
export function capacityNotes(load: LoadConfig, service: ServiceConfig): string[] {
  const needed = busyInstanceSeconds(load, service) / SECONDS_PER_MONTH;
  return needed > service.maxInstances
    ? [
        `The load needs ${quantity(needed)} instances on average, more than maxInstances ${service.maxInstances}; ` +
          "requests beyond that would queue or fail, and the estimate stops at maxInstances.",
      ]
    : [];
}
