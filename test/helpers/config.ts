/**
 * Stack config as tests write it — `{ "runway:service": { name: "echo" }, "gcp:region": "us-central1" }` — turned
 * into what Pulumi passes a program, and run through validateConfig.
 */
import assert from "node:assert/strict";
import { validateConfig, type ValidateOptions, type ValidatedConfig } from "../../components/config/validate";

/** Namespaced keys ("runway:service") with scalar or structured values. */
export type Raw = Record<string, unknown>;

/** The flat config Pulumi passes a program: text stays text, structured values are JSON-encoded. */
export function flatConfig(config: Raw): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/**
 * What validateConfig reports for `config`, one "path: message" line a problem; [] when it is valid. Files the
 * config names (the Dockerfile) are read from `options.projectDir`, by default the working directory (the repo).
 */
export function problemsOf(config: Raw, options: ValidateOptions = {}): string[] {
  const result = validateConfig(flatConfig(config), options);
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

/** The validated config of a stack config that must be valid; fails the test with the problems otherwise. */
export function validConfig(config: Raw, options: ValidateOptions = {}): ValidatedConfig {
  const result = validateConfig(flatConfig(config), options);
  assert.ok(result.ok, JSON.stringify(result));
  return result.config;
}
