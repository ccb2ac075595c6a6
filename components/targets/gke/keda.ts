/**
 * Scale to zero on GKE, from the same keys as Cloud Run: KEDA and its HTTP add-on (docs/design.md, "Serving on GKE"
 * says why these and not Knative). The add-on's interceptor holds each request while the Deployment scales from
 * zero, counts requests in flight per pod against `service.concurrency`, and bounds every request by
 * `service.timeoutSeconds`. Pure builders; cluster.ts installs the charts and service.ts creates the objects.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { gkeSchema, type ServiceConfig } from "../../config/schema";
import type { ReleaseName } from "../../workload/release";
import { defaultColdStartSeconds, type ResolvedGke } from "./sizing";

/** Where KEDA's charts come from (https://keda.sh/docs/2.20/deploy/#helm). */
export const KEDA_CHART_REPO = "https://kedacore.github.io/charts";
/** The namespace both charts install into; the add-on's scaler address below names it. */
export const KEDA_NAMESPACE = "keda";

/**
 * Pinned charts. keda 2.20.2 is the chart of kedacore/charts commit cbb9bb8 (2026-07-31, "prepare v2.20.2 release");
 * keda-add-ons-http 0.15.0 that of c4b92e9 (2026-06-15, "release v0.15.0"), whose CRDs test/schemas/keda/ vendors.
 * 0.15.0 had a scale-from-zero regression after long idle (kedacore/http-add-on#1692, closed); README's "verify on
 * the first real deployment" says how to check for a newer chart before the first `pulumi up`.
 */
export const KEDA_CHARTS = {
  keda: { chart: "keda", version: "2.20.2" },
  httpAddOn: { chart: "keda-add-ons-http", version: "0.15.0" },
} as const;

/** The Helm release of the add-on: its interceptor pods carry it as app.kubernetes.io/instance. */
const HTTP_ADD_ON_RELEASE = "keda-add-ons-http";

/**
 * One replica of each add-on component (the chart runs 3 scalers and at least 3 interceptors): the cluster is
 * zonal and runs one or a few services.
 */
const HTTP_ADD_ON_REPLICAS = { operator: 1, scaler: 1, interceptorMin: 1, interceptorMax: 3 } as const;

/**
 * The add-on's operator and scaler request 100m instead of the chart's 250m: they reconcile routes and stream
 * queue lengths, not requests, and the chart's 250m × 2 alone would push the system pool from e2-standard-2 to
 * e2-standard-4 (sizing.ts systemPoolFit). Their limits stay the chart's 0.5 CPU / 64Mi. The interceptor, which
 * carries every request, keeps the chart's 250m/20Mi.
 */
const CONTROLLER_REQUESTS = { cpu: "100m", memory: "20Mi" } as const;
const CHART_LIMITS = { cpu: "500m", memory: "64Mi" } as const;

/**
 * What the two charts request on the system pool, from their values at the pinned commits: KEDA's operator,
 * metrics API server and admission webhooks 100m/100Mi each (keda/values.yaml `resources`); the add-on's
 * operator and scaler 100m/20Mi (above) and its interceptor 250m/20Mi (http-add-on/values.yaml
 * `interceptor.resources.requests`), one replica each here.
 */
export const ADDON_REQUESTS = {
  cpuMillis:
    3 * 100 +
    (HTTP_ADD_ON_REPLICAS.operator + HTTP_ADD_ON_REPLICAS.scaler) * 100 +
    HTTP_ADD_ON_REPLICAS.interceptorMin * 250,
  memoryMiB:
    3 * 100 + (HTTP_ADD_ON_REPLICAS.operator + HTTP_ADD_ON_REPLICAS.scaler + HTTP_ADD_ON_REPLICAS.interceptorMin) * 20,
} as const;

export function kedaChartArgs(namespace: pulumi.Input<string>): k8s.helm.v4.ChartArgs {
  return {
    chart: KEDA_CHARTS.keda.chart,
    version: KEDA_CHARTS.keda.version,
    repositoryOpts: { repo: KEDA_CHART_REPO },
    namespace,
  };
}

