import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

// Cloud Logging's agent on Cloud Run and GKE parses JSON lines on stdout and
// lifts these field names into the LogEntry, so one line = one structured entry.
// https://cloud.google.com/logging/docs/structured-logging
export type Severity = "DEBUG" | "INFO" | "NOTICE" | "WARNING" | "ERROR" | "CRITICAL";

export interface Trace {
  traceId: string;
  spanId: string | undefined;
  sampled: boolean;
}

export function log(severity: Severity, message: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ severity, message, time: new Date().toISOString(), ...fields })}\n`);
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const CLOUD_TRACE_CONTEXT = /^([0-9a-fA-F]{32})(?:\/(\d{1,20}))?(?:;o=([0-9]+))?$/;
const ALL_ZERO = /^0+$/;
const MAX_UINT64 = (1n << 64n) - 1n;

export function parseTraceparent(value: string): Trace | undefined {
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === "ff" || ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

export function parseCloudTraceContext(value: string): Trace | undefined {
  const match = CLOUD_TRACE_CONTEXT.exec(value.trim());
  if (!match) return undefined;
  const [, traceId, decimalSpan, option] = match;
  if (traceId === undefined || ALL_ZERO.test(traceId)) return undefined;
  // This header carries the span id in decimal, but Cloud Logging wants the
  // 16-hex-digit form that traceparent uses.
  let spanId: string | undefined;
  if (decimalSpan !== undefined) {
    const span = BigInt(decimalSpan);
    if (span > 0n && span <= MAX_UINT64) spanId = span.toString(16).padStart(16, "0");
  }
  return { traceId: traceId.toLowerCase(), spanId, sampled: option === "1" };
}

function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// The W3C header wins when both are present: it is the standard that Cloud Run's
// front end and OpenTelemetry clients agree on.
export function traceFromHeaders(headers: IncomingHttpHeaders): Trace | undefined {
  const traceparent = firstHeader(headers, "traceparent");
  const fromW3c = traceparent === undefined ? undefined : parseTraceparent(traceparent);
  if (fromW3c) return fromW3c;
  const cloud = firstHeader(headers, "x-cloud-trace-context");
  return cloud === undefined ? undefined : parseCloudTraceContext(cloud);
}

function traceFields(trace: Trace | undefined, project: string | undefined): Record<string, unknown> {
  if (!trace) return {};
  return {
    // Only the full resource name links the entry to Cloud Trace; the bare id is
    // still useful for grepping when the project is unknown.
    "logging.googleapis.com/trace": project ? `projects/${project}/traces/${trace.traceId}` : trace.traceId,
    "logging.googleapis.com/spanId": trace.spanId,
    "logging.googleapis.com/trace_sampled": trace.sampled,
  };
}

export function formatLatency(nanoseconds: bigint): string {
  return `${(Number(nanoseconds) / 1e9).toFixed(9)}s`;
}

// For logs only, never for access control: the left-most X-Forwarded-For hop is
// whatever the client claims, appended to by Google's front end.
function clientIp(req: IncomingMessage): string | undefined {
  const forwarded = firstHeader(req.headers, "x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || req.socket.remoteAddress;
}

function requestUrl(req: IncomingMessage): string {
  const proto = firstHeader(req.headers, "x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  const host = req.headers.host ?? "localhost";
  return `${proto}://${host}${req.url ?? ""}`;
}

export interface RequestOutcome {
  status: number;
  responseSize: number;
  latencyNs: bigint;
  completed: boolean;
}

export function logRequest(req: IncomingMessage, outcome: RequestOutcome, project: string | undefined): void {
  const severity: Severity =
    !outcome.completed || outcome.status >= 500 ? "ERROR" : outcome.status >= 400 ? "WARNING" : "INFO";
  const method = req.method ?? "-";
  const path = req.url ?? "";
  const message = outcome.completed
    ? `${method} ${path} ${outcome.status}`
    : `${method} ${path} connection closed before the response was sent`;
  log(severity, message, {
    httpRequest: {
      requestMethod: method,
      requestUrl: requestUrl(req),
      status: outcome.status,
      // LogEntry encodes int64 fields as decimal strings in JSON.
      responseSize: String(outcome.responseSize),
      userAgent: req.headers["user-agent"],
      remoteIp: clientIp(req),
      referer: req.headers.referer,
      latency: formatLatency(outcome.latencyNs),
      protocol: `HTTP/${req.httpVersion}`,
    },
    ...traceFields(traceFromHeaders(req.headers), project),
  });
}
