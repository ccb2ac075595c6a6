/**
 * Event delivery on GKE (the contract: components/workload/events.ts). Pub/Sub pushes only to a public HTTPS
 * endpoint, and a runway service on GKE has none (a plain-HTTP load balancer, internal unless service.public, in
 * front of a private cluster), so each event gets a PULL subscription, and
 * a forwarder (forwarder/) in the service's namespace turns each pulled message into the push request the app gets on
 * Cloud Run: POST `path` with the push envelope, 2xx acknowledges, anything else is a NACK that Pub/Sub retries with
 * the subscription's retry policy and counts towards dead-lettering. The forwarder sends its requests through the KEDA
 * interceptor with the load balancer's address as Host, so they take the route clients take: the interceptor holds
 * them while the app scales from zero, counts them for scaling, and the app keeps scaling to zero.
 */
import * as path from "node:path";
import * as docker from "@pulumi/docker";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../../config/problem";
import type { ServiceConfig } from "../../config/schema";
import type { EventConfig } from "../../config/state-schema";
import { buildArgs } from "../../image/artifact-image";
import { DRAIN_MARGIN_SECONDS } from "../../workload/contract";
import { deliveryBase, eventSubscriptions } from "../../workload/event-delivery";
import { ackDeadlineSeconds, subscriptionName } from "../../workload/events";
import type { RepositoryRef } from "../../workload/image-pull";
import { dockerHost, serviceAccountId } from "../../workload/naming";
import { KEDA_NAMESPACE } from "./keda";
import { FORWARDER_RESOURCES } from "./sizing";
import { RESTRICTED_IDS, workloadIdentityMember } from "./workload-spec";

/** forwarder/ at the package root: three levels up from this module, in the source (components/) and in dist/. */
const FORWARDER_DIR = path.join(__dirname, "..", "..", "..", "forwarder");

/**
 * The forwarder's build context, relative to the Pulumi project (the program's working directory), as the app's
 * context is: the path is among the image's inputs, and an absolute one would differ, hence diff, on every machine.
 */
export function forwarderContext(): string {
  return path.relative(process.cwd(), FORWARDER_DIR);
}

/**
 * The interceptor's proxy Service, which the forwarder sends to: the chart names it
 * `{{ .Chart.Name }}-{{ .Values.interceptor.proxy.service }}` on port `.Values.interceptor.proxy.port`
 * (kedacore/charts http-add-on/templates/interceptor/service-proxy.yaml, port name `proxy`, keda.ts's
 * INTERCEPTOR_PROXY_PORT), and values.yaml sets `interceptor-proxy` and 8080. runway sets neither (keda.ts
 * httpAddOnChartArgs), so the chart's defaults hold. Read in the chart's stored versions, not at the pinned c4b92e9:
 * one to check on the first real deployment.
 */
export const INTERCEPTOR_PROXY = { service: "keda-add-ons-http-interceptor-proxy", port: 8080 } as const;

/** The name of the forwarder's Kubernetes objects (Deployment, service account) and of its pods' selector label. */
export function forwarderName(service: ServiceConfig): string {
  return `${service.name}-forwarder`;
}

/**
 * The forwarder's labels: the service's, and a name of its own, so that none of the app's selectors (Service,
 * PodDisruptionBudget, the interceptor's NetworkPolicy: workload-spec.ts selectorLabels) picks its pod.
 */
export function forwarderLabels(service: ServiceConfig): Record<string, string> {
  return { ...service.labels, "app.kubernetes.io/name": forwarderName(service) };
}

/** The full name of an event's subscription, as the forwarder pulls it and as the push envelope names it. */
export function subscriptionPath(project: string, physicalName: string, event: EventConfig): string {
  return `projects/${project}/subscriptions/${subscriptionName(deliveryBase(physicalName, "pull"), event)}`;
}

/** One entry of the forwarder's FORWARD variable (forwarder/forwarder.mjs). */
export interface ForwardTarget {
  readonly subscription: string;
  readonly url: string;
  readonly host: string;
}

/** Every event's subscription, delivered to its path through the interceptor with the route's Host. */
export function forwardTargets(
  service: ServiceConfig,
  project: string,
  physicalName: string,
  host: string,
): ForwardTarget[] {
  const proxy = `http://${INTERCEPTOR_PROXY.service}.${KEDA_NAMESPACE}:${INTERCEPTOR_PROXY.port}`;
  return service.events.map((event) => ({
    subscription: subscriptionPath(project, physicalName, event),
    url: `${proxy}${event.path}`,
    host,
  }));
}

