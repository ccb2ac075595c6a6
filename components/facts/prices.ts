/**
 * List prices (USD) for the resources runway creates, per region, each figure with its date and source.
 * Only figures found in a source are here; a missing region or machine type means "not known", never "free".
 * Prices change (Spot prices "can change up to once every day" — https://cloud.google.com/spot-vms/pricing), so treat
 * these as estimates and check the live SKUs (Cloud Billing Catalog API) before relying on them.
 */
import type { DataDiskType } from "./disks";
import type { GpuType } from "./gpus";

/**
 * 730 hours = 8760 h a year / 12: the average month. Cyclenerd's pricing.yml uses the same factor (e2-medium:
 * 0.03350571 $/h → 24.46 $/month); Google's own examples vary (the Cloud NAT example bills 720 h).
 */
export const HOURS_PER_MONTH = 730;

/** One sourced number. `asOf` is the source's date as precisely as it gives one, or "undated, read YYYY-MM-DD". */
export interface Figure {
  readonly value: number;
  readonly unit: string;
  readonly asOf: string;
  readonly source: string;
  readonly note?: string;
  /** Not found in a Google source (or only in part): the best figure found, with its caveat in `note`. */
  readonly unconfirmed?: true;
}

export interface MachinePrice {
  /** Whole machine per hour, including the GPUs of accelerator-optimized types (g2, g4, a2, a3). */
  readonly onDemand: Figure;
  readonly spot?: Figure;
}

export interface RegionPrices {
  /** A rate left out (optional) where no source gives the region's price: its cost line is then "unknown". */
  readonly cloudRun: {
    readonly requestBased: {
      readonly vcpuSecond?: Figure;
      readonly gibSecond?: Figure;
      readonly perMillionRequests?: Figure;
    };
    readonly instanceBased: { readonly vcpuSecond?: Figure; readonly gibSecond?: Figure };
    /** Monthly, per billing account, applied as a discount at Tier 1 prices. */
    readonly freeTier: {
      readonly requestBased: { readonly vcpuSeconds: Figure; readonly gibSeconds: Figure; readonly requests: Figure };
      readonly instanceBased: { readonly vcpuSeconds: Figure; readonly gibSeconds: Figure };
    };
    /** Absent where no source gives the region's price: the GPU line is then "unknown". */
    readonly l4GpuSecond?: Figure;
  };
  readonly gke: { readonly clusterFeeHour: Figure; readonly freeTierMonthlyCredit: Figure };
  /** Compute Engine machine types (keys as in MACHINE_TYPES). N1 prices exclude GPUs: add `n1Gpus`. */
  readonly compute: Readonly<Record<string, MachinePrice>>;
  /** Per GPU attached to an N1 machine, per hour. */
  readonly n1Gpus: Readonly<Partial<Record<GpuType, MachinePrice>>>;
  readonly cloudNat: {
    readonly gatewayHourPerVm: Figure;
    readonly gatewayHourMax: Figure;
    readonly perGibProcessed: Figure;
    readonly ipHour: Figure;
  };
  /** Absent where no source gives the region's price: the forwarding-rule line is then "unknown". */
  readonly forwardingRule?: { readonly first5Hour: Figure; readonly additionalHour: Figure };
  readonly artifactRegistry: {
    readonly storageGbMonth: Figure;
    readonly freeGb: Figure;
    readonly scanPerImage: Figure;
  };
  /** Message ingestion and delivery (events), one price for every region. */
  readonly pubsub: { readonly throughputTib: Figure; readonly freeGib: Figure };
  /**
   * Zonal disks' provisioned capacity, per GiB-month, by disk type (facts/disks.ts DataDiskType); a type left out has
   * no sourced price in the region, and its line is "unknown".
   */
  readonly disks: Readonly<Partial<Record<DataDiskType, Figure>>>;
}

interface Source {
  readonly asOf: string;
  readonly source: string;
}

const CYCLENERD_2026: Source = {
  asOf: "2026-07-30",
  source:
    "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml @ fd66b26 " +
    "(generated 2026-07-30 from the Cloud Billing Catalog API; 3rd-party)",
};
const CYCLENERD_2025: Source = {
  asOf: "2025-03-06",
  source:
    "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml @ 0166a59 " +
    "(generated 2025-03-06 from the Cloud Billing Catalog API; 3rd-party)",
};
const DSTACK: Source = {
  asOf: "2025-10-22",
  source: "https://github.com/dstackai/dstack/pull/3213 (gpuhunt offers, us-central1; 3rd-party)",
};
const SKYPILOT: Source = {
  asOf: "undated, read 2026-11-23",
  source: "https://github.com/skypilot-org/skypilot-catalog catalogs/v8/gcp/vms.csv @ 006059e0 (3rd-party)",
};
const RUN_PRICING: Source = {
  asOf: "undated, read 2026-11-23",
  source: "https://cloud.google.com/run/pricing (stored copies)",
};
const RUN_PRICING_3RD_PARTY: Source = {
  asOf: "2025",
  source:
    "https://cloudwebschool.com/tools/cloud-run-cost-calculator/ ; https://cloudchipr.com/blog/cloud-run-pricing " +
    "(3rd-party, 2025)",
};
const GKE_PRICING: Source = {
  asOf: "undated, read 2026-11-23",
  source: "https://cloud.google.com/kubernetes-engine/pricing#cluster_management_fee_and_free_tier (stored copy)",
};
const NAT_PRICING: Source = {
  asOf: "undated, read 2026-11-23",
  source: "https://cloud.google.com/nat/pricing (stored copy at cloud-dot-devsite-v2-prod.appspot.com/nat/pricing)",
};
const LB_PRICING: Source = {
  asOf: "undated, read 2026-11-23",
  source: "https://cloud.google.com/load-balancing/pricing (stored copies)",
};
const AR_PRICING: Source = {
  asOf: "undated, read 2026-11-23",
  source: "https://cloud.google.com/artifact-registry/pricing (stored copies, hl=id/es-419/it)",
};
const SCAN_PRICING: Source = {
  asOf: "undated, read 2026-11-23",
  source: "https://cloud.google.com/artifact-analysis/pricing (stored copy at cloud-dot-devsite-v2-prod.appspot.com)",
};
const PUBSUB_PRICING: Source = {
  asOf: "undated, read 2026-12-01",
  source: "https://cloud.google.com/pubsub/pricing (stored copies, hl=et and authuser=0)",
};
const PAAS_ESTIMATOR: Source = {
  asOf: "2022-10-01",
  source: "https://github.com/luketurner/paas-price-estimator src/providers/gcp.ts (lastUpdated 2022-10-01; 3rd-party)",
};
const RUN_FREE_TIER_3RD_PARTY: Source = {
  asOf: "undated, read 2026-11-23",
  source:
    "https://unanswered.io/guide/google-cloud-run-pricing-free-tier-limits-billing " +
    "(3rd-party, citing cloud.google.com/run/pricing)",
};
const RUN_GPU_3RD_PARTY: Source = {
  asOf: "2026-04",
  source:
    "https://brandonseppa.com/2026/04/gpu-inference-without-the-cluster-cloud-run-finally-makes-that-real (3rd-party)",
};

