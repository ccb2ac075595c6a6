/**
 * What every target provides. The registry (index.ts) holds one of these per target, typed so that a new
 * value of `Target` does not compile until it has all of them.
 */
import type { ResolvedTarget, TargetSettings } from "../config/decide";
import type { Problem } from "../config/problem";
import type { CloudRunConfig, GkeConfig, ServiceConfig } from "../config/schema";
import type { ValidatedConfig } from "../config/validate";
import type { BuiltImage } from "../image/dockerfile";
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
  /**
   * The image runway builds, as its Dockerfile says: undefined for a prebuilt runway:image.ref, a Dockerfile
   * that is not there, and on the component path (components take a built image).
   */
  readonly image?: BuiltImage | undefined;
}

/** Provider inputs as the plan sees them: plain JSON, keyed as in the resource's args. */
export type Inputs = Readonly<Record<string, unknown>>;

/** The settings a plan reviewer wants to see of one resource, from its inputs. */
export type KeySettings = (inputs: Inputs) => string[];

/**
 * Key settings that read the inputs as `T`: for a Pulumi resource its args unwrapped
 * (`pulumi.Unwrap<gcp.container.ClusterArgs>`), for a custom resource the fields runway sets. The entry of the
 * resource type whose inputs `T` describes is the only place to use it.
 */
export function keySettingsOf<T>(read: (inputs: T) => string[]): KeySettings {
  return (inputs) => read(inputs as T);
}

export interface TargetModule<K extends ResolvedTarget> {
  /** The target's name for people, e.g. "Cloud Run". */
  readonly title: string;
  /** The target's documented limits, as problems with key paths. */
  problems(input: WorkloadInput): Problem[];
  /** The target's settings with every default resolved; called only on input that has no problems. */
  resolve(input: WorkloadInput): TargetSettings[K];
  /** The Google APIs a service on this target needs, with these settings. */
  apis(service: ServiceConfig, settings: TargetSettings[K]): readonly string[];
  /** What the service description means differently on this target, for the plan to say. */
  differences(service: ServiceConfig): string[];
  /** Monthly cost lines of what the target runs. */
  cost(config: ValidatedConfig, settings: TargetSettings[K], prices: RegionPrices): Contribution;
  /** The settings a plan reviewer wants to see, by the resource types the target creates. */
  readonly keySettings: Readonly<Record<string, KeySettings>>;
}
