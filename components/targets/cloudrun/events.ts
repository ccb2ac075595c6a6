/**
 * Event delivery on Cloud Run (the contract: components/workload/events.ts): one push subscription per event, straight
 * to the service's URL, authenticated by a dedicated invoker account's OIDC token.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { EventConfig } from "../../config/state-schema";
import { eventSubscriptions } from "../../workload/event-delivery";
import { pubsubServiceAgent, pushAccountId } from "../../workload/events";

export interface CloudRunEventsArgs {
  readonly project: string;
  readonly physicalName: string;
  readonly events: readonly EventConfig[];
  readonly timeoutSeconds: number;
  /** The service the events are pushed to. */
  readonly service: gcp.cloudrunv2.Service;
  readonly projectNumber: pulumi.Input<string>;
  /** The APIs the resources need (pubsub, iam and, with a storage event, storage). */
  readonly apis: pulumi.Resource[];
}

/**
 * The resources that deliver `events` to the service, as children of `parent`, named after `name`: the invoker
 * account and its grants, then the Pub/Sub side (workload/event-delivery.ts) with push subscriptions.
 */
export function cloudRunEvents(parent: pulumi.Resource, name: string, args: CloudRunEventsArgs): void {
  const { project, physicalName, service, apis } = args;
  const pubsubAgent = pulumi.output(args.projectNumber).apply(pubsubServiceAgent);

  const pushAccount = new gcp.serviceaccount.Account(
    `${name}-push-sa`,
    {
      project,
      accountId: pushAccountId(physicalName),
      displayName: `Pub/Sub push to Cloud Run service ${physicalName} (runway)`,
    },
    { parent, dependsOn: apis },
  );
  // Invoker on this service only: the account exists to sign push requests to it.
  const invoker = new gcp.cloudrunv2.ServiceIamMember(
    `${name}-push-invoker`,
    {
      project,
      location: service.location,
      name: service.name,
      role: "roles/run.invoker",
      member: pulumi.interpolate`serviceAccount:${pushAccount.email}`,
    },
    { parent, dependsOn: apis },
  );
  // "If the Pub/Sub service agent was created on or before April 8, 2021, and the service account does not have the
  // Cloud Pub/Sub Service Agent role (roles/pubsub.serviceAgent), grant the Service Account Token Creator role"
  // (Eventarc's and Pub/Sub's push setup, https://cloud.google.com/pubsub/docs/create-push-subscription). Granted on
  // the push account only, not the project, and always, since runway cannot tell when the agent was created.
  const tokenCreator = new gcp.serviceaccount.IAMMember(
    `${name}-push-token-creator`,
    {
      serviceAccountId: pulumi.interpolate`projects/${project}/serviceAccounts/${pushAccount.email}`,
      role: "roles/iam.serviceAccountTokenCreator",
      member: pubsubAgent,
    },
    { parent, dependsOn: apis },
  );

  eventSubscriptions(parent, name, {
    project,
    physicalName,
    delivery: "push",
    events: args.events,
    timeoutSeconds: args.timeoutSeconds,
    projectNumber: args.projectNumber,
    apis,
    pushConfig: (event) => ({
      pushEndpoint: pulumi.interpolate`${service.uri}${event.path}`,
      // Cloud Run checks the token's audience against the service's URL, not the endpoint's path.
      oidcToken: { serviceAccountEmail: pushAccount.email, audience: service.uri },
    }),
    // Without the grants the first pushes are refused (401/403) and count as delivery attempts.
    deliveryDependsOn: [invoker, tokenCreator],
  });
}
