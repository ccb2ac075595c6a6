/**
 * The region and zone list against its sources, written out by hand: Cyclenerd tools/regions.csv @ 4707d14
 * (`gcloud compute regions list`, 2026-01-09) and the zone table of docs.cloud.google.com/compute/docs/regions-zones
 * (undated copy, read 2026-12-01).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CLOUD_RUN_GPU, GPU_ZONES } from "../../components/facts/gpus";
import {
  isRegion,
  isZone,
  locationProblem,
  REGIONS,
  REGIONS_SOURCE,
  regionProblem,
  ZONES,
  ZONES_SOURCE,
  zonesOf,
} from "../../components/facts/regions";

describe("regions", () => {
  it("lists the 43 regions of regions.csv", () => {
    assert.deepEqual(REGIONS, [
      "africa-south1",
      "asia-east1",
      "asia-east2",
      "asia-northeast1",
      "asia-northeast2",
      "asia-northeast3",
      "asia-south1",
      "asia-south2",
      "asia-southeast1",
      "asia-southeast2",
      "asia-southeast3",
      "australia-southeast1",
      "australia-southeast2",
      "europe-central2",
      "europe-north1",
      "europe-north2",
      "europe-southwest1",
      "europe-west1",
      "europe-west10",
      "europe-west12",
      "europe-west2",
      "europe-west3",
      "europe-west4",
      "europe-west6",
      "europe-west8",
      "europe-west9",
      "me-central1",
      "me-central2",
      "me-west1",
      "northamerica-northeast1",
      "northamerica-northeast2",
      "northamerica-south1",
      "southamerica-east1",
      "southamerica-west1",
      "us-central1",
      "us-east1",
      "us-east4",
      "us-east5",
      "us-south1",
      "us-west1",
      "us-west2",
      "us-west3",
      "us-west4",
    ]);
  });

  it("has the zones of Google's table, including the ones that skip a letter", () => {
    assert.deepEqual(zonesOf("us-central1"), ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]);
    assert.deepEqual(zonesOf("us-east1"), ["us-east1-b", "us-east1-c", "us-east1-d"]);
    assert.deepEqual(zonesOf("europe-west1"), ["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
    assert.deepEqual(zonesOf("europe-west4"), ["europe-west4-a", "europe-west4-b", "europe-west4-c"]);
    assert.deepEqual(zonesOf("us-central2"), []);
    // 40 regions with a/b/c + us-central1's a/b/c/f + europe-west1's and us-east1's b/c/d = 120 + 4 + 6 = 130.
    assert.equal(ZONES.length, 40 * 3 + 4 + 2 * 3);
  });

  it("knows only real names, and no inherited keys", () => {
    assert.equal(isRegion("us-central1"), true);
    for (const name of ["us-centrl1", "us-central2", "antarctica-south1", "toString", "us-central1-a"]) {
      assert.equal(isRegion(name), false, name);
    }
    assert.equal(isZone("us-central1-f"), true);
    assert.equal(isZone("us-central1-d"), false);
    assert.equal(isZone("europe-west1-a"), false);
  });

  it("is dated and sourced", () => {
    assert.equal(REGIONS_SOURCE.asOf, "2026-01-09");
    assert.match(REGIONS_SOURCE.source, /^https:\/\/github\.com\/Cyclenerd\/.* tools\/regions\.csv @ 4707d14/);
    assert.equal(ZONES_SOURCE.asOf, "undated, read 2026-12-01");
    assert.match(ZONES_SOURCE.source, /^https:\/\/docs\.cloud\.google\.com\/compute\/docs\/regions-zones/);
  });
});

describe("the GPU tables agree with the region list", () => {
  it("every GKE GPU zone is a zone of the region it is filed under", () => {
    for (const [region, byGpu] of Object.entries(GPU_ZONES)) {
      assert.ok(isRegion(region), region);
      for (const [gpu, zones] of Object.entries(byGpu)) {
        for (const zone of zones ?? []) {
          assert.ok(zonesOf(region).includes(zone), `${gpu}: ${zone} is not a zone of ${region}`);
        }
      }
    }
  });

  it("every Cloud Run GPU region is a region", () => {
    for (const [gpu, info] of Object.entries(CLOUD_RUN_GPU)) {
      for (const region of [...info.regions, ...info.invitationOnlyRegions])
        assert.ok(isRegion(region), `${gpu}: ${region}`);
    }
  });
});

describe("region and zone messages", () => {
  it("suggests the region a typo or a wrong digit is closest to", () => {
    assert.equal(
      regionProblem("us-centrl1"),
      "us-centrl1 is not a Google Cloud region (list as of 2026-01-09); did you mean us-central1?",
    );
    assert.equal(
      regionProblem("us-central2"),
      "us-central2 is not a Google Cloud region (list as of 2026-01-09); did you mean us-central1?",
    );
  });

  it("offers every equally close region", () => {
    assert.equal(
      regionProblem("europe-west5"),
      "europe-west5 is not a Google Cloud region (list as of 2026-01-09); did you mean europe-west1, europe-west2, " +
        "europe-west3, europe-west4, europe-west6, europe-west8 or europe-west9?",
    );
  });

  it("lists the regions of the area for a far miss, and all of them for an unknown area", () => {
    assert.equal(
      regionProblem("us-north7"),
      "us-north7 is not a Google Cloud region (list as of 2026-01-09); the us- regions are us-central1, us-east1, " +
        "us-east4, us-east5, us-south1, us-west1, us-west2, us-west3, us-west4",
    );
    // antarctica-south1 is 5 edits from africa-south1: a different place, not a typo.
    const message = regionProblem("antarctica-south1") ?? "";
    assert.match(
      message,
      /^antarctica-south1 is not a Google Cloud region \(list as of 2026-01-09\); the regions are /,
    );
    assert.ok(message.endsWith("us-west3, us-west4"));
    assert.equal(message.split(", ").length, 43);
  });

  it("leaves real regions and wrongly shaped names alone (the schema's pattern reports the shape)", () => {
    assert.equal(regionProblem("europe-west4"), undefined);
    assert.equal(regionProblem("central"), undefined);
  });

  it("judges a zone by its region, then by the region's zones", () => {
    assert.equal(locationProblem("us-central1-a"), undefined);
    assert.equal(locationProblem("us-central1"), undefined);
    assert.equal(
      locationProblem("us-central1-e"),
      "us-central1-e is not a zone of us-central1 (zone list: undated, read 2026-12-01); its zones are " +
        "us-central1-a, us-central1-b, us-central1-c, us-central1-f",
    );
    assert.equal(
      locationProblem("us-centrl1-a"),
      "us-centrl1-a is not a Google Cloud zone: us-centrl1 is not a region (list as of 2026-01-09); did you mean us-central1?",
    );
    assert.equal(
      locationProblem("us-central2"),
      "us-central2 is not a Google Cloud region (list as of 2026-01-09); did you mean us-central1?",
    );
  });
});