export function httpAddOnChartArgs(namespace: pulumi.Input<string>): k8s.helm.v4.ChartArgs {
  return {
    name: HTTP_ADD_ON_RELEASE,
    chart: KEDA_CHARTS.httpAddOn.chart,
    version: KEDA_CHARTS.httpAddOn.version,
    repositoryOpts: { repo: KEDA_CHART_REPO },
    namespace,
    values: {
      operator: {
        replicas: HTTP_ADD_ON_REPLICAS.operator,
        resources: { requests: CONTROLLER_REQUESTS, limits: CHART_LIMITS },
      },
      scaler: {
        replicas: HTTP_ADD_ON_REPLICAS.scaler,
        resources: { requests: CONTROLLER_REQUESTS, limits: CHART_LIMITS },
      },
      interceptor: { replicas: { min: HTTP_ADD_ON_REPLICAS.interceptorMin, max: HTTP_ADD_ON_REPLICAS.interceptorMax } },
    },
  };
}

/** The add-on's external scaler, which ScaledObjects push-subscribe to (http-add-on scaler/service.yaml, port grpc). */
export const SCALER_ADDRESS = `${KEDA_CHARTS.httpAddOn.chart}-external-scaler.${KEDA_NAMESPACE}:9090`;

/** The interceptor pods (http-add-on interceptor/deployment.yaml labels) and their proxy port name. */
export const INTERCEPTOR_SELECTOR = {
  "app.kubernetes.io/component": "interceptor",
  "app.kubernetes.io/name": "http-add-on",
  "app.kubernetes.io/instance": HTTP_ADD_ON_RELEASE,
} as const;
const INTERCEPTOR_PROXY_PORT = "proxy";

/** Kubernetes durations as the add-on reads them ("300s"). */
const seconds = (value: number) => `${value}s`;

/** How a service scales on GKE: the cold-start hold, its response, and the scale-down delay. */
export type ServingSettings = Pick<ResolvedGke, "coldStartSeconds" | "coldStartResponse" | "scaleDownSeconds">;

/** The serving settings of runway:gke's defaults, for a service placed on a cluster runway did not size. */
export function defaultServing(service: ServiceConfig): ServingSettings {
  const { coldStartResponse, scaleDownSeconds } = gkeSchema.parse({});
  return { coldStartSeconds: defaultColdStartSeconds(service), coldStartResponse, scaleDownSeconds };
}

/**
 * The name of a release's objects (Deployment, Service, route, ScaledObject): the candidate's keep the service's name,
 * as before releases existed, so adding a stable image replaces none of them; the stable image's are `<name>-stable`.
 */
export function releaseObjectName(service: ServiceConfig, release: ReleaseName): string {
  return release === "stable" ? `${service.name}-stable` : service.name;
}

export interface InterceptorRouteInput {
  readonly service: ServiceConfig;
  readonly serving: ServingSettings;
  readonly namespace: pulumi.Input<string>;
  /** The release whose Service the route targets. Default: the candidate. */
  readonly release?: ReleaseName;
  /**
   * Host names of the route's first rule: the load balancer's address, as clients send it in Host. Only the release
   * with all the traffic has it. Default: no such rule.
   */
  readonly hosts?: pulumi.Input<pulumi.Input<string>[]>;
  /** Host names of one more rule: the release's tag (`TAG---<address>`). Default: none. */
  readonly tagHosts?: pulumi.Input<pulumi.Input<string>[]>;
  readonly labels: Record<string, string>;
}

/**
 * The route from the interceptor to the service (InterceptorRoute, http.keda.sh/v1beta1, which replaces the
 * deprecated HTTPScaledObject since add-on v0.14.0). `concurrency.targetValue` is the requests in flight per pod
 * KEDA scales for, Cloud Run's `concurrency`; `timeouts.request`/`responseHeader` bound a request like Cloud Run's
 * `timeoutSeconds` (the add-on's defaults: no request deadline, 300 s for headers); `timeouts.readiness` is the
 * cold-start hold. With `coldStartResponse: placeholder` a request that finds no ready pod gets 503 and Retry-After
 * at once instead of waiting.
 */
