import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as gcp from "@pulumi/gcp";
import { BOOT_DISKS_BY_SERIES, bootDiskTypesFor, defaultBootDiskType } from "../../../components/facts/disks";
import { MACHINE_TYPES } from "../../../components/facts/gpus";
import { gkeSchema, serviceSchema } from "../../../components/config/schema";
import { gpuPoolArgs, systemPoolArgs } from "../../../components/targets/gke/cluster-spec";
import { clusterProblems } from "../../../components/targets/gke/rules";
import { resolveGke } from "../../../components/targets/gke/sizing";
import { problemsOf, validConfig, type Raw } from "../../helpers/config";

/** An 8× B200 service on A4 in the one us-central1 zone that offers it (facts/gpus.ts GPU_ZONES). */
const B200 = { name: "train", cpu: "100", memory: "1000Gi", gpu: { type: "nvidia-b200", count: 8 }, maxInstances: 1 };
const L4 = { name: "infer", cpu: "3", memory: "11Gi", gpu: { type: "nvidia-l4", count: 1 }, maxInstances: 3 };

/** The builders return plain values; the provider's Input types do not say so. */
const diskTypeOf = (args: gcp.container.NodePoolArgs) =>
  (args.nodeConfig as gcp.types.input.container.NodePoolNodeConfig | undefined)?.diskType;

function stack(service: Raw, gke: Raw): Raw {
  return {
    "gcp:project": "acme-prod",
    "gcp:region": "us-central1",
    "runway:target": "gke",
    "runway:service": service,
    "runway:gke": gke,
  };
}

describe("boot disk facts", () => {
  it("Hyperdisk-only series boot from hyperdisk-balanced, the others default to pd-balanced", () => {
    assert.deepEqual(bootDiskTypesFor("g4-standard-48"), ["hyperdisk-balanced"]);
    assert.deepEqual(bootDiskTypesFor("a3-ultragpu-8g"), ["hyperdisk-balanced"]);
    assert.deepEqual(bootDiskTypesFor("a4-highgpu-8g"), ["hyperdisk-balanced"]);
    assert.deepEqual(bootDiskTypesFor("a3-megagpu-8g"), ["pd-balanced", "pd-ssd", "hyperdisk-balanced"]);
    assert.deepEqual(bootDiskTypesFor("a3-highgpu-8g"), ["pd-balanced", "pd-ssd", "hyperdisk-balanced"]);
    assert.deepEqual(bootDiskTypesFor("g2-standard-4"), ["pd-balanced", "pd-ssd"]);
    assert.deepEqual(bootDiskTypesFor("n1-standard-4"), ["pd-balanced", "pd-ssd", "pd-standard"]);
    assert.equal(defaultBootDiskType("g4-standard-96"), "hyperdisk-balanced");
    assert.equal(defaultBootDiskType("g2-standard-8"), "pd-balanced");
    assert.equal(bootDiskTypesFor("c4-standard-8"), undefined);
  });

  it("covers every machine type runway knows", () => {
    const missing = Object.keys(MACHINE_TYPES).filter((type) => bootDiskTypesFor(type) === undefined);
    assert.deepEqual(missing, []);
    assert.ok(Object.values(BOOT_DISKS_BY_SERIES).every((types) => types.length > 0));
  });
});

describe("GPU pool boot disk", () => {
  const resolve = (service: Raw, gke: Raw = {}) =>
    resolveGke(serviceSchema.parse(service), gkeSchema.parse(gke), "us-central1");

  it("a G4 pool boots from hyperdisk-balanced, a G2 pool from pd-balanced", () => {
    const g4 = resolve(
      { name: "render", cpu: "40", memory: "150Gi", gpu: { type: "nvidia-rtx-pro-6000", count: 1 } },
      { location: "us-central1-b", gpuPool: { machineType: "g4-standard-48" } },
    );
    const g4Pool = gpuPoolArgs("p", g4, { type: "nvidia-rtx-pro-6000", count: 1 }, "c", "sa", undefined);
    assert.equal(diskTypeOf(g4Pool), "hyperdisk-balanced");
    const g2 = resolve(L4);
    assert.equal(diskTypeOf(gpuPoolArgs("p", g2, L4.gpu, "c", "sa", undefined)), "pd-balanced");
  });

  it("an explicit diskType is passed through", () => {
    const g2 = resolve(L4, { gpuPool: { diskType: "pd-ssd" } });
    assert.equal(diskTypeOf(gpuPoolArgs("p", g2, L4.gpu, "c", "sa", undefined)), "pd-ssd");
  });

  it("the system pool states pd-balanced", () => {
    const settings = resolve(L4);
    assert.equal(diskTypeOf(systemPoolArgs("p", settings, "c", "sa", undefined)), "pd-balanced");
  });

  it("resolves the default into the decision", () => {
    const config = validConfig(stack(B200, { location: "us-central1-b" }));
    assert.equal(config.decision.target, "gke");
    if (config.decision.target !== "gke") return;
    assert.equal(config.decision.settings.gpuPool.diskType, "hyperdisk-balanced");
    assert.equal(config.decision.settings.gpuMachineType, "a4-highgpu-8g");
  });
});

describe("GPU pool boot disk rules", () => {
  it("refuses Persistent Disk on A4 and names the valid type", () => {
    assert.deepEqual(problemsOf(stack(B200, { location: "us-central1-b", gpuPool: { diskType: "pd-balanced" } })), [
      "runway:gke.gpuPool.diskType: a4-highgpu-8g cannot boot from pd-balanced: its series boots only from hyperdisk-balanced; set one of those, or leave runway:gke.gpuPool.diskType out for hyperdisk-balanced",
    ]);
  });

  it("refuses pd-standard on G2 and lists what G2 boots from", () => {
    assert.deepEqual(problemsOf(stack(L4, { gpuPool: { diskType: "pd-standard" } })), [
      "runway:gke.gpuPool.diskType: g2-standard-4 cannot boot from pd-standard: its series boots only from pd-balanced or pd-ssd; set one of those, or leave runway:gke.gpuPool.diskType out for pd-balanced",
    ]);
  });

  it("accepts a type the series boots from", () => {
    assert.deepEqual(problemsOf(stack(L4, { gpuPool: { diskType: "pd-ssd" } })), []);
    assert.deepEqual(
      problemsOf(stack(B200, { location: "us-central1-b", gpuPool: { diskType: "hyperdisk-balanced" } })),
      [],
    );
  });

  it("refuses a diskType without a GPU, and a type GKE does not boot from", () => {
    assert.deepEqual(problemsOf(stack({ name: "web" }, { gpuPool: { diskType: "pd-ssd" } })), [
      "runway:gke.gpuPool.diskType: is set but runway:service.gpu is not; a GPU pool needs a GPU",
    ]);
    assert.deepEqual(problemsOf(stack(L4, { gpuPool: { diskType: "hyperdisk-ml" } })), [
      'runway:gke.gpuPool.diskType: must be one of "pd-balanced", "pd-ssd", "pd-standard", "hyperdisk-balanced", "hyperdisk-extreme", "hyperdisk-throughput"',
    ]);
  });

  it("GpuCluster's own check refuses a resolved Persistent Disk on A4", () => {
    const settings = resolveGke(
      serviceSchema.parse(B200),
      gkeSchema.parse({ location: "us-central1-b", gpuPool: { diskType: "pd-ssd" } }),
      "us-central1",
    );
    assert.deepEqual(
      clusterProblems(settings, B200.gpu, "us-central1").map((p) => p.path),
      ["runway:gke.gpuPool.diskType"],
    );
  });
});
