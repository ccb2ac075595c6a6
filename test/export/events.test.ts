/** Events in both export flavours: a Service manifest has no field for a subscription, so each event is reported. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exportService } from "../../components/export";
import { validConfig } from "../helpers/config";

const IMAGE = `us-central1-docker.pkg.dev/acme-dev/api/api@sha256:${"2".repeat(64)}`;
const config = validConfig({
  "gcp:project": "acme-dev",
  "gcp:region": "us-central1",
  "runway:target": "cloudrun",
  "runway:image": { ref: IMAGE },
  "runway:service": {
    name: "api",
    events: [
      { source: "pubsub", topic: "orders", path: "/orders" },
      { source: "storage", bucket: "acme-uploads" },
    ],
  },
});

describe("events in the exports", () => {
  for (const flavour of ["cloudrun", "knative"] as const) {
    it(`${flavour}: each event is reported, never dropped in silence`, () => {
      const { unsupported } = exportService(flavour, { config, image: IMAGE });
      assert.deepEqual(
        unsupported.filter((line) => line.startsWith("runway:service.events")),
        [
          "runway:service.events[0]: the topic orders event is not in the export; create its subscription (push to /orders) beside the Service",
          "runway:service.events[1]: the bucket acme-uploads event is not in the export; create its subscription (push to /events) beside the Service",
        ],
      );
    });
  }
});
