/**
 * A release in both export flavours: the same split as the Cloud Run target (`latestRevision` for the candidate, the
 * stable image's revision by name), the candidate's revision named only when its digest is known, and both manifests
 * valid against the Knative Serving v1 Service model.
 */
import { Service } from "@kubernetes-models/knative/serving.knative.dev/v1/Service";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exportService } from "../../components/export";
import { validConfig } from "../helpers/config";

const V1 = `sha256:${"1".repeat(64)}`;
const V2_IMAGE = `us-central1-docker.pkg.dev/acme-dev/api/api@sha256:${"2".repeat(64)}`;
const config = validConfig({
  "gcp:project": "acme-dev",
  "gcp:region": "us-central1",
  "runway:target": "cloudrun",
  "runway:image": { ref: V2_IMAGE },
  "runway:service": {
    name: "api",
    release: { stable: V1, candidatePercent: 25, candidateTag: "canary", stableTag: "stable" },
  },
});

type Exported = {
  spec: {
    template: { metadata: { name?: string } };
    traffic: { percent: number; latestRevision?: boolean; revisionName?: string; tag?: string }[];
  };
};

describe("a release in the exports", () => {
  for (const flavour of ["cloudrun", "knative"] as const) {
    it(`${flavour}: the candidate is latestRevision with its share and tag, the stable revision is named`, () => {
      const manifest = exportService(flavour, { config, image: V2_IMAGE }).manifest as unknown as Exported;
      const [candidate, stable] = manifest.spec.traffic;
      assert.deepEqual(candidate, { percent: 25, latestRevision: true, tag: "canary" });
      assert.equal(stable?.percent, 75);
      assert.equal(stable?.tag, "stable");
      // The revision names carry the service's name (Knative's rule for named revisions) and a 12-digit hash.
      const base = flavour === "cloudrun" ? config.physicalName : "api";
      assert.match(stable?.revisionName ?? "", new RegExp(`^${base}-[0-9a-f]{12}$`));
      assert.match(manifest.spec.template.metadata.name ?? "", new RegExp(`^${base}-[0-9a-f]{12}$`));
      assert.notEqual(stable?.revisionName, manifest.spec.template.metadata.name);
      new Service(manifest).validate();
    });
  }

  it("leaves the candidate's revision unnamed while its digest is a placeholder, and keeps the stable one's name", () => {
    const known = exportService("knative", { config, image: V2_IMAGE }).manifest as unknown as Exported;
    const pending = exportService("knative", {
      config,
      image: "us-central1-docker.pkg.dev/acme-dev/api/api@sha256:IMAGE_DIGEST",
    }).manifest as unknown as Exported;
    assert.equal(pending.spec.template.metadata.name, undefined);
    assert.equal(pending.spec.traffic[1]?.revisionName, known.spec.traffic[1]?.revisionName);
  });
});
