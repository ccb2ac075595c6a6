/** Plan text shared by the targets' summaries. */
import type { Inputs } from "../targets/target";

/** "cpu 1", "memory 512Mi" and, with one, "gpu 1": a container's limits on either target. */
export function limitsText(limits: Inputs | undefined): string[] {
  if (!limits) return [];
  const gpu = limits["nvidia.com/gpu"];
  return [`cpu ${limits.cpu}`, `memory ${limits.memory}`, ...(gpu ? [`gpu ${gpu}`] : [])];
}

/** "role → member", with a public member called out. */
export function grantText(i: Inputs): string[] {
  return [`${i.role} → ${i.member === "allUsers" ? "allUsers (PUBLIC)" : i.member}`];
}
