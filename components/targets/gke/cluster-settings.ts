import { refuse } from "../../config/component-args";
import type { GkeInput, ServiceInput } from "../../config/schema";
import { validateWorkload } from "../../config/validate";
import type { ResolvedGke } from "./sizing";

/**
 * GKE settings for a GpuCluster sized for `service`, from runway:gke-style input: the same schema, rules and
 * defaults as a stack with `target: gke`; refuses with every problem.
 */
export function clusterSettings(service: ServiceInput, gke: GkeInput | undefined, region: string): ResolvedGke {
  const result = validateWorkload({ target: "gke", service, gke, region });
  // A caller outside TypeScript may pass any name; the problems then say what is wrong with it.
  const { name } = service as { name?: unknown };
  if (!result.ok) refuse("clusterSettings", typeof name === "string" ? name : "", result.problems);
  if (result.decision.target !== "gke") throw new Error("unreachable: an explicit gke target decides gke");
  return result.decision.settings;
}
