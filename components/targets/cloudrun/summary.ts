/** What a plan reviewer sees of the resources a Cloud Run service creates. */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { keySettingsOf, type KeySettings } from "../target";
import { grantText, limitsText } from "../../workload/summary";

/** The path of a push endpoint, which is what the app routes on (the host is the service's own URL). */
function endpointPath(endpoint: string | undefined): string | undefined {
  return endpoint?.replace(/^https?:\/\/[^/]+/, "");
}

export const cloudRunKeySettings: Readonly<Record<string, KeySettings>> = {
  "gcp:cloudrunv2/service:Service": keySettingsOf<pulumi.Unwrap<gcp.cloudrunv2.ServiceArgs>>((i) => {
    const t = i.template as typeof i.template | undefined; // required by the args, still read defensively
    const c = t?.containers?.[0];
    const settings = [`image ${c?.image}`, ...limitsText(c?.resources?.limits)];
    if (t?.nodeSelector?.accelerator) settings.push(`accelerator ${t.nodeSelector.accelerator}`);
    // Sidecars: every container after the ingress one, with its limits and whether the app waits for it.
    const first = new Set(c?.dependsOns ?? []);
    for (const s of t?.containers?.slice(1) ?? []) {
      const l = s.resources?.limits;
      settings.push(
        `sidecar ${s.name} ${l?.cpu} vCPU / ${l?.memory}${first.has(s.name ?? "") ? ", starts first" : ""}`,
      );
    }
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
    settings.push(`revision ${t?.revision}`);
    for (const split of i.traffics ?? []) {
      const to = split.type === "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST" ? "latest (this revision)" : split.revision;
      settings.push(`traffic ${split.percent}% to ${to}${split.tag ? `, tag ${split.tag}` : ""}`);
    }
    return settings;
  }),
  "gcp:pubsub/topic:Topic": keySettingsOf<pulumi.Unwrap<gcp.pubsub.TopicArgs>>((i) => [`topic ${i.name}`]),
  "gcp:pubsub/subscription:Subscription": keySettingsOf<pulumi.Unwrap<gcp.pubsub.SubscriptionArgs>>((i) => {
    const settings = [`subscription ${i.name} of ${i.topic}`];
    const push = i.pushConfig;
    settings.push(
      push ? `push to ${endpointPath(push.pushEndpoint)} as ${push.oidcToken?.serviceAccountEmail}` : "pull",
    );
    if (i.ackDeadlineSeconds !== undefined) settings.push(`ack deadline ${i.ackDeadlineSeconds} s`);
    const retry = i.retryPolicy;
    if (retry) settings.push(`retry backoff ${retry.minimumBackoff}..${retry.maximumBackoff}`);
    const dead = i.deadLetterPolicy;
    if (dead) settings.push(`dead letter after ${dead.maxDeliveryAttempts} attempts to ${dead.deadLetterTopic}`);
    return settings;
  }),
  "gcp:storage/notification:Notification": keySettingsOf<pulumi.Unwrap<gcp.storage.NotificationArgs>>((i) => [
    `bucket ${i.bucket}`,
    `events ${i.eventTypes?.join(", ") ?? "all"}`,
    `to ${i.topic}`,
    `payload ${i.payloadFormat}`,
  ]),
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": keySettingsOf(grantText),
  "gcp:serviceaccount/iAMMember:IAMMember": keySettingsOf(grantText),
  "gcp:pubsub/topicIAMMember:TopicIAMMember": keySettingsOf(grantText),
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": keySettingsOf(grantText),
};
