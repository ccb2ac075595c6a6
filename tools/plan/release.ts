/**
 * The plan's traffic section: the split before this change and after it, and the refusal of a stable release that
 * cannot exist. "Before" is the stack file as committed (git HEAD), since that is what the last `pulumi up` ran from;
 * without git, or for an uncommitted stack, the stack file on disk, so only --set and --unset change the split.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { Problem, ValidatedConfig } from "../../components/config/validate";
import { trafficSplit, type ReleaseName } from "../../components/workload/release";
import { parseStackFile, readStackConfig } from "./stack-file";

export interface SplitShare {
  readonly percent: number;
  readonly release: ReleaseName;
  /** The image as the config names it: runway:image.ref or release.stable, else the image this deploy builds. */
  readonly image: string;
  readonly tag?: string;
}

export interface TrafficChange {
  /** Where the previous split comes from: "Pulumi.dev.yaml at git HEAD", or the file on disk. */
  readonly previousFrom: string;
  /** The previous split, or why there is none (its config was not valid). */
  readonly previous: readonly SplitShare[] | string;
  readonly next: readonly SplitShare[];
  readonly changed: boolean;
}

export const BUILT_IMAGE = "the image this deploy builds";

export function splitShares(config: ValidatedConfig): SplitShare[] {
  const { service, image } = config.runway;
  return trafficSplit(service).map((share) => ({
    percent: share.percent,
    release: share.release,
    image: share.release === "stable" ? (service.release?.stable ?? "") : (image.ref ?? BUILT_IMAGE),
    ...(share.tag && { tag: share.tag }),
  }));
}

/** The stack file as committed, if git has it; undefined outside a repository or for a file never committed. */
export function committedStackConfig(projectDir: string, stack: string): Record<string, string> | undefined {
  const file = `Pulumi.${stack}.yaml`;
  try {
    const text = execFileSync("git", ["show", `HEAD:./${file}`], {
      cwd: projectDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return parseStackFile(text, path.join(projectDir, file));
  } catch {
    return undefined;
  }
}

/** The previous config's source and its raw values: git HEAD's stack file, else the one on disk. */
export function previousStackConfig(
  projectDir: string,
  stack: string,
): { from: string; config: Record<string, string> } {
  const committed = committedStackConfig(projectDir, stack);
  return committed
    ? { from: `Pulumi.${stack}.yaml at git HEAD`, config: committed }
    : { from: `Pulumi.${stack}.yaml on disk`, config: readStackConfig(projectDir, stack) };
}

export function trafficChange(
  previousFrom: string,
  previous: ValidatedConfig | undefined,
  next: ValidatedConfig,
): TrafficChange {
  const before = previous ? splitShares(previous) : "its config is not valid";
  const after = splitShares(next);
  return { previousFrom, previous: before, next: after, changed: JSON.stringify(before) !== JSON.stringify(after) };
}

/** What a Cloud Run revision is made of besides its image: a change here makes every revision name new. */
function revisionSettings(config: ValidatedConfig): unknown {
  const { release: _release, ...service } = config.runway.service;
  return { service, cloudrun: config.runway.cloudrun, physicalName: config.physicalName, project: config.gcp.project };
}

/**
 * On Cloud Run the stable release is the revision its image got with these settings (targets/cloudrun/spec.ts
 * cloudRunRelease). When the settings changed since the previous config, no earlier deploy made that revision, so
 * the split would name a revision that cannot exist and the update would fail: refused here, before `pulumi up`.
 */
export function impossibleStableProblems(previous: ValidatedConfig | undefined, next: ValidatedConfig): Problem[] {
  const stable = next.runway.service.release?.stable;
  if (!stable || !previous || next.decision.target !== "cloudrun") return [];
  const before = revisionSettings(previous) as Record<string, unknown>;
  const after = revisionSettings(next) as Record<string, unknown>;
  const changed = changedKeys(before, after);
  if (changed.length === 0) return [];
  return [
    {
      path: "runway:service.release.stable",
      message: `names the revision of ${stable} with this deploy's settings, which cannot exist: ${changed.join(", ")} changed since the previous config, and a Cloud Run revision keeps the settings it was deployed with; deploy the settings change first, then start the release`,
    },
  ];
}

/** The dotted keys whose values differ, one level into each section (service.memory, cloudrun.ingress). */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((key) => {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) return [];
    if (a && b && typeof a === "object" && typeof b === "object") {
      const inner = changedKeys(a as Record<string, unknown>, b as Record<string, unknown>);
      return inner.map((k) => `${key === "service" || key === "cloudrun" ? `runway:${key}` : key}.${k}`);
    }
    return [key === "physicalName" ? "runway:physicalName" : key === "project" ? "gcp:project" : key];
  });
}

function shareText(share: SplitShare): string {
  const tag = share.tag ? `, tag ${share.tag}` : "";
  return `${String(share.percent).padStart(3)}%  ${share.release}: ${share.image}${tag}`;
}

/** The traffic section of the plan text. */
export function trafficText(change: TrafficChange): string[] {
  const previous = typeof change.previous === "string" ? [`(${change.previous})`] : change.previous.map(shareText);
  if (!change.changed)
    return [`Traffic (unchanged from ${change.previousFrom}):`, ...change.next.map((s) => `  ${shareText(s)}`)];
  return [
    `Traffic (previous: ${change.previousFrom}):`,
    ...previous.map((line, i) => `  ${i === 0 ? "previous" : "        "}  ${line}`),
    ...change.next.map((s, i) => `  ${i === 0 ? "next    " : "        "}  ${shareText(s)}`),
  ];
}