type Extra = Partial<Pick<Figure, "note" | "unconfirmed">>;
const fig = (value: number, unit: string, from: Source, extra: Extra = {}): Figure => ({
  value,
  unit,
  ...from,
  ...extra,
});
const perHour = (onDemand: number, spot: number | undefined, from: Source, note?: string): MachinePrice => ({
  onDemand: fig(onDemand, "USD/hour", from, note ? { note } : {}),
  ...(spot === undefined ? {} : { spot: fig(spot, "USD/hour", from) }),
});

const E2_DERIVED = "derived: a multiple of e2-standard-2 (E2 bills per vCPU and GB), not read from the source";

/**
 * "Message ingestion and delivery are priced per volume of data transmitted in a calendar month. The first 10 gigabytes
 * of usage are free. After that, the price for ingestion or delivery of messages is $40 per TiB", with "A minimum of
 * 1000 bytes per publish, push or pull request"; no regional table (only egress between regions differs).
 */
const PUBSUB_ANY_REGION: RegionPrices["pubsub"] = {
  throughputTib: fig(40, "USD/TiB ingested or delivered", PUBSUB_PRICING, {
    note: "at least 1000 bytes are billed per publish, push or pull request; egress between regions extra",
  }),
  freeGib: fig(10, "GiB/month per billing account", PUBSUB_PRICING, {
    note: "the page says 'the first 10 gigabytes of usage'",
  }),
};

/**
 * Zonal Persistent Disk capacity from pricing.yml's `storage` section (`balanced`: the "Zonal balanced PD" SKU,
 * `ssd`: zonal SSD PD; `month` per GiB), read for the regions runway prices. The file has no Hyperdisk Balanced
 * capacity (only `hyperdisk-extreme`), so hyperdisk-balanced is left out everywhere. Google's own page
 * (https://cloud.google.com/compute/disks-image-pricing) did not render in the stored copies.
 */
function persistentDisks(balanced: number, ssd: number): RegionPrices["disks"] {
  const unit = "USD/GiB-month of provisioned capacity";
  return {
    "pd-balanced": fig(balanced, unit, CYCLENERD_2026, { note: "pricing.yml storage.balanced, zonal" }),
    "pd-ssd": fig(ssd, unit, CYCLENERD_2026, { note: "pricing.yml storage.ssd, zonal" }),
  };
}

