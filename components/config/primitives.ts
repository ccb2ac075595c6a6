/** The zod building blocks the config schemas share: numbers, switches, quantities and paths with runway's messages. */
import { z } from "zod";
import { memoryMiB } from "./quantities";

export const int = (what: string) => z.number({ error: `must be ${what}` }).int({ error: `must be ${what}` });
export const bool = () => z.boolean({ error: "must be true or false" });

export const memory = z
  .string({ error: 'must be a quantity such as "512Mi" or "4Gi"' })
  .refine((value) => (memoryMiB(value) ?? 0) > 0, { error: 'must be a quantity such as "512Mi" or "4Gi"' });

export function httpPath(example: string) {
  return z
    .string({ error: `must be an absolute HTTP path such as "${example}"` })
    .regex(/^\/\S*$/, { error: `must be an absolute HTTP path such as "${example}"` });
}

/** An absolute file-system path inside the container, for a volume's mount. */
export const mountPath = z
  .string({ error: 'must be an absolute path such as "/data"' })
  .regex(/^\/[^\s:]*$/, { error: 'must be an absolute path such as "/data", without spaces or ":"' });