export function interceptorRouteArgs(input: InterceptorRouteInput): k8s.apiextensions.CustomResourceArgs {
  const { service, serving } = input;
  const placeholder = serving.coldStartResponse === "placeholder";
  const name = releaseObjectName(service, input.release ?? "candidate");
  // One route per release, so its one ScaledObject counts every request that reaches the release, whichever Host.
  const rules = [
    ...(input.hosts ? [{ hosts: input.hosts }] : []),
    ...(input.tagHosts ? [{ hosts: input.tagHosts }] : []),
  ];
  return {
    apiVersion: "http.keda.sh/v1beta1",
    kind: "InterceptorRoute",
    metadata: { name, namespace: input.namespace, labels: input.labels },
    spec: {
      target: { service: name, port: 80 },
      // A release with neither the address nor a tag (a candidate at 0% without candidateTag) keeps its route, so a
      // later deploy that gives it traffic again replaces nothing, but with no rule: `rules` is optional in the CRD
      // (test/schemas/keda/interceptorroutes.http.keda.sh.yaml), which does not say what the interceptor matches for
      // a route without rules. Should it match any Host, exact hosts take priority over wildcards (the CRD's `hosts`
      // doc), so the other release keeps the address and each service on the cluster its own.
      ...(rules.length > 0 && { rules }),
      scalingMetric: { concurrency: { targetValue: service.concurrency } },
      timeouts: {
        request: seconds(service.timeoutSeconds),
        responseHeader: seconds(service.timeoutSeconds),
        readiness: seconds(serving.coldStartSeconds),
      },
      ...(placeholder && {
        coldStart: {
          placeholder: {
            response: {
              statusCode: 503,
              headers: { "Retry-After": "30" },
              body: "warming up: the service is starting from zero; retry in 30 s\n",
            },
          },
        },
      }),
    },
  };
}

export interface ScaledObjectInput {
  readonly service: ServiceConfig;
  readonly serving: ServingSettings;
  readonly namespace: pulumi.Input<string>;
  /** The release whose Deployment and route it scales on. Default: the candidate. */
  readonly release?: ReleaseName;
  readonly labels: Record<string, string>;
  /**
   * A service with disk volumes runs in a StatefulSet (workload-spec.ts statefulSetArgs): KEDA scales "the Kubernetes
   * Deployment or StatefulSet that you want KEDA to scale" ("Scaling Deployments and StatefulSets",
   * https://keda.sh/docs/concepts/scaling-deployments/), named by scaleTargetRef's apiVersion and kind, which the
   * vendored CRD (test/schemas/keda) has beside name; without them the target is a Deployment. Default false: the
   * Deployment's reference stays as it was.
   */
  readonly statefulSet?: boolean;
}

/**
 * The ScaledObject that owns the Deployment's replica count (KEDA creates its HPA): minInstances..maxInstances,
 * from the add-on's push metrics. It must be created after its InterceptorRoute, or KEDA falls back to a CPU metric
 * and never scales up (keda-docs http-add-on user-guide/autoscale-an-app.md); service.ts orders them.
 */
export function scaledObjectArgs(input: ScaledObjectInput): k8s.apiextensions.CustomResourceArgs {
  const { service } = input;
  const name = releaseObjectName(service, input.release ?? "candidate");
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name, namespace: input.namespace, labels: input.labels },
    spec: {
      scaleTargetRef: input.statefulSet ? { apiVersion: "apps/v1", kind: "StatefulSet", name } : { name },
      minReplicaCount: service.minInstances,
      maxReplicaCount: service.maxInstances,
      cooldownPeriod: input.serving.scaleDownSeconds,
      triggers: [{ type: "external-push", metadata: { scalerAddress: SCALER_ADDRESS, interceptorRoute: name } }],
    },
  };
}

/** The entry Service's name in the keda namespace: one per service, so services on one cluster do not collide. */
export function entryServiceName(service: ServiceConfig, namespace: string): string {
  return `${namespace}-${service.name}`.slice(0, 63).replace(/-+$/, "");
}

/**
 * The service's load balancer. Traffic must pass the interceptor, which runs in the keda namespace, so the
 * LoadBalancer selects the interceptor pods; the route above picks the service by Host. A passthrough Network Load
 * Balancer has no request timeout of its own, so nothing in front of the interceptor cuts a long request.
 */
export function entryServiceArgs(
  name: pulumi.Input<string>,
  annotations: Record<string, string>,
  labels: Record<string, string>,
): k8s.core.v1.ServiceArgs {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: KEDA_NAMESPACE, labels, annotations },
    spec: {
      type: "LoadBalancer",
      selector: { ...INTERCEPTOR_SELECTOR },
      ports: [{ name: "http", port: 80, targetPort: INTERCEPTOR_PROXY_PORT, protocol: "TCP" }],
    },
  };
}