const US_CENTRAL1: RegionPrices = {
  cloudRun: {
    requestBased: {
      vcpuSecond: fig(0.000024, "USD/vCPU-second", RUN_PRICING, { note: "Tier 1, beyond the free tier" }),
      gibSecond: fig(0.0000025, "USD/GiB-second", RUN_PRICING_3RD_PARTY, {
        unconfirmed: true,
        note: "3rd-party only; the Google page copies were cut off before this cell",
      }),
      perMillionRequests: fig(0.4, "USD/million requests", RUN_PRICING_3RD_PARTY, {
        unconfirmed: true,
        note: "3rd-party only; the Google page copies were cut off before this cell",
      }),
    },
    instanceBased: {
      vcpuSecond: fig(0.000018, "USD/vCPU-second", RUN_PRICING, {
        note: "'Services with CPU always allocated, Jobs', Tier 1, beyond the free tier",
      }),
      gibSecond: fig(0.000002, "USD/GiB-second", PAAS_ESTIMATOR, {
        unconfirmed: true,
        note: "old 3rd-party figure; not found on a Google page copy",
      }),
    },
    freeTier: {
      requestBased: {
        vcpuSeconds: fig(180_000, "vCPU-seconds/month", RUN_PRICING),
        gibSeconds: fig(360_000, "GiB-seconds/month", RUN_PRICING),
        requests: fig(2_000_000, "requests/month", RUN_PRICING),
      },
      instanceBased: {
        vcpuSeconds: fig(240_000, "vCPU-seconds/month", RUN_FREE_TIER_3RD_PARTY, {
          unconfirmed: true,
          note: "the Google page copy is cut off at 'Free: First 24…', which agrees",
        }),
        gibSeconds: fig(450_000, "GiB-seconds/month", RUN_FREE_TIER_3RD_PARTY, { unconfirmed: true }),
      },
    },
    l4GpuSecond: fig(0.67 / 3600, "USD/GPU-second", RUN_GPU_3RD_PARTY, {
      unconfirmed: true,
      note:
        "'roughly $0.67 per hour' for the L4, zonal-redundancy mode not stated. Google bills separate SKUs " +
        "'NVIDIA L4 GPU with zonal redundancy' and '… with no zonal redundancy' (cheaper); their prices were not found. " +
        "CPU and memory of the GPU instance are billed on top at instance-based rates.",
    }),
  },
  gke: {
    clusterFeeHour: fig(0.1, "USD/cluster-hour", GKE_PRICING, { note: "all clusters; billed per second" }),
    freeTierMonthlyCredit: fig(74.4, "USD/month per billing account", GKE_PRICING, {
      note: "covers one zonal Standard or Autopilot cluster; not applied to regional Standard clusters",
    }),
  },
  compute: {
    "e2-medium": perHour(0.03350571, 0.020106, CYCLENERD_2026),
    "e2-standard-2": perHour(0.06701142, 0.040212, CYCLENERD_2026),
    "e2-standard-4": perHour(0.13402284, 0.080424, CYCLENERD_2026),
    // Derived, not read: E2 is billed per vCPU and per GB at one rate for every e2-standard size, so these are
    // 4×, 8× and 16× e2-standard-2 (the same holds for e2-standard-4 above, which is 2× to the digit).
    "e2-standard-8": perHour(4 * 0.06701142, 4 * 0.040212, CYCLENERD_2026, E2_DERIVED),
    "e2-standard-16": perHour(8 * 0.06701142, 8 * 0.040212, CYCLENERD_2026, E2_DERIVED),
    "e2-standard-32": perHour(16 * 0.06701142, 16 * 0.040212, CYCLENERD_2026, E2_DERIVED),
    "n2-standard-2": perHour(0.097118, 0.029976, CYCLENERD_2025),
    "n2-standard-4": perHour(0.194236, 0.059952, CYCLENERD_2025),
    "n1-standard-4": perHour(0.189999, 0.06701, CYCLENERD_2026),
    "n1-standard-8": perHour(0.379998, 0.10402, CYCLENERD_2025),
    "g2-standard-4": perHour(0.706832255, 0.397336, CYCLENERD_2026),
    "g2-standard-8": perHour(0.853624271, 0.479872, CYCLENERD_2026),
    "g2-standard-12": perHour(1.000416287, 0.393596, CYCLENERD_2025),
    "g2-standard-16": perHour(1.147208303, 0.450428, CYCLENERD_2025),
    "g2-standard-24": perHour(2.000832574, 0.787192, CYCLENERD_2025),
    "g2-standard-32": perHour(1.734376367, 0.677756, CYCLENERD_2025),
    "g2-standard-48": perHour(4.001665148, 1.574384, CYCLENERD_2025),
    "g2-standard-96": perHour(8.003330296, 3.148768, CYCLENERD_2025),
    "g4-standard-48": perHour(4.49993, 1.79982, CYCLENERD_2026),
    "g4-standard-96": perHour(9.0002, undefined, DSTACK),
    "g4-standard-192": perHour(18.0003, undefined, DSTACK),
    "g4-standard-384": perHour(36.0006, undefined, DSTACK),
    "a2-highgpu-1g": perHour(3.673385, 1.92802, CYCLENERD_2026),
    "a2-highgpu-2g": perHour(7.34677, 2.58671, CYCLENERD_2025),
    "a2-ultragpu-1g": perHour(5.068798, 2.759546, CYCLENERD_2026, "includes the bundled Local SSD"),
    "a3-highgpu-1g": perHour(
      11.06125,
      6.326193,
      CYCLENERD_2026,
      "UNCONFIRMED: a 3rd-party list says a3-highgpu-1g/2g/4g are Spot/Flex-start only",
    ),
  },
  n1Gpus: {
    "nvidia-tesla-t4": perHour(0.35, 0.175, SKYPILOT),
    "nvidia-tesla-p4": perHour(0.6, 0.2236, SKYPILOT),
    "nvidia-tesla-v100": perHour(2.48, 1.0885, SKYPILOT),
    "nvidia-tesla-p100": perHour(1.46, 0.7034, SKYPILOT),
  },
  cloudNat: {
    gatewayHourPerVm: fig(0.0014, "USD/hour per VM using the gateway", NAT_PRICING, { note: "up to 32 VMs" }),
    gatewayHourMax: fig(0.044, "USD/hour per gateway", NAT_PRICING, { note: "flat rate above 32 VMs" }),
    perGibProcessed: fig(0.045, "USD/GiB", NAT_PRICING, { note: "inbound and outbound; same in all regions" }),
    ipHour: fig(0.005, "USD/hour per external IP used by the gateway", NAT_PRICING),
  },
  forwardingRule: {
    first5Hour: fig(0.025, "USD/hour per rule (first 5)", LB_PRICING, {
      unconfirmed: true,
      note:
        "from the global forwarding-rule table, which the page applies to internal and external passthrough and " +
        "proxy Network Load Balancers and external Application Load Balancers; the per-region table did not render " +
        "in the stored copies, so the us-central1 regional figure is unconfirmed",
    }),
    additionalHour: fig(0.01, "USD/hour per rule beyond 5", LB_PRICING, {
      unconfirmed: true,
      note: "global table; regional us-central1 figure not rendered in the stored copies",
    }),
  },
  artifactRegistry: {
    storageGbMonth: fig(0.1, "USD/GB-month", AR_PRICING, {
      note: "beyond the free 0.5 GB; regional and multi-regional alike",
    }),
    freeGb: fig(0.5, "GB per billing account", AR_PRICING),
    scanPerImage: fig(0.26, "USD/scanned image", SCAN_PRICING, {
      note: "each digest is scanned once; re-tagging does not rescan",
    }),
  },
  pubsub: PUBSUB_ANY_REGION,
  disks: persistentDisks(0.1, 0.17),
};

// Other regions. Compute Engine prices are per region in the source, so each region has its own table. The other
// services runway prices either publish one price for every region (said in each figure's note, with the source's
// words) or, for Cloud Run, one price per pricing tier; a figure that is per region and was not found is left out.

const A3_SMALL_NOTE = "UNCONFIRMED: a 3rd-party list says a3-highgpu-1g/2g/4g are Spot/Flex-start only";

