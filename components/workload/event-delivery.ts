/**
 * The Pub/Sub side of event delivery, the same on both targets (the contract: workload/events.ts): the dead-letter
 * topic, per storage event a runway-owned topic and the bucket's notification to it, and per event a subscription with
 * the ack deadline, retry and dead-letter policy. Cloud Run's subscriptions push (cloudrun/events.ts); GKE's are pulled
 * by its forwarder (gke/events.ts).
 *
 * Names carry the delivery (`<physicalName>-push-…`, `-pull-…`): switching target creates the new target's resources
 * before deleting the old ones, and one name on both would collide ("already exists"). During the switch both receive
 * the events; what the old subscription still holds is dropped with it, which the plan refuses without
 * runway:allowDataLoss (tools/plan/data-safety.ts).
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { EventConfig } from "../config/state-schema";
import {
  ackDeadlineSeconds,
  deadLetterTopicName,
  eventId,
  MAX_DELIVERY_ATTEMPTS,
  notificationEventTypes,
  NOTIFICATION_PAYLOAD_FORMAT,
  pubsubServiceAgent,
  RETRY_POLICY,
  storageTopicName,
  subscriptionName,
  topicName,
} from "./events";

export type Delivery = "push" | "pull";

/** The base of a delivery's Pub/Sub names. */
export function deliveryBase(physicalName: string, delivery: Delivery): string {
  return `${physicalName}-${delivery}`;
}

export interface EventSubscriptionsArgs {
  readonly project: string;
  readonly physicalName: string;
  readonly delivery: Delivery;
  readonly events: readonly EventConfig[];
  readonly timeoutSeconds: number;
  readonly projectNumber: pulumi.Input<string>;
  /** The APIs the resources need (pubsub and, with a storage event, storage). */
  readonly apis: pulumi.Resource[];
  /** A push subscription's endpoint and token, for push delivery. */
  readonly pushConfig?: (event: EventConfig) => gcp.types.input.pubsub.SubscriptionPushConfig;
  /** What must exist before the first delivery (a refused one counts as an attempt). */
  readonly deliveryDependsOn?: pulumi.Resource[];
}

export interface EventSubscription {
  readonly event: EventConfig;
  readonly id: string;
  readonly subscription: gcp.pubsub.Subscription;
}

export interface EventSubscriptions {
  readonly subscriptions: EventSubscription[];
  /** The Pub/Sub service agent's grants that dead-lettering needs: whoever delivers should wait for them. */
  readonly deadLetterGrants: pulumi.Resource[];
}

/**
 * A topic's full name from the resource, so what uses it waits for the topic (its id would be the same text, but the
 * provider's id is not what a stand-in runtime computes).
 */
function fullName(topic: gcp.pubsub.Topic): pulumi.Output<string> {
  return pulumi.interpolate`projects/${topic.project}/topics/${topic.name}`;
}

/**
 * Subscriptions expire after 31 days without activity unless told otherwise ("If expiration_policy is not set, a
 * default policy with ttl of 31 days will be used", Subscription.expirationPolicy); a quiet topic must not lose its
 * subscription, so none expires (ttl "" in the provider: "the associated resource never expires").
 */
const NEVER_EXPIRES = { ttl: "" };

/** The subscriptions that deliver `events`, with their topics and grants, as children of `parent` named after `name`. */
export function eventSubscriptions(
  parent: pulumi.Resource,
  name: string,
  args: EventSubscriptionsArgs,
): EventSubscriptions {
  const { project, apis } = args;
  const base = deliveryBase(args.physicalName, args.delivery);
  const pubsubAgent = pulumi.output(args.projectNumber).apply(pubsubServiceAgent);

  // The Pub/Sub service agent "must have permission to Publish() to this topic … messages published to a topic with no
  // subscriptions are lost" (DeadLetterPolicy.deadLetterTopic), hence the publisher grant and the pull subscription.
  const deadLetter = new gcp.pubsub.Topic(
    `${name}-dead-letter`,
    { project, name: deadLetterTopicName(base) },
    { parent, dependsOn: apis },
  );
  const deadLetterPublisher = new gcp.pubsub.TopicIAMMember(
    `${name}-dead-letter-publisher`,
    { project, topic: deadLetter.name, role: "roles/pubsub.publisher", member: pubsubAgent },
    { parent, dependsOn: apis },
  );
  new gcp.pubsub.Subscription(
    `${name}-dead-letter-sub`,
    { project, name: deadLetterTopicName(base), topic: fullName(deadLetter), expirationPolicy: NEVER_EXPIRES },
    { parent, dependsOn: apis },
  );

  // Looked up once, and only for a storage event.
  let storageAgent: pulumi.Output<string> | undefined;
  const storageAgentMember = () =>
    (storageAgent ??= gcp.storage
      .getProjectServiceAccountOutput({ project }, { parent })
      .apply((agent) => `serviceAccount:${agent.emailAddress}`));

  const deadLetterGrants: pulumi.Resource[] = [deadLetterPublisher];
  const subscriptions = args.events.map((event) => {
    const id = eventId(event);
    let topic: pulumi.Input<string>;
    if (event.source === "storage") {
      const own = new gcp.pubsub.Topic(
        `${name}-${id}-topic`,
        { project, name: storageTopicName(base, event) },
        { parent, dependsOn: apis },
      );
      // "a special Google Cloud Storage service account unique to the project must exist and have the IAM permission
      // projects.topics.publish" (gcp.storage.Notification); the data source also creates that account.
      const publisher = new gcp.pubsub.TopicIAMMember(
        `${name}-${id}-storage-publisher`,
        { project, topic: own.name, role: "roles/pubsub.publisher", member: storageAgentMember() },
        { parent, dependsOn: apis },
      );
      new gcp.storage.Notification(
        `${name}-${id}-notification`,
        {
          bucket: event.bucket,
          topic: fullName(own),
          payloadFormat: NOTIFICATION_PAYLOAD_FORMAT,
          eventTypes: notificationEventTypes(event.types),
        },
        { parent, dependsOn: [...apis, publisher] },
      );
      topic = fullName(own);
    } else {
      topic = topicName(event.topic, project);
    }
    // Without a pushConfig "the subscriber will pull and ack messages using API methods" (@pulumi/gcp 9.37.0
    // pubsub.Subscription pushConfig).
    const subscription = new gcp.pubsub.Subscription(
      `${name}-${id}`,
      {
        project,
        name: subscriptionName(base, event),
        topic,
        ackDeadlineSeconds: ackDeadlineSeconds(args.timeoutSeconds),
        retryPolicy: { ...RETRY_POLICY },
        deadLetterPolicy: { deadLetterTopic: fullName(deadLetter), maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS },
        expirationPolicy: NEVER_EXPIRES,
        ...(args.pushConfig && { pushConfig: args.pushConfig(event) }),
      },
      { parent, dependsOn: [...apis, deadLetterPublisher, ...(args.deliveryDependsOn ?? [])] },
    );
    // The agent acknowledges what it forwards to the dead-letter topic, so it subscribes to the source subscription
    // (https://cloud.google.com/pubsub/docs/dead-letter-topics, "Grant the roles required").
    deadLetterGrants.push(
      new gcp.pubsub.SubscriptionIAMMember(
        `${name}-${id}-subscriber`,
        { project, subscription: subscription.name, role: "roles/pubsub.subscriber", member: pubsubAgent },
        { parent, dependsOn: apis },
      ),
    );
    return { event, id, subscription };
  });
  return { subscriptions, deadLetterGrants };
}
