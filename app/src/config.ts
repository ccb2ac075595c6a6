export interface Config {
  port: number;
  bodyLimitBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  shutdownDeadlineMs: number;
  googleCloudProject: string | undefined;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: Env): Config {
  const config: Config = {
    // PORT=0 lets tests and benchmarks ask the kernel for a free port.
    port: integer(env, "PORT", 8080, 0, 65535),
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", 1024 * 1024, 0, 1024 * 1024 * 1024),
    headersTimeoutMs: integer(env, "HEADERS_TIMEOUT_MS", 10_000, 1, 3_600_000),
    requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", 30_000, 1, 3_600_000),
    // A Google Cloud load balancer (GKE Ingress/Gateway) keeps backend connections
    // open for 600 s; if Node closed them first the LB could reuse a dying socket
    // and answer 502, so the backend must be the one that outlives the other.
    keepAliveTimeoutMs: integer(env, "KEEP_ALIVE_TIMEOUT_MS", 620_000, 1, 3_600_000),
    // Cloud Run sends SIGKILL 10 s after SIGTERM; leave room for logs to flush.
    shutdownDeadlineMs: integer(env, "SHUTDOWN_DEADLINE_MS", 8_000, 1, 3_600_000),
    googleCloudProject: env.GOOGLE_CLOUD_PROJECT?.trim() || undefined,
  };
  // Node requires headersTimeout <= requestTimeout and throws when creating the server otherwise.
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    throw new ConfigError("HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS");
  }
  return config;
}