const CLOUD_RUN_TIERS: Source = {
  asOf: "undated, read 2026-12-01",
  source: "https://cloud.google.com/run/docs/locations (stored copies hl=ja, hl=fr-FR; lists each region's tier)",
};

/**
 * Cloud Run at the Tier 1 rates, for a region Google's locations page puts in Tier 1 (the pricing page copies were
 * cut off before their region lists). The free tier is per billing account wherever the service runs: "The free tier is
 * applied as a spending based discount using Tier 1 pricing" (cloud.google.com/run/pricing). No L4 price: the only one
 * found is a us-central1 figure, so the GPU line of these regions is unknown.
 */
function cloudRunTier1(region: string): RegionPrices["cloudRun"] {
  const tier1 = (value: number, unit: string, from: Source, note: string): Figure =>
    fig(value, unit, from, {
      unconfirmed: true,
      note: `${note}; ${region} is Tier 1 per ${CLOUD_RUN_TIERS.source}`,
    });
  return {
    requestBased: {
      vcpuSecond: tier1(0.000024, "USD/vCPU-second", RUN_PRICING, "Tier 1, beyond the free tier"),
      gibSecond: tier1(0.0000025, "USD/GiB-second", RUN_PRICING_3RD_PARTY, "Tier 1, 3rd-party only"),
      perMillionRequests: tier1(0.4, "USD/million requests", RUN_PRICING_3RD_PARTY, "3rd-party only"),
    },
    instanceBased: {
      vcpuSecond: tier1(0.000018, "USD/vCPU-second", RUN_PRICING, "'Services with CPU always allocated, Jobs', Tier 1"),
      gibSecond: tier1(
        0.000002,
        "USD/GiB-second",
        PAAS_ESTIMATOR,
        "old 3rd-party figure; not found on a Google page copy",
      ),
    },
    freeTier: {
      requestBased: {
        vcpuSeconds: fig(180_000, "vCPU-seconds/month", RUN_PRICING, { note: "per billing account, all regions" }),
        gibSeconds: fig(360_000, "GiB-seconds/month", RUN_PRICING, { note: "per billing account, all regions" }),
        requests: fig(2_000_000, "requests/month", RUN_PRICING, { note: "per billing account, all regions" }),
      },
      instanceBased: {
        vcpuSeconds: fig(240_000, "vCPU-seconds/month", RUN_FREE_TIER_3RD_PARTY, {
          unconfirmed: true,
          note: "per billing account; the Google page copy is cut off at 'Free: First 24…', which agrees",
        }),
        gibSeconds: fig(450_000, "GiB-seconds/month", RUN_FREE_TIER_3RD_PARTY, { unconfirmed: true }),
      },
    },
  };
}

/** "A flat cluster management fee of $0.10 per cluster per hour … applies to all GKE clusters" (GKE pricing page). */
const GKE_ANY_REGION: RegionPrices["gke"] = {
  clusterFeeHour: fig(0.1, "USD/cluster-hour", GKE_PRICING, { note: "all clusters, every region; billed per second" }),
  freeTierMonthlyCredit: fig(74.4, "USD/month per billing account", GKE_PRICING, {
    note: "per billing account, not per region; not applied to regional Standard clusters",
  }),
};

/**
 * Cloud NAT. The page has one price table, no per-region one, and says "The data processing price is the same across
 * all regions". Cyclenerd's Billing Catalog compilation agrees for each region priced here: the gateway SKU at
 * $0.0448/h (32 VMs × $0.0014), data at $0.045/GiB and the in-use IP (compute.network.ip.vm) at $0.005/h.
 */
const NAT_ANY_REGION: RegionPrices["cloudNat"] = {
  gatewayHourPerVm: fig(0.0014, "USD/hour per VM using the gateway", NAT_PRICING, {
    note: "up to 32 VMs; one table for all regions",
  }),
  gatewayHourMax: fig(0.044, "USD/hour per gateway", NAT_PRICING, { note: "flat rate above 32 VMs" }),
  perGibProcessed: fig(0.045, "USD/GiB", NAT_PRICING, { note: "inbound and outbound; same in all regions" }),
  ipHour: fig(0.005, "USD/hour per external IP used by the gateway", NAT_PRICING, {
    note: "one table for all regions",
  }),
};

/**
 * The forwarding rule of GKE's LoadBalancer Service. The regional table of the load-balancing page did not render in
 * the stored copies; this is its global table, applied to the region with the same caveat as us-central1's.
 */
function forwardingRuleGlobalTable(region: string): NonNullable<RegionPrices["forwardingRule"]> {
  const note = `global forwarding-rule table; the ${region} regional figure did not render in the stored copies`;
  return {
    first5Hour: fig(0.025, "USD/hour per rule (first 5)", LB_PRICING, { unconfirmed: true, note }),
    additionalHour: fig(0.01, "USD/hour per rule beyond 5", LB_PRICING, { unconfirmed: true, note }),
  };
}

/**
 * Artifact Registry's page has one storage table, no per-region one: "The pricing is the same for both regional and
 * multi-regional repositories" (only egress depends on the location). Scanning is priced per image.
 */
const AR_ANY_REGION: RegionPrices["artifactRegistry"] = {
  storageGbMonth: fig(0.1, "USD/GB-month", AR_PRICING, {
    note: "beyond the free 0.5 GB; one price for regional and multi-regional repositories",
  }),
  freeGb: fig(0.5, "GB per billing account", AR_PRICING),
  scanPerImage: fig(0.26, "USD/scanned image", SCAN_PRICING, {
    note: "each digest is scanned once; re-tagging does not rescan",
  }),
};

