/** What a plan reviewer sees of the resources a Cloud Run service creates. */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { keySettingsOf, type KeySettings } from "../target";
import { limitsText } from "../../workload/summary";

export const cloudRunKeySettings: Readonly<Record<string, KeySettings>> = {
  "gcp:cloudrunv2/service:Service": keySettingsOf<pulumi.Unwrap<gcp.cloudrunv2.ServiceArgs>>((i) => {
    const t = i.template as typeof i.template | undefined; // required by the args, still read defensively
    const c = t?.containers?.[0];
    const settings = [`image ${c?.image}`, ...limitsText(c?.resources?.limits)];
    if (t?.nodeSelector?.accelerator) settings.push(`accelerator ${t.nodeSelector.accelerator}`);
    settings.push(
      `instances ${t?.scaling?.minInstanceCount}..${t?.scaling?.maxInstanceCount}`,
      `concurrency ${t?.maxInstanceRequestConcurrency}`,
    );
    settings.push(
      c?.resources?.cpuIdle ? "request-based billing" : "instance-based billing",
      `ingress ${i.ingress}`,
      `deletion protection ${i.deletionProtection}`,
    );
    if (i.invokerIamDisabled) settings.push("invoker IAM check disabled (PUBLIC)");
    return settings;
  }),
};
