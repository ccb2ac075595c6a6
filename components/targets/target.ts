/**
 * What every target provides. The registry (index.ts) holds one of these per target, typed so that a new
 * value of `Target` does not compile until it has all of them.
 */
import type { ResolvedTarget, TargetSettings } from "../config/decide";
import type { Problem } from "../config/problem";
import type { CloudRunConfig, GkeConfig, ServiceConfig } from "../config/schema";
import type { ValidatedConfig } from "../config/validate";
import type { Contribution } from "../cost/line";
import type { RegionPrices } from "../facts/prices";

/** The parts of a stack's config that decide where and how a service runs. */
export interface WorkloadInput {
  readonly service: ServiceConfig;
  /** runway:cloudrun with its defaults (its own defaults when the section is invalid). */
  readonly cloudrun: CloudRunConfig;
  /** runway:gke as written, undefined when absent or invalid. */
  readonly gke: GkeConfig | undefined;
  readonly region: string;
  readonly protect: boolean;
  /** Target sections that failed the schema (reported there); their rules wait until they parse. */
  readonly invalidSections: readonly ("cloudrun" | "gke")[];
}

/** Provider inputs as the plan sees them: untyped JSON. */
export type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- provider inputs are untyped JSON

export interface TargetModule<K extends ResolvedTarget> {
  /** The target's name for people, e.g. "Cloud Run". */
  readonly title: string;
  /** The target's documented limits, as problems with key paths. */
  problems(input: WorkloadInput): Problem[];
  /** The target's settings with every default resolved; called only on input that has no problems. */
  resolve(input: WorkloadInput): TargetSettings[K];
  /** The Google APIs a service on this target needs. */
  apis(service: ServiceConfig): readonly string[];
  /** What the service description means differently on this target, for the plan to say. */
  differences(service: ServiceConfig): string[];
  /** Monthly cost lines of what the target runs. */
  cost(config: ValidatedConfig, settings: TargetSettings[K], prices: RegionPrices): Contribution;
  /** The settings a plan reviewer wants to see, by the resource types the target creates. */
  readonly keySettings: Readonly<Record<string, (inputs: Inputs) => string[]>>;
}
