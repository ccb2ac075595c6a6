/**
 * Artifact Registry storage for the images runway builds: the same idle and under load. Nothing when the stack
 * deploys a prebuilt image.
 */
import type { ImageConfig } from "../config/schema";
import type { RegionPrices } from "../facts/prices";
import { metered, price, quantity, type Contribution } from "../cost/line";

/**
 * GB one image version takes: the sample app's image budget ("≤ 200 MB uncompressed", app/README.md). Registries
 * store compressed layers and share unchanged ones between versions, so for that app it is an upper bound; an
 * image with CUDA and model weights is several GB.
 */
const ASSUMED_GB_PER_VERSION = 0.2;

/**
 * The cleanup policy keeps the keepRecent newest versions (artifact-image.ts), so at most that many are stored
 * beyond the 7-day retention of untagged ones; the first 0.5 GB is free (gcp-facts §4.4).
 */
export function artifactRegistryCost(image: ImageConfig, prices: RegionPrices): Contribution {
  if (image.ref !== undefined) {
    return {
      idle: [],
      notes: ["runway:image.ref is set: runway stores no image, and the image's storage is billed where it lives."],
    };
  }
  const ar = prices.artifactRegistry;
  const line = metered({
    item: `Artifact Registry storage (${image.keepRecent} image versions)`,
    from: `${image.keepRecent} × ${ASSUMED_GB_PER_VERSION} GB`,
    used: image.keepRecent * ASSUMED_GB_PER_VERSION,
    unit: "GB",
    rate: ar.storageGbMonth,
    free: { units: ar.freeGb.value, figure: ar.freeGb },
  });
  return {
    idle: [line],
    notes: [
      `Image storage assumes ${ASSUMED_GB_PER_VERSION} GB per version, the sample app's image budget; the ${quantity(ar.freeGb.value)} GB ` +
        "free storage is per billing account.",
      `Vulnerability scanning costs ${price(ar.scanPerImage)} per pushed image digest once the Container Scanning API is on: per push, not monthly.`,
    ],
  };
}
