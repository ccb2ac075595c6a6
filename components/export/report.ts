/**
 * What an export says besides the manifest: each field of the stack that the flavour cannot carry (never dropped
 * in silence), what the user must create first, and the cluster settings the manifest needs.
 */
import type { ValidatedConfig } from "../config/validate";

export type ExportFlavour = "knative" | "cloudrun";

export interface ExportResult {
  readonly flavour: ExportFlavour;
  /** The Knative Serving v1 Service, as plain data (YAML or JSON is the caller's choice). */
  readonly manifest: Record<string, unknown>;
  /** `key: why` for every setting of the stack the manifest does not carry, or carries only approximately. */
  readonly unsupported: readonly string[];
  /** Objects the manifest refers to that it does not create (accounts, secrets), for the user to make first. */
  readonly prerequisites: readonly string[];
  /** knative: the `config-features` flags (knative-serving namespace) the manifest needs enabled. */
  readonly features: readonly string[];
}

export interface ExportInput {
  readonly config: ValidatedConfig;
  /** The image to run: runway:image.ref, or a placeholder for the image `pulumi up` builds. */
  readonly image: string;
}

/** `runway:gke.*` keys the stack sets: cluster and KEDA settings a Knative Service has no field for. */
export function gkeKeys(config: ValidatedConfig): string[] {
  const gke = config.runway.gke;
  return gke ? Object.keys(gke).sort() : [];
}

/** What every flavour leaves out because a Service manifest has no field for it: the plan's load profile, and events (resources beside the Service). */
export function stackOnlyLines(config: ValidatedConfig): string[] {
  return [
    ...(config.runway.load ? ["runway:load: a traffic profile for the cost estimate, not part of the service"] : []),
    // Subscriptions, topics and notifications are resources beside the Service, not fields of it.
    ...config.runway.service.events.map(
      (event, i) =>
        `runway:service.events[${i}]: the ${event.source === "pubsub" ? `topic ${event.topic}` : `bucket ${event.bucket}`} event is not in the export; create its subscription (push to ${event.path}) beside the Service`,
    ),
  ];
}
