/**
 * Releases on every target: the image this deploy runs is the candidate, `service.release.stable` an earlier image
 * that keeps the rest of the traffic. Both run with the service's current settings, so "stable" means the same
 * thing on Cloud Run (a revision of that image) and on GKE (a second Deployment of it). Target folders map the split
 * onto their own objects; this file holds what they share: the split, the stable image and the rules.
 */
import { createHash } from "node:crypto";
import stableStringify from "fast-json-stable-stringify";
import type { Problem } from "../config/problem";
import type { ServiceConfig } from "../config/schema";

/** Which release a share of the traffic goes to. */
export type ReleaseName = "candidate" | "stable";

export interface TrafficShare {
  readonly release: ReleaseName;
  readonly percent: number;
  readonly tag?: string;
}

/**
 * The split as the service describes it: the candidate first, then the stable image when there is one. Without a
 * release block all traffic goes to the candidate, as before releases existed.
 */
export function trafficSplit(service: ServiceConfig): TrafficShare[] {
  const release = service.release;
  const percent = release?.candidatePercent ?? 100;
  const candidate: TrafficShare = {
    release: "candidate",
    percent,
    ...(release?.candidateTag && { tag: release.candidateTag }),
  };
  if (!release?.stable) return [candidate];
  return [
    candidate,
    { release: "stable", percent: 100 - percent, ...(release.stableTag && { tag: release.stableTag }) },
  ];
}

/**
 * Each tag's own address, as stack outputs show it. Cloud Run gives a tag a URL of its own; GKE answers it on the
 * service's load balancer for requests whose Host header is `host`.
 */
export type ReleaseTags = Record<string, { readonly url: string; readonly host?: string }>;

/** The candidate's share when it is neither all nor nothing: a split by percentage, which only Cloud Run routes. */
export function partialSplit(service: ServiceConfig): number | undefined {
  const percent = service.release?.stable ? service.release.candidatePercent : 100;
  return percent > 0 && percent < 100 ? percent : undefined;
}

/** True when the stable image runs beside the candidate (it has a share or a tag). */
export function hasStable(service: ServiceConfig): boolean {
  return service.release?.stable !== undefined;
}

/** The repository part of a pinned image reference: `NAME@sha256:…` → `NAME`. */
export function imageName(image: string): string {
  const at = image.indexOf("@");
  return at < 0 ? image : image.slice(0, at);
}

/**
 * The stable image as a whole reference: a bare digest names an earlier image of the candidate's repository, so it
 * takes the candidate's name (`NAME@sha256:…`); a whole reference stays as written.
 */
export function stableImage(stable: string, candidateImage: string): string {
  return stable.startsWith("sha256:") ? `${imageName(candidateImage)}@${stable}` : stable;
}

/** A short hash of a JSON value: the same content always gives the same hash, whatever its key order. */
export function contentHash(value: unknown, length: number): string {
  return createHash("sha256").update(stableStringify(value)).digest("hex").slice(0, length);
}

/** Hex digits of the template hash in a revision name (see targets/cloudrun/spec.ts for why the name fits). */
const REVISION_HASH_LENGTH = 12;

/** A revision's name from its template's content: a changed template always gets a new name. */
export function revisionNameOf(base: string, template: unknown): string {
  return `${base}-${contentHash(template, REVISION_HASH_LENGTH)}`;
}

/**
 * The revision names of both releases: the candidate's from its template, the stable's from the same template with
 * the stable image, which is the name it got when it was deployed with these settings.
 */
export function releaseRevisions<T>(
  service: ServiceConfig,
  base: string,
  template: T,
  image: string,
  withImage: (template: T, image: string) => T,
): { readonly candidate: string; readonly stable?: string } {
  const candidate = revisionNameOf(base, template);
  const stable = service.release?.stable;
  return stable
    ? { candidate, stable: revisionNameOf(base, withImage(template, stableImage(stable, image))) }
    : { candidate };
}

/**
 * True for an image whose digest is known. An export of an image not built yet has a placeholder digest: its
 * revision name would hash the placeholder, and the real image under that name would collide with the next one, so
 * the export leaves such a revision unnamed (the stable one's name does not depend on the candidate's digest).
 */
export function isPinned(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

/** The split as Knative Serving's `spec.traffic` (Cloud Run's v1 YAML has the same shape). */
export function knativeTraffic(service: ServiceConfig, stableRevision: string | undefined): Record<string, unknown>[] {
  return trafficSplit(service).map((share) => ({
    percent: share.percent,
    ...(share.release === "candidate" ? { latestRevision: true } : { revisionName: stableRevision }),
    ...(share.tag && { tag: share.tag }),
  }));
}

/** Split rules that hold on every target. */
export function releaseProblems(service: ServiceConfig): Problem[] {
  const release = service.release;
  if (!release) return [];
  const at = "runway:service.release";
  const problems: Problem[] = [];
  if (!release.stable && release.candidatePercent < 100) {
    problems.push({
      path: `${at}.stable`,
      message: `is required when candidatePercent is ${release.candidatePercent}: the image that serves the other ${100 - release.candidatePercent}%`,
    });
  }
  if (!release.stable && release.stableTag) {
    problems.push({ path: `${at}.stableTag`, message: "needs stable: the tag names the stable image's URL" });
  }
  if (release.candidateTag && release.candidateTag === release.stableTag) {
    problems.push({
      path: `${at}.stableTag`,
      message: `${release.stableTag} is also candidateTag; each tag names one release's URL`,
    });
  }
  return problems;
}

/**
 * A stable image that is the candidate itself cannot be a release of its own: on Cloud Run its revision is the one
 * this deploy creates, and a split that names the template's own revision cycles
 * (hashicorp/terraform-provider-google#10815). Only a prebuilt candidate (runway:image.ref) is known before the build.
 */
export function stableIsCandidateProblems(service: ServiceConfig, candidateRef: string | undefined): Problem[] {
  const stable = service.release?.stable;
  if (!stable || !candidateRef) return [];
  if (stableImage(stable, candidateRef) !== candidateRef) return [];
  return [
    {
      path: "runway:service.release.stable",
      message: `is runway:image.ref, the image this deploy runs; stable names an earlier image (remove release to send it everything)`,
    },
  ];
}