/**
 * Where events cannot be delivered on GKE a component can tell: the forwarder's image goes into the app image's
 * Artifact Registry repository, which the nodes already read, so the image must name one (the timing rules are
 * rules.ts eventDeliveryProblems, on the stack path too).
 */
export function gkeEventProblems(service: ServiceConfig, repository: RepositoryRef | undefined): Problem[] {
  if (service.events.length === 0) return [];
  const problems: Problem[] = [];
  if (!repository) {
    problems.push({
      path: "service.events",
      message:
        "on GKE need the image in an Artifact Registry repository (LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/…): the event forwarder's image is pushed there",
    });
  }
  return problems;
}

/**
 * The forwarder's Kubernetes service account, acting as its own GCP account through Workload Identity (the
 * `iam.gke.io/gcp-service-account` annotation, as the app's: workload-spec.ts serviceAccountArgs); no API token is
 * mounted, the forwarder never calls the Kubernetes API.
 */
export function forwarderServiceAccountArgs(
  service: ServiceConfig,
  namespace: pulumi.Input<string>,
  gcpServiceAccountEmail: pulumi.Input<string>,
): k8s.core.v1.ServiceAccountArgs {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: forwarderName(service),
      namespace,
      labels: forwarderLabels(service),
      annotations: { "iam.gke.io/gcp-service-account": gcpServiceAccountEmail },
    },
    automountServiceAccountToken: false,
  };
}

export interface ForwarderDeploymentInput {
  readonly service: ServiceConfig;
  readonly namespace: pulumi.Input<string>;
  /** The forwarder's image, by digest. */
  readonly image: pulumi.Input<string>;
  /** FORWARD: the JSON list of forwardTargets. */
  readonly forward: pulumi.Input<string>;
}

/**
 * One forwarder pod, always on: a pull subscription is served only while something pulls, and scaling the forwarder
 * on the backlog would need KEDA's Pub/Sub scaler and Monitoring access for a pod this small. It runs on the system
 * pool (no selector: the other pools are tainted, workload-spec.ts gpuScheduling), hardened as the app's pods are under
 * "restricted" (workload-spec.ts deploymentArgs), whatever runway:gke.podSecurity says, since its image runs as 65532.
 * A rollout surges one pod before the old one goes, and two pulling at once only share the messages. The grace
 * period covers a delivery that has just started (bounded by the ack deadline) and its acknowledgement.
 */
export function forwarderDeploymentArgs(input: ForwarderDeploymentInput): k8s.apps.v1.DeploymentArgs {
  const { service } = input;
  const name = forwarderName(service);
  const labels = forwarderLabels(service);
  const deadline = ackDeadlineSeconds(service.timeoutSeconds);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: input.namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: deadline + DRAIN_MARGIN_SECONDS,
          securityContext: { runAsNonRoot: true, ...RESTRICTED_IDS, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "forwarder",
              image: input.image,
              env: [
                { name: "ACK_DEADLINE_SECONDS", value: String(deadline) },
                { name: "FORWARD", value: input.forward },
              ],
              resources: { requests: { ...FORWARDER_RESOURCES }, limits: { ...FORWARDER_RESOURCES } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
              },
            },
          ],
        },
      },
    },
  };
}

export interface KubernetesEventsArgs {
  readonly project: string;
  readonly physicalName: string;
  readonly service: ServiceConfig;
  readonly namespace: pulumi.Input<string>;
  /** The app image's repository, where the forwarder's image goes. */
  readonly repository: RepositoryRef;
  /** The Host values of the route with all the traffic: the load balancer's address (workload-spec.ts serviceHosts). */
  readonly hosts: pulumi.Output<string[]>;
  readonly provider: k8s.Provider;
  /** The project's enabled APIs (pubsub, iam and, with a storage event, storage). */
  readonly apis: pulumi.Resource[];
  /** What must exist before a delivery can succeed: the routes the interceptor matches the Host against. */
  readonly routes: pulumi.Resource[];
}

