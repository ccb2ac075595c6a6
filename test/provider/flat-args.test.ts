/**
 * The package's flat service fields (provider/service-fields.ts) against runway:service's zod schema, so the two
 * cannot drift: every flat field sets a schema key, every schema key is reachable (or listed as deliberately not
 * exposed), and what the conversion makes parses with the schema, keeping each value where the flat field put it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceFields, serviceSchema } from "../../components/config/schema";
import { SERVICE_FIELD_KEYS, flatPath, toServiceInput, type ServiceFields } from "../../provider/service-fields";
import schema from "../../provider/schema.json";

/** Keys of runway:service the package deliberately does not expose. */
// Sidecars, events and volumes are lists or maps of nested objects (sidecars with their own env and secret maps); the
// wrappers do not expose them yet, so a Python or Go program gets a service without them (the schema's defaults).
const NOT_EXPOSED: readonly string[] = ["sidecars", "events", "volumes"];

/** One valid value for every flat field, each different from the schema's default. */
const EVERY_FIELD: Required<ServiceFields> = {
  name: "infer",
  port: 9000,
  cpu: "4",
  memory: "16Gi",
  gpuType: "nvidia-l4",
  gpuCount: 1,
  minInstances: 1,
  maxInstances: 3,
  concurrency: 4,
  timeoutSeconds: 600,
  public: true,
  healthPath: "/livez",
  readyPath: "/readyz",
  drainSeconds: 20,
  env: { MODEL: "llama" },
  secrets: { API_KEY: "api-key:2" },
  labels: { team: "ml" },
  releaseStable: `sha256:${"a".repeat(64)}`,
  releaseCandidatePercent: 10,
  releaseCandidateTag: "canary",
  releaseStableTag: "stable",
};

interface SchemaResource {
  readonly inputProperties: Readonly<Record<string, unknown>>;
}
const resources = (schema as unknown as { resources: Record<string, SchemaResource> }).resources;

describe("the package's flat service fields", () => {
  it("each sets a key of runway:service, and every key is set by one or listed as not exposed", () => {
    const schemaKeys = Object.keys(serviceFields.shape).sort();
    const mapped: string[] = [...new Set(Object.values(SERVICE_FIELD_KEYS))];
    assert.deepEqual(
      mapped.filter((key) => !schemaKeys.includes(key)),
      [],
      "flat fields mapped to no schema key",
    );
    assert.deepEqual(
      schemaKeys.filter((key) => !mapped.includes(key) && !NOT_EXPOSED.includes(key)),
      [],
      "schema keys without a flat field: add one to provider/service-fields.ts or to NOT_EXPOSED",
    );
    assert.deepEqual(
      NOT_EXPOSED.filter((key) => mapped.includes(key)),
      [],
    );
  });

  it("are the service inputs of every component that takes a service, in the inferred schema", () => {
    const flat = Object.keys(SERVICE_FIELD_KEYS).sort();
    for (const token of ["runway:index:Service", "runway:index:KubernetesWorkload"]) {
      const inputs = Object.keys(resources[token]?.inputProperties ?? {});
      assert.deepEqual(
        flat.filter((key) => !inputs.includes(key)),
        [],
        `${token} lacks flat service fields`,
      );
    }
  });

  it("convert to a service the zod schema accepts, each value where its field put it", () => {
    const parsed = serviceSchema.safeParse(toServiceInput(EVERY_FIELD));
    assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
    const {
      gpuType,
      gpuCount,
      releaseStable,
      releaseCandidatePercent,
      releaseCandidateTag,
      releaseStableTag,
      ...rest
    } = EVERY_FIELD;
    assert.deepEqual(parsed.data, {
      ...rest,
      gpu: { type: gpuType, count: gpuCount },
      release: {
        stable: releaseStable,
        candidatePercent: releaseCandidatePercent,
        candidateTag: releaseCandidateTag,
        stableTag: releaseStableTag,
      },
      sidecars: [],
      events: [],
      volumes: {},
    });
  });

  it("left out keep the schema's defaults", () => {
    const parsed = serviceSchema.safeParse(toServiceInput({ name: "api" }));
    assert.ok(parsed.success);
    assert.deepEqual(parsed.data, serviceSchema.parse({ name: "api" }));
    assert.equal(parsed.data.gpu, undefined);
  });

  it("left out, all of the release's, make no release: every request goes to the candidate", () => {
    const { releaseStable, releaseCandidatePercent, releaseCandidateTag, releaseStableTag, ...rest } = EVERY_FIELD;
    const service = toServiceInput(rest);
    assert.equal("release" in service, false);
    const parsed = serviceSchema.safeParse(service);
    assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
    assert.equal("release" in parsed.data, false);
  });

  it("given in part, make a release of those parts only, the schema defaulting the rest", () => {
    const service = toServiceInput({ name: "api", releaseCandidateTag: "canary" });
    assert.deepEqual(service.release, { candidateTag: "canary" });
    assert.deepEqual(serviceSchema.parse(service).release, { candidatePercent: 100, candidateTag: "canary" });
  });

  it("ignore the arguments that are not service fields", () => {
    const args = { name: "api", project: "acme", region: "us-central1", image: "x", target: "gke" };
    assert.deepEqual(toServiceInput(args), { name: "api" });
  });

  it("name a problem by the flat field: the GPU's and the release's parts, service keys, other sections", () => {
    assert.equal(flatPath("runway:service.gpu.type"), "gpuType");
    assert.equal(flatPath("runway:service.gpu.count"), "gpuCount");
    assert.equal(flatPath("runway:service.release.stable"), "releaseStable");
    assert.equal(flatPath("runway:service.release.candidatePercent"), "releaseCandidatePercent");
    assert.equal(flatPath("runway:service.release.candidateTag"), "releaseCandidateTag");
    assert.equal(flatPath("runway:service.release.stableTag"), "releaseStableTag");
    assert.equal(flatPath("runway:service.memory"), "memory");
    assert.equal(flatPath("runway:gke.location", { "gke.location": "location" }), "location");
  });
});