/** us-east1: every machine type from Cyclenerd pricing.yml @ fd66b26, values as the file has them. */
const US_EAST1_MACHINES: Readonly<Record<string, MachinePrice>> = {
  "e2-medium": perHour(0.03350571, 0.020106, CYCLENERD_2026),
  "e2-standard-2": perHour(0.06701142, 0.040212, CYCLENERD_2026),
  "e2-standard-4": perHour(0.13402284, 0.080424, CYCLENERD_2026),
  "e2-standard-8": perHour(0.26804568, 0.160848, CYCLENERD_2026),
  "e2-standard-16": perHour(0.53609136, 0.321696, CYCLENERD_2026),
  "e2-standard-32": perHour(1.07218272, 0.643392, CYCLENERD_2026),
  "n2-standard-2": perHour(0.097118, 0.04606, CYCLENERD_2026),
  "n2-standard-4": perHour(0.194236, 0.09212, CYCLENERD_2026),
  "n1-standard-4": perHour(0.189999, 0.06701, CYCLENERD_2026),
  "n1-standard-8": perHour(0.379998, 0.13402, CYCLENERD_2026),
  "g2-standard-4": perHour(0.706832255, 0.397336, CYCLENERD_2026),
  "g2-standard-8": perHour(0.853624271, 0.479872, CYCLENERD_2026),
  "g2-standard-12": perHour(1.000416287, 0.562408, CYCLENERD_2026),
  "g2-standard-16": perHour(1.147208303, 0.644944, CYCLENERD_2026),
  "g2-standard-24": perHour(2.000832574, 1.124816, CYCLENERD_2026),
  "g2-standard-32": perHour(1.734376367, 0.975088, CYCLENERD_2026),
  "g2-standard-48": perHour(4.001665148, 2.249632, CYCLENERD_2026),
  "g2-standard-96": perHour(8.003330296, 4.499264, CYCLENERD_2026),
  "g4-standard-48": perHour(4.49993, 1.79982, CYCLENERD_2026),
  "g4-standard-96": perHour(8.99986, 3.59964, CYCLENERD_2026),
  "g4-standard-192": perHour(17.99972, 7.19928, CYCLENERD_2026),
  "g4-standard-384": perHour(35.99944, 14.39856, CYCLENERD_2026),
  "a2-highgpu-1g": perHour(3.673385, 1.92802, CYCLENERD_2026),
  "a2-highgpu-2g": perHour(7.34677, 3.85604, CYCLENERD_2026),
  "a2-ultragpu-1g": perHour(5.06879789041096, 2.75954630136986, CYCLENERD_2026, "includes the bundled Local SSD"),
  "a3-highgpu-1g": perHour(11.0612499878219, 6.32619260273973, CYCLENERD_2026, A3_SMALL_NOTE),
};

/** us-east4: every machine type from Cyclenerd pricing.yml @ fd66b26, values as the file has them. */
const US_EAST4_MACHINES: Readonly<Record<string, MachinePrice>> = {
  "e2-medium": perHour(0.03773541, 0.02069, CYCLENERD_2026),
  "e2-standard-2": perHour(0.07547082, 0.04138, CYCLENERD_2026),
  "e2-standard-4": perHour(0.15094164, 0.08276, CYCLENERD_2026),
  "e2-standard-8": perHour(0.30188328, 0.16552, CYCLENERD_2026),
  "e2-standard-16": perHour(0.60376656, 0.33104, CYCLENERD_2026),
  "e2-standard-32": perHour(1.20753312, 0.66208, CYCLENERD_2026),
  "n2-standard-2": perHour(0.109378, 0.025036, CYCLENERD_2026),
  "n2-standard-4": perHour(0.218756, 0.050072, CYCLENERD_2026),
  "n1-standard-4": perHour(0.213985, 0.054755, CYCLENERD_2026),
  "n1-standard-8": perHour(0.42797, 0.10951, CYCLENERD_2026),
  "g2-standard-4": perHour(0.704517808, 0.310596, CYCLENERD_2026),
  "g2-standard-8": perHour(0.850829156, 0.375092, CYCLENERD_2026),
  "g2-standard-12": perHour(0.997140504, 0.439588, CYCLENERD_2026),
  "g2-standard-16": perHour(1.143451852, 0.504084, CYCLENERD_2026),
  "g2-standard-24": perHour(1.994281008, 0.879176, CYCLENERD_2026),
  "g2-standard-32": perHour(1.728697244, 0.762068, CYCLENERD_2026),
  "g2-standard-48": perHour(3.988562016, 1.758352, CYCLENERD_2026),
  "g2-standard-96": perHour(7.977124032, 3.516704, CYCLENERD_2026),
  "g4-standard-48": perHour(4.49993, 1.79982, CYCLENERD_2026),
  "g4-standard-96": perHour(8.99986, 3.59964, CYCLENERD_2026),
  "g4-standard-192": perHour(17.99972, 7.19928, CYCLENERD_2026),
  "g4-standard-384": perHour(35.99944, 14.39856, CYCLENERD_2026),
  "a2-highgpu-1g": perHour(3.934354926, 2.360575, CYCLENERD_2026),
  "a2-highgpu-2g": perHour(7.868709852, 4.72115, CYCLENERD_2026),
  "a2-ultragpu-1g": perHour(5.70773247945206, 2.36725328767123, CYCLENERD_2026, "includes the bundled Local SSD"),
  "a3-highgpu-1g": perHour(11.0694695189041, 4.54010457534247, CYCLENERD_2026, A3_SMALL_NOTE),
};

