/** Plan text shared by the targets' summaries. */

/** "cpu 1", "memory 512Mi" and, with one, "gpu 1": a container's limits on either target. */
export function limitsText(limits: Readonly<Record<string, string>> | undefined): string[] {
  if (!limits) return [];
  const gpu = limits["nvidia.com/gpu"];
  return [`cpu ${limits.cpu}`, `memory ${limits.memory}`, ...(gpu ? [`gpu ${gpu}`] : [])];
}

/** The inputs every IAM member resource has, whatever it grants on. */
export interface GrantInputs {
  readonly role?: string;
  readonly member?: string;
}

/** "role → member", with a public member called out. */
export function grantText(i: GrantInputs): string[] {
  return [`${i.role} → ${i.member === "allUsers" ? "allUsers (PUBLIC)" : i.member}`];
}