/**
 * The resources that deliver the service's events on GKE, as children of `parent`, named after `name`. The Pub/Sub
 * side is the Cloud Run side's (cloudrun/events.ts cloudRunEvents) with the same names, but subscriptions without a
 * pushConfig: the dead-letter topic, the Pub/Sub service agent's publisher grant on it and a subscription that keeps
 * its messages; per storage event a runway-owned topic, the Cloud Storage service agent's publisher grant and the
 * bucket's notification; per event a subscription and the agent's subscriber grant on it. Then the forwarder: its
 * GCP account, subscriber on each subscription only, its Kubernetes account bound to it, its image and Deployment.
 */
export function kubernetesEvents(parent: pulumi.Resource, name: string, args: KubernetesEventsArgs): void {
  const { project, physicalName, service, apis } = args;
  const { number } = gcp.organizations.getProjectOutput({ projectId: project }, { parent });

  const forwarderAccount = new gcp.serviceaccount.Account(
    `${name}-forwarder-sa`,
    {
      project,
      accountId: serviceAccountId(physicalName, "fwd"),
      displayName: `Pub/Sub forwarder of GKE service ${physicalName} (runway)`,
    },
    { parent, dependsOn: apis },
  );
  const forwarderMember = pulumi.interpolate`serviceAccount:${forwarderAccount.email}`;

  const { subscriptions, deadLetterGrants } = eventSubscriptions(parent, name, {
    project,
    physicalName,
    delivery: "pull",
    events: service.events,
    timeoutSeconds: service.timeoutSeconds,
    projectNumber: number,
    apis,
  });
  // Pull, acknowledge and modifyAckDeadline need pubsub.subscriptions.consume, which roles/pubsub.subscriber holds
  // (https://cloud.google.com/pubsub/docs/access-control); on these subscriptions only.
  const forwarderGrants = subscriptions.map(
    ({ id, subscription }) =>
      new gcp.pubsub.SubscriptionIAMMember(
        `${name}-${id}-forwarder`,
        { project, subscription: subscription.name, role: "roles/pubsub.subscriber", member: forwarderMember },
        { parent, dependsOn: apis },
      ),
  );

  const k8sOpts = { parent, provider: args.provider };
  const ksa = new k8s.core.v1.ServiceAccount(
    `${name}-forwarder-ksa`,
    forwarderServiceAccountArgs(service, args.namespace, forwarderAccount.email),
    k8sOpts,
  );
  const workloadIdentity = new gcp.serviceaccount.IAMMember(
    `${name}-forwarder-workload-identity`,
    {
      serviceAccountId: pulumi.interpolate`projects/${project}/serviceAccounts/${forwarderAccount.email}`,
      role: "roles/iam.workloadIdentityUser",
      member: pulumi
        .all([args.namespace, ksa.metadata.name])
        .apply(([ns, ksaName]) => workloadIdentityMember(project, ns, ksaName)),
    },
    { parent },
  );

  // Built and pushed as the app's image is (image/artifact-image.ts buildArgs: linux/amd64, a short-lived token), into
  // the repository the nodes already read for the app's image, and run by digest.
  const { repository } = args;
  const server = dockerHost(repository.location);
  const image = new docker.Image(
    `${name}-forwarder-image`,
    buildArgs(
      { context: forwarderContext() },
      pulumi.interpolate`${server}/${repository.project}/${repository.name}/${physicalName}-forwarder:latest`,
      pulumi.secret(gcp.organizations.getClientConfigOutput({ parent }).accessToken),
      server,
    ),
    { parent, dependsOn: apis },
  );

  const forward = args.hosts.apply((hosts) => {
    const [host] = hosts;
    if (!host) throw new Error(`${name}: the load balancer has no address for the event forwarder's Host`);
    return JSON.stringify(forwardTargets(service, project, physicalName, host));
  });
  // Started once it can act as its account, pull every subscription, and each delivery finds its route; without the
  // grants or the route the first deliveries fail and count as attempts towards dead-lettering.
  new k8s.apps.v1.Deployment(
    `${name}-forwarder`,
    forwarderDeploymentArgs({ service, namespace: args.namespace, image: image.repoDigest, forward }),
    { ...k8sOpts, dependsOn: [...forwarderGrants, ...deadLetterGrants, ksa, workloadIdentity, ...args.routes] },
  );
}
