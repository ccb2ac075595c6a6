import * as pulumi from "@pulumi/pulumi";
import { formatProblems, validateConfig, type ValidatedConfig } from "./validate";

/**
 * Reads and validates the current stack's config. Invalid config ends the program with the list of
 * problems and no stack trace (RunError), before any resource is registered.
 */
export function loadStackConfig(): ValidatedConfig {
  const result = validateConfig(pulumi.runtime.allConfig(), { stack: pulumi.getStack() });
  if (!result.ok) throw new pulumi.RunError(formatProblems(result.problems));
  return result.config;
}