/** us-west1: every machine type from Cyclenerd pricing.yml @ fd66b26, values as the file has them. */
const US_WEST1_MACHINES: Readonly<Record<string, MachinePrice>> = {
  "e2-medium": perHour(0.03350571, 0.020106, CYCLENERD_2026),
  "e2-standard-2": perHour(0.06701142, 0.040212, CYCLENERD_2026),
  "e2-standard-4": perHour(0.13402284, 0.080424, CYCLENERD_2026),
  "e2-standard-8": perHour(0.26804568, 0.160848, CYCLENERD_2026),
  "e2-standard-16": perHour(0.53609136, 0.321696, CYCLENERD_2026),
  "e2-standard-32": perHour(1.07218272, 0.643392, CYCLENERD_2026),
  "n2-standard-2": perHour(0.097118, 0.04606, CYCLENERD_2026),
  "n2-standard-4": perHour(0.194236, 0.09212, CYCLENERD_2026),
  "n1-standard-4": perHour(0.189999, 0.06701, CYCLENERD_2026),
  "n1-standard-8": perHour(0.379998, 0.13402, CYCLENERD_2026),
  "g2-standard-4": perHour(0.706832255, 0.397336, CYCLENERD_2026),
  "g2-standard-8": perHour(0.853624271, 0.479872, CYCLENERD_2026),
  "g2-standard-12": perHour(1.000416287, 0.562408, CYCLENERD_2026),
  "g2-standard-16": perHour(1.147208303, 0.644944, CYCLENERD_2026),
  "g2-standard-24": perHour(2.000832574, 1.124816, CYCLENERD_2026),
  "g2-standard-32": perHour(1.734376367, 0.975088, CYCLENERD_2026),
  "g2-standard-48": perHour(4.001665148, 2.249632, CYCLENERD_2026),
  "g2-standard-96": perHour(8.003330296, 4.499264, CYCLENERD_2026),
  "g4-standard-48": perHour(4.49993, 1.79982, CYCLENERD_2026),
  "g4-standard-96": perHour(8.99986, 3.59964, CYCLENERD_2026),
  "g4-standard-192": perHour(17.99972, 7.19928, CYCLENERD_2026),
  "g4-standard-384": perHour(35.99944, 14.39856, CYCLENERD_2026),
  "a2-highgpu-1g": perHour(3.673385, 1.92802, CYCLENERD_2026),
  "a2-highgpu-2g": perHour(7.34677, 3.85604, CYCLENERD_2026),
  "a2-ultragpu-1g": perHour(5.06879789041096, 2.75954630136986, CYCLENERD_2026, "includes the bundled Local SSD"),
  "a3-highgpu-1g": perHour(11.0612499878219, 6.32619260273973, CYCLENERD_2026, A3_SMALL_NOTE),
};

/** europe-west1: every machine type from Cyclenerd pricing.yml @ fd66b26, values as the file has them. */
const EUROPE_WEST1_MACHINES: Readonly<Record<string, MachinePrice>> = {
  "e2-medium": perHour(0.03685773, 0.017852, CYCLENERD_2026),
  "e2-standard-2": perHour(0.07371546, 0.035704, CYCLENERD_2026),
  "e2-standard-4": perHour(0.14743092, 0.071408, CYCLENERD_2026),
  "e2-standard-8": perHour(0.29486184, 0.142816, CYCLENERD_2026),
  "e2-standard-16": perHour(0.58972368, 0.285632, CYCLENERD_2026),
  "e2-standard-32": perHour(1.17944736, 0.571264, CYCLENERD_2026),
  "n2-standard-2": perHour(0.106834, 0.023444, CYCLENERD_2026),
  "n2-standard-4": perHour(0.213668, 0.046888, CYCLENERD_2026),
  "n1-standard-4": perHour(0.209007, 0.08716, CYCLENERD_2026),
  "n1-standard-8": perHour(0.418014, 0.17432, CYCLENERD_2026),
  "g2-standard-4": perHour(0.778293004, 0.357456, CYCLENERD_2026),
  "g2-standard-8": perHour(0.939925708, 0.431712, CYCLENERD_2026),
  "g2-standard-12": perHour(1.101558412, 0.505968, CYCLENERD_2026),
  "g2-standard-16": perHour(1.263191116, 0.580224, CYCLENERD_2026),
  "g2-standard-24": perHour(2.203116824, 1.011936, CYCLENERD_2026),
  "g2-standard-32": perHour(1.909721932, 0.877248, CYCLENERD_2026),
  "g2-standard-48": perHour(4.406233648, 2.023872, CYCLENERD_2026),
  "g2-standard-96": perHour(8.812467296, 4.047744, CYCLENERD_2026),
  "g4-standard-48": perHour(4.949923, 1.98, CYCLENERD_2026),
  "g4-standard-96": perHour(9.899846, 3.96, CYCLENERD_2026),
  "g4-standard-192": perHour(19.799692, 7.92, CYCLENERD_2026),
  "g4-standard-384": perHour(39.599384, 15.84, CYCLENERD_2026),
  "a2-highgpu-1g": perHour(3.747369, 0.9227, CYCLENERD_2026),
  "a2-highgpu-2g": perHour(7.494738, 1.8454, CYCLENERD_2026),
  "a2-ultragpu-1g": perHour(5.57595089041096, 0.894166301369863, CYCLENERD_2026, "includes the bundled Local SSD"),
  "a3-highgpu-1g": perHour(12.1712308248219, 4.75827460273973, CYCLENERD_2026, A3_SMALL_NOTE),
};

