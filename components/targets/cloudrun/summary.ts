/** What a plan reviewer sees of the resources a Cloud Run service creates. */
import type { Inputs } from "../target";
import { grantText, limitsText } from "../../workload/summary";

export const cloudRunKeySettings: Readonly<Record<string, (inputs: Inputs) => string[]>> = {
  "gcp:cloudrunv2/service:Service": (i) => {
    const t = i.template ?? {};
    const c = t.containers?.[0] ?? {};
    const settings = [`image ${c.image}`, ...limitsText(c.resources?.limits)];
    if (t.nodeSelector?.accelerator) settings.push(`accelerator ${t.nodeSelector.accelerator}`);
    settings.push(
      `instances ${t.scaling?.minInstanceCount}..${t.scaling?.maxInstanceCount}`,
      `concurrency ${t.maxInstanceRequestConcurrency}`,
    );
    settings.push(
      c.resources?.cpuIdle ? "request-based billing" : "instance-based billing",
      `ingress ${i.ingress}`,
      `deletion protection ${i.deletionProtection}`,
    );
    return settings;
  },
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": grantText,
};
