/**
 * Google Cloud regions and their zones, so that a misspelt or made-up region (`us-centrl1`, `us-central2`) is refused
 * before anything is deployed, with the names that would work. Pure data and pure helpers.
 *
 * A region launched after these lists is refused too: the messages say how old the list is, and this file is the
 * one to update (`gcloud compute regions list`, `gcloud compute zones list`).
 * AI zones (`us-west4-ai2b`, https://docs.cloud.google.com/compute/docs/regions-zones/ai-zones) are left out: the
 * zone table below does not list them, and runway's location pattern does not accept their names.
 */
import { distance } from "fastest-levenshtein";

interface Source {
  readonly asOf: string;
  readonly source: string;
}

/** The region names: `gcloud compute regions list` as Cyclenerd's CI recorded it (43 regions, all status UP). */
export const REGIONS_SOURCE: Source = {
  asOf: "2026-01-09",
  source:
    "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator tools/regions.csv @ 4707d14 " +
    "(gcloud compute regions list, committed 2026-01-09; 3rd-party)",
};

/**
 * The zones of each region: the zone table of Google's "Regions and zones" page. The copy read carries no date; it
 * lists A4X Max and N4A machines, so it is from late 2025 or later. Its 43 regions are exactly REGIONS_SOURCE's.
 */
export const ZONES_SOURCE: Source = {
  asOf: "undated, read 2026-12-01",
  source:
    "https://docs.cloud.google.com/compute/docs/regions-zones#available (markdown copy of the page, undated; " +
    "read 2026-12-01)",
};

/** Zone letters by region: "europe-west1": "bcd" means europe-west1-b, -c and -d. */
const ZONE_LETTERS: Readonly<Record<string, string>> = {
  "africa-south1": "abc",
  "asia-east1": "abc",
  "asia-east2": "abc",
  "asia-northeast1": "abc",
  "asia-northeast2": "abc",
  "asia-northeast3": "abc",
  "asia-south1": "abc",
  "asia-south2": "abc",
  "asia-southeast1": "abc",
  "asia-southeast2": "abc",
  "asia-southeast3": "abc",
  "australia-southeast1": "abc",
  "australia-southeast2": "abc",
  "europe-central2": "abc",
  "europe-north1": "abc",
  "europe-north2": "abc",
  "europe-southwest1": "abc",
  "europe-west1": "bcd",
  "europe-west2": "abc",
  "europe-west3": "abc",
  "europe-west4": "abc",
  "europe-west6": "abc",
  "europe-west8": "abc",
  "europe-west9": "abc",
  "europe-west10": "abc",
  "europe-west12": "abc",
  "me-central1": "abc",
  "me-central2": "abc",
  "me-west1": "abc",
  "northamerica-northeast1": "abc",
  "northamerica-northeast2": "abc",
  "northamerica-south1": "abc",
  "southamerica-east1": "abc",
  "southamerica-west1": "abc",
  "us-central1": "abcf",
  "us-east1": "bcd",
  "us-east4": "abc",
  "us-east5": "abc",
  "us-south1": "abc",
  "us-west1": "abc",
  "us-west2": "abc",
  "us-west3": "abc",
  "us-west4": "abc",
};

/** Every region, in alphabetical order. */
export const REGIONS: readonly string[] = Object.keys(ZONE_LETTERS).sort();

/** Every zone of every region. */
export const ZONES: readonly string[] = REGIONS.flatMap((region) => zonesOf(region));

export function isRegion(name: string): boolean {
  return Object.hasOwn(ZONE_LETTERS, name);
}

/** The zones of `region`, e.g. ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]; [] if unknown. */
export function zonesOf(region: string): string[] {
  if (!isRegion(region)) return [];
  return [...(ZONE_LETTERS[region] ?? "")].map((letter) => `${region}-${letter}`);
}

export function isZone(name: string): boolean {
  return ZONES.includes(name);
}

/**
 * The names nearest to `name` (all of them when several tie), if within two edits: a typo or a wrong digit
 * (us-centrl1, us-central2). Further than that the nearest name is a different place, not a suggestion.
 */
function nearNames(name: string, names: readonly string[]): string[] {
  const scored = names.map((candidate) => ({ candidate, edits: distance(name, candidate) }));
  const best = Math.min(...scored.map((s) => s.edits));
  return best > 2 ? [] : scored.filter((s) => s.edits === best).map((s) => s.candidate);
}

/** "a", "a or b", "a, b or c". */
function orList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

function regionHint(name: string): string {
  const near = nearNames(name, REGIONS);
  if (near.length > 0) return `did you mean ${orList(near)}?`;
  const area = name.split("-")[0];
  const sameArea = REGIONS.filter((region) => region.split("-")[0] === area);
  return sameArea.length > 0
    ? `the ${area}- regions are ${sameArea.join(", ")}`
    : `the regions are ${REGIONS.join(", ")}`;
}

/**
 * Why `name` is not a region, or undefined when it is one. Names that are not even region-shaped are left to the
 * schema's pattern, which says what shape it wants.
 */
export function regionProblem(name: string): string | undefined {
  if (isRegion(name) || !/^[a-z]+-[a-z]+\d+$/.test(name)) return undefined;
  return `${name} is not a Google Cloud region (list as of ${REGIONS_SOURCE.asOf}); ${regionHint(name)}`;
}

/**
 * Why `name` is neither a region nor a zone, or undefined when it is one (or not shaped like either, which the
 * schema's pattern reports). A zone of an unknown region is judged by its region part.
 */
export function locationProblem(name: string): string | undefined {
  const zone = /^([a-z]+-[a-z]+\d+)-([a-z])$/.exec(name);
  if (!zone) return regionProblem(name);
  const region = zone[1] ?? "";
  if (!isRegion(region)) {
    return `${name} is not a Google Cloud zone: ${region} is not a region (list as of ${REGIONS_SOURCE.asOf}); ${regionHint(region)}`;
  }
  if (isZone(name)) return undefined;
  return (
    `${name} is not a zone of ${region} (zone list: ${ZONES_SOURCE.asOf}); ` +
    `its zones are ${zonesOf(region).join(", ")}`
  );
}