/** europe-west4: every machine type from Cyclenerd pricing.yml @ fd66b26, values as the file has them. */
const EUROPE_WEST4_MACHINES: Readonly<Record<string, MachinePrice>> = {
  "e2-medium": perHour(0.03688602, 0.017632, CYCLENERD_2026),
  "e2-standard-2": perHour(0.07377204, 0.035264, CYCLENERD_2026),
  "e2-standard-4": perHour(0.14754408, 0.070528, CYCLENERD_2026),
  "e2-standard-8": perHour(0.29508816, 0.141056, CYCLENERD_2026),
  "e2-standard-16": perHour(0.59017632, 0.282112, CYCLENERD_2026),
  "e2-standard-32": perHour(1.18035264, 0.564224, CYCLENERD_2026),
  "n2-standard-2": perHour(0.106916, 0.038868, CYCLENERD_2026),
  "n2-standard-4": perHour(0.213832, 0.077736, CYCLENERD_2026),
  "n1-standard-4": perHour(0.209168, 0.12153, CYCLENERD_2026),
  "n1-standard-8": perHour(0.418336, 0.24306, CYCLENERD_2026),
  "g2-standard-4": perHour(0.742916046, 0.38986, CYCLENERD_2026),
  "g2-standard-8": perHour(0.897201806, 0.47082, CYCLENERD_2026),
  "g2-standard-12": perHour(1.051487566, 0.55178, CYCLENERD_2026),
  "g2-standard-16": perHour(1.205773326, 0.63274, CYCLENERD_2026),
  "g2-standard-24": perHour(2.102975132, 1.10356, CYCLENERD_2026),
  "g2-standard-32": perHour(1.822916366, 0.95658, CYCLENERD_2026),
  "g2-standard-48": perHour(4.205950264, 2.20712, CYCLENERD_2026),
  "g2-standard-96": perHour(8.411900528, 4.41424, CYCLENERD_2026),
  "g4-standard-48": perHour(4.949923, 1.98, CYCLENERD_2026),
  "g4-standard-96": perHour(9.899846, 3.96, CYCLENERD_2026),
  "g4-standard-192": perHour(19.799692, 7.92, CYCLENERD_2026),
  "g4-standard-384": perHour(39.599384, 15.84, CYCLENERD_2026),
  "a2-highgpu-1g": perHour(3.747972, 1.692835, CYCLENERD_2026),
  "a2-highgpu-2g": perHour(7.495944, 3.38567, CYCLENERD_2026),
  "a2-ultragpu-1g": perHour(5.58091847945206, 2.94520671232877, CYCLENERD_2026, "includes the bundled Local SSD"),
  "a3-highgpu-1g": perHour(14.0675598969041, 5.51484742465753, CYCLENERD_2026, A3_SMALL_NOTE),
};

/**
 * A Tier 1 Cloud Run region. N1 GPUs are not priced: their source (skypilot's catalog) was read for us-central1 only,
 * so an N1 GPU line in these regions is unknown.
 */
const tier1Region = (
  region: string,
  compute: Readonly<Record<string, MachinePrice>>,
  disks: RegionPrices["disks"],
): RegionPrices => ({
  cloudRun: cloudRunTier1(region),
  gke: GKE_ANY_REGION,
  compute,
  n1Gpus: {},
  cloudNat: NAT_ANY_REGION,
  forwardingRule: forwardingRuleGlobalTable(region),
  artifactRegistry: AR_ANY_REGION,
  pubsub: PUBSUB_ANY_REGION,
  disks,
});

/** asia-southeast1: every machine type from Cyclenerd pricing.yml @ fd66b26, values as the file has them. */
const ASIA_SOUTHEAST1_MACHINES: Readonly<Record<string, MachinePrice>> = {
  "e2-medium": perHour(0.04133307, 0.021582, CYCLENERD_2026),
  "e2-standard-2": perHour(0.08266614, 0.043164, CYCLENERD_2026),
  "e2-standard-4": perHour(0.16533228, 0.086328, CYCLENERD_2026),
  "e2-standard-8": perHour(0.33066456, 0.172656, CYCLENERD_2026),
  "e2-standard-16": perHour(0.66132912, 0.345312, CYCLENERD_2026),
  "e2-standard-32": perHour(1.32265824, 0.690624, CYCLENERD_2026),
  "n2-standard-2": perHour(0.119806, 0.04666, CYCLENERD_2026),
  "n2-standard-4": perHour(0.239612, 0.09332, CYCLENERD_2026),
  "n1-standard-4": perHour(0.234386, 0.046945, CYCLENERD_2026),
  "n1-standard-8": perHour(0.468772, 0.09389, CYCLENERD_2026),
  "g2-standard-4": perHour(0.872018928, 0.523272, CYCLENERD_2026),
  "g2-standard-8": perHour(1.053116256, 0.631944, CYCLENERD_2026),
  "g2-standard-12": perHour(1.234213584, 0.740616, CYCLENERD_2026),
  "g2-standard-16": perHour(1.415310912, 0.849288, CYCLENERD_2026),
  "g2-standard-24": perHour(2.468427168, 1.481232, CYCLENERD_2026),
  "g2-standard-32": perHour(2.139700224, 1.283976, CYCLENERD_2026),
  "g2-standard-48": perHour(4.936854336, 2.962464, CYCLENERD_2026),
  "g2-standard-96": perHour(9.873708672, 5.924928, CYCLENERD_2026),
  "g4-standard-48": perHour(5.399916, 2.16018, CYCLENERD_2026),
  "g4-standard-96": perHour(10.799832, 4.32036, CYCLENERD_2026),
  "g4-standard-192": perHour(21.599664, 8.64072, CYCLENERD_2026),
  "g4-standard-384": perHour(43.199328, 17.28144, CYCLENERD_2026),
  "a2-highgpu-1g": perHour(4.013757926, 2.40826, CYCLENERD_2026),
  "a2-highgpu-2g": perHour(8.027515852, 4.81652, CYCLENERD_2026),
  "a2-ultragpu-1g": perHour(6.24768547945206, 3.24872753424658, CYCLENERD_2026, "includes the bundled Local SSD"),
  "a3-highgpu-1g": perHour(14.2847866209041, 6.40233306849315, CYCLENERD_2026, A3_SMALL_NOTE),
};

const RUN_LOCATIONS: Source = {
  asOf: "undated, read 2026-12-01",
  source:
    "https://cloud.google.com/run/docs/locations (stored copies hl=ja and hl=fr-FR, which list asia-southeast1 " +
    "under 'Tier 2 pricing')",
};
const RUN_TIER_2_3RD_PARTY: Source = {
  asOf: "undated, read 2026-12-01",
  source:
    "https://github.com/UmungoBungo/remotion packages/cloudrun/src/pricing/gcp-regions.ts @ 5e1ff34 (a fork of " +
    "remotion-dev/remotion: pricing.Tier_2, 'Keep pricing and tiers up to date from here - " +
    "https://cloud.google.com/run/pricing'; 3rd-party)",
};

