/** Release walk-throughs: a stack's config with a prebuilt image and a release block, as `npm run plan` applies it. */
import type { Override } from "../../tools/plan/cli";
import { applyOverride, applyUnset } from "../../tools/plan/overrides";
import { stackConfig, stackNames } from "./stack";

export const V1 = `sha256:${"a".repeat(64)}`;
export const V2 = `sha256:${"b".repeat(64)}`;

/** The repository the stack's images go to, so a digest alone names an image of it. */
export function stackRepository(stack: string): string {
  const names = stackNames(stack);
  return `${names.region}-docker.pkg.dev/${names.gcpProject}/${names.physical}/${names.physical}`;
}

/** A step of a walk-through: the stack running the prebuilt image `digest` (real revision names), with a release. */
export function releaseStep(stack: string, digest: string, release?: Record<string, unknown>): Override[] {
  return [
    { unset: "runway:image" },
    { set: `runway:image={"ref":"${stackRepository(stack)}@${digest}"}` },
    ...(release ? [{ set: `runway:service.release=${JSON.stringify(release)}` }] : []),
  ];
}

/** The stack file's config with the overrides applied in order, as planStack applies them. */
export function withOverrides(stack: string, overrides: readonly Override[]): Record<string, string> {
  return overrides.reduce<Record<string, string>>((config, change) => {
    if (typeof change === "string") return applyOverride(config, change);
    return "set" in change ? applyOverride(config, change.set) : applyUnset(config, change.unset);
  }, stackConfig(stack));
}
