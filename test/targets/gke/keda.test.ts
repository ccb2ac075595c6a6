import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceSchema } from "../../../components/config/schema";
import {
  ADDON_REQUESTS,
  SCALER_ADDRESS,
  entryServiceArgs,
  entryServiceName,
  httpAddOnChartArgs,
  interceptorRouteArgs,
  kedaChartArgs,
  scaledObjectArgs,
} from "../../../components/targets/gke/keda";
import { validateCustomResource } from "../../helpers/crd-schemas";

const service = (fields: Record<string, unknown> = {}) => serviceSchema.parse({ name: "echo", ...fields });
const hold = { coldStartSeconds: 1800, coldStartResponse: "hold", scaleDownSeconds: 300 } as const;

describe("KEDA charts", () => {
  it("pins both charts from kedacore's repository into the keda namespace", () => {
    assert.deepEqual(kedaChartArgs("keda"), {
      chart: "keda",
      version: "2.20.2",
      repositoryOpts: { repo: "https://kedacore.github.io/charts" },
      namespace: "keda",
    });
    assert.deepEqual(httpAddOnChartArgs("keda"), {
      name: "keda-add-ons-http",
      chart: "keda-add-ons-http",
      version: "0.15.0",
      repositoryOpts: { repo: "https://kedacore.github.io/charts" },
      namespace: "keda",
      values: {
        operator: {
          replicas: 1,
          resources: { requests: { cpu: "100m", memory: "20Mi" }, limits: { cpu: "500m", memory: "64Mi" } },
        },
        scaler: {
          replicas: 1,
          resources: { requests: { cpu: "100m", memory: "20Mi" }, limits: { cpu: "500m", memory: "64Mi" } },
        },
        interceptor: { replicas: { min: 1, max: 3 } },
      },
    });
  });

  it("requests 750m CPU and 360Mi on the system pool", () => {
    // KEDA: operator, metrics server, webhooks at 100m/100Mi (keda values.yaml @cbb9bb8) = 300m/300Mi;
    // add-on: operator and scaler at 100m/20Mi (runway's values), one interceptor at the chart's 250m/20Mi
    // (http-add-on values.yaml @c4b92e9) = 450m/60Mi.
    assert.deepEqual(ADDON_REQUESTS, { cpuMillis: 750, memoryMiB: 360 });
  });
});

describe("InterceptorRoute", () => {
  const route = (fields: Record<string, unknown>, serving = hold) =>
    interceptorRouteArgs({ service: service(fields), serving, namespace: "echo", hosts: ["10.128.0.10"], labels: {} });

  it("scales on requests in flight per pod and bounds a request by timeoutSeconds", () => {
    assert.deepEqual(route({ concurrency: 4, timeoutSeconds: 7200 }).spec, {
      target: { service: "echo", port: 80 },
      rules: [{ hosts: ["10.128.0.10"] }],
      scalingMetric: { concurrency: { targetValue: 4 } },
      timeouts: { request: "7200s", responseHeader: "7200s", readiness: "1800s" },
    });
  });

  it("answers 503 with Retry-After while warming when asked to", () => {
    const spec = route({}, { ...hold, coldStartResponse: "placeholder" } as never).spec as Record<string, unknown>;
    assert.deepEqual(spec.coldStart, {
      placeholder: {
        response: {
          statusCode: 503,
          headers: { "Retry-After": "30" },
          body: "warming up: the service is starting from zero; retry in 30 s\n",
        },
      },
    });
  });

  it("matches the add-on's InterceptorRoute CRD (v0.15.0)", () => {
    validateCustomResource("kubernetes:http.keda.sh/v1beta1:InterceptorRoute", route({}));
    validateCustomResource(
      "kubernetes:http.keda.sh/v1beta1:InterceptorRoute",
      route({}, { ...hold, coldStartResponse: "placeholder" } as never),
    );
    assert.throws(
      () =>
        validateCustomResource("kubernetes:http.keda.sh/v1beta1:InterceptorRoute", {
          ...route({}),
          spec: { rules: [] },
        }),
      /must have required property 'target'/,
    );
  });
});

describe("ScaledObject", () => {
  const scaled = (fields: Record<string, unknown>) =>
    scaledObjectArgs({ service: service(fields), serving: hold, namespace: "echo", labels: {} });

  it("bounds the pods by minInstances..maxInstances, zero included, from the add-on's push metric", () => {
    assert.deepEqual(scaled({ minInstances: 0, maxInstances: 4 }).spec, {
      scaleTargetRef: { name: "echo" },
      minReplicaCount: 0,
      maxReplicaCount: 4,
      cooldownPeriod: 300,
      triggers: [
        {
          type: "external-push",
          metadata: { scalerAddress: "keda-add-ons-http-external-scaler.keda:9090", interceptorRoute: "echo" },
        },
      ],
    });
    assert.equal(SCALER_ADDRESS, "keda-add-ons-http-external-scaler.keda:9090");
  });

  it("matches KEDA's ScaledObject CRD (v2.20.2)", () => {
    validateCustomResource("kubernetes:keda.sh/v1alpha1:ScaledObject", scaled({}));
    assert.throws(
      () =>
        validateCustomResource("kubernetes:keda.sh/v1alpha1:ScaledObject", {
          ...scaled({}),
          spec: { minReplicaCount: "0" },
        }),
      /must have required property 'scaleTargetRef'/,
    );
  });
});

describe("entry Service", () => {
  it("puts one load balancer per service in front of the interceptor pods", () => {
    assert.equal(entryServiceName(service(), "echo"), "echo-echo");
    assert.deepEqual(entryServiceArgs("echo-echo", { "networking.gke.io/load-balancer-type": "Internal" }, {}).spec, {
      type: "LoadBalancer",
      selector: {
        "app.kubernetes.io/component": "interceptor",
        "app.kubernetes.io/name": "http-add-on",
        "app.kubernetes.io/instance": "keda-add-ons-http",
      },
      ports: [{ name: "http", port: 80, targetPort: "proxy", protocol: "TCP" }],
    });
  });
});