/**
 * Cloud Run in asia-southeast1, a Tier 2 region (RUN_LOCATIONS, Google's page). Google's pricing page copies were cut
 * off before the Tier 2 table, so: request-based vCPU and memory rates from a 3rd-party copy of it (unconfirmed); no
 * request fee, no instance-based rate and no L4 price, all left out, so those lines are "unknown". The free tier "is
 * applied as a spending based discount using Tier 1 pricing" (cloud.google.com/run/pricing): in a Tier 2 region it
 * covers the Tier 1 value of the allowance at the Tier 2 rate, so the request-based allowances are derived units.
 */
const TIER_2_RATES: Source = {
  asOf: RUN_TIER_2_3RD_PARTY.asOf,
  source: `${RUN_TIER_2_3RD_PARTY.source}; the region's tier: ${RUN_LOCATIONS.source}`,
};
const TIER2_VCPU_SECOND = 0.0000336;
const TIER2_GIB_SECOND = 0.0000035;
const ASIA_SOUTHEAST1_CLOUD_RUN: RegionPrices["cloudRun"] = {
  requestBased: {
    vcpuSecond: fig(TIER2_VCPU_SECOND, "USD/vCPU-second", TIER_2_RATES, {
      unconfirmed: true,
      note: "Tier 2, 3rd-party only: the Google pricing page copies were cut off before the Tier 2 table",
    }),
    gibSecond: fig(TIER2_GIB_SECOND, "USD/GiB-second", TIER_2_RATES, {
      unconfirmed: true,
      note: "Tier 2, 3rd-party only: the Google pricing page copies were cut off before the Tier 2 table",
    }),
  },
  instanceBased: {},
  freeTier: {
    requestBased: {
      vcpuSeconds: fig((180_000 * 0.000024) / TIER2_VCPU_SECOND, "vCPU-seconds/month", RUN_PRICING, {
        unconfirmed: true,
        note:
          "derived: 180,000 vCPU-s × $0.000024 (Tier 1) / $0.0000336 (Tier 2, 3rd-party), the free tier being a " +
          "spending discount at Tier 1 prices; per billing account",
      }),
      gibSeconds: fig((360_000 * 0.0000025) / TIER2_GIB_SECOND, "GiB-seconds/month", RUN_PRICING, {
        unconfirmed: true,
        note:
          "derived: 360,000 GiB-s × $0.0000025 (Tier 1, 3rd-party) / $0.0000035 (Tier 2, 3rd-party), the free tier " +
          "being a spending discount at Tier 1 prices; per billing account",
      }),
      requests: fig(2_000_000, "requests/month", RUN_PRICING, { note: "per billing account, all regions" }),
    },
    instanceBased: {
      vcpuSeconds: fig(240_000, "vCPU-seconds/month", RUN_FREE_TIER_3RD_PARTY, {
        unconfirmed: true,
        note:
          "the Tier 1 allowance; in this Tier 2 region it covers fewer units, which cannot be derived without the " +
          "Tier 2 instance-based rate (not found, so the lines it would discount are unknown)",
      }),
      gibSeconds: fig(450_000, "GiB-seconds/month", RUN_FREE_TIER_3RD_PARTY, {
        unconfirmed: true,
        note: "the Tier 1 allowance; see the vCPU-seconds note",
      }),
    },
  },
};

/**
 * asia-southeast1. Compute from pricing.yml's own asia-southeast1 rows; the GKE fee, Cloud NAT (pricing.yml agrees:
 * gateway $0.0448/h, data $0.045/GiB, in-use IP $0.005/h in asia-southeast1) and Artifact Registry are the figures
 * their pages give for every region. No forwarding rule: the regional table did not render and this region's prices
 * differ elsewhere (pricing.yml's VPN tunnel: $0.055/h here, $0.05/h in us-central1), so the global table is not
 * borrowed. No N1 GPUs (skypilot was read for us-central1 only).
 */
const ASIA_SOUTHEAST1: RegionPrices = {
  cloudRun: ASIA_SOUTHEAST1_CLOUD_RUN,
  gke: GKE_ANY_REGION,
  compute: ASIA_SOUTHEAST1_MACHINES,
  n1Gpus: {},
  cloudNat: NAT_ANY_REGION,
  artifactRegistry: AR_ANY_REGION,
  pubsub: PUBSUB_ANY_REGION,
  disks: persistentDisks(0.11, 0.187),
};

/**
 * Price tables by region: us-central1 and every other region where runway offers a GPU (CLOUD_RUN_GPU regions and
 * GPU_ZONES in facts/gpus.ts). Not here: asia-south1 / asia-south2 (invitation-only Cloud Run GPUs, which runway
 * refuses, and no GKE zone data). A figure no source gives is left out of a table, and its line says "unknown" rather
 * than borrow another region's price.
 */
export const PRICES: Readonly<Record<string, RegionPrices>> = {
  "us-central1": US_CENTRAL1,
  "us-east1": tier1Region("us-east1", US_EAST1_MACHINES, persistentDisks(0.1, 0.17)),
  "us-east4": tier1Region("us-east4", US_EAST4_MACHINES, persistentDisks(0.11, 0.187)),
  "us-west1": tier1Region("us-west1", US_WEST1_MACHINES, persistentDisks(0.1, 0.17)),
  "europe-west1": tier1Region("europe-west1", EUROPE_WEST1_MACHINES, persistentDisks(0.1, 0.17)),
  "europe-west4": tier1Region("europe-west4", EUROPE_WEST4_MACHINES, persistentDisks(0.11, 0.187)),
  "asia-southeast1": ASIA_SOUTHEAST1,
};

/** The price table for `region`, or undefined when none is sourced (prices are never guessed from another region). */
export function pricesFor(region: string): RegionPrices | undefined {
  return Object.hasOwn(PRICES, region) ? PRICES[region] : undefined;
}
