/**
 * What a reviewer wants to see of a plan: the resource tree (what each resource is, its type token and name,
 * nested by parent) with the few settings that matter per resource — image, cpu/memory/GPU, scaling, who can reach
 * it, deletion protection.
 */
import type * as docker from "@pulumi/docker";
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { keySettingsOf, targetKeySettings, type KeySettings } from "../../components/targets";
import { grantText } from "../../components/workload/summary";
import type { Inventory, Registration } from "../mock-runtime";
import { columns, fit, shortDigests, wrap, WIDTH } from "./text";

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly settings: readonly string[];
  readonly children: readonly PlannedResource[];
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Secret values stay hidden in a plan, as in `pulumi preview`. */
function plain(value: unknown): unknown {
  return value && typeof value === "object" && SECRET_SIG in value ? "[secret]" : value;
}

/** The key settings of the resource types every stack has, whatever its target. */
const SHARED_KEY_SETTINGS: Readonly<Record<string, KeySettings>> = {
  "docker:index/image:Image": keySettingsOf<pulumi.Unwrap<docker.ImageArgs>>((i) => [
    `builds ${i.build?.context} (${i.build?.dockerfile}) for ${i.build?.platform}`,
    `pushes ${i.imageName}`,
  ]),
  "gcp:artifactregistry/repository:Repository": keySettingsOf<pulumi.Unwrap<gcp.artifactregistry.RepositoryArgs>>(
    (i) => [
      `${i.format} in ${i.location}`,
      `keeps ${i.cleanupPolicies?.[0]?.mostRecentVersions?.keepCount} recent versions`,
    ],
  ),
  "gcp:projects/iAMMember:IAMMember": keySettingsOf(grantText),
  "gcp:secretmanager/secretIamMember:SecretIamMember": keySettingsOf(grantText),
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": keySettingsOf(grantText),
  "gcp:projects/service:Service": keySettingsOf<pulumi.Unwrap<gcp.projects.ServiceArgs>>((i) => [
    `enables ${i.service}`,
  ]),
};

/** The settings worth a reviewer's attention: the shared resource types here, each target's in its folder. */
export function keySettings(resource: Registration): string[] {
  const shared = Object.hasOwn(SHARED_KEY_SETTINGS, resource.type) ? SHARED_KEY_SETTINGS[resource.type] : undefined;
  const settings = shared ? shared(resource.inputs) : (targetKeySettings(resource.type, resource.inputs) ?? []);
  if (resource.protect) settings.push("protected from pulumi destroy");
  return settings.map((s) => String(plain(s)));
}

/** The registrations as a tree under the root stack. */
export function resourceTree(inventory: Inventory): PlannedResource[] {
  const byParent = new Map<string | undefined, Registration[]>();
  for (const r of inventory.resources) byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
  const build = (r: Registration): PlannedResource => ({
    type: r.type,
    name: r.name,
    settings: keySettings(r),
    children: (byParent.get(r.urn) ?? []).map(build),
  });
  const root = inventory.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  return (byParent.get(root?.urn) ?? []).map(build);
}

/** What each type the stacks create is, in words, for the reader who does not know the tokens. */
export const TYPE_NAMES: Readonly<Record<string, string>> = {
  "runway:index:ProjectApis": "Project APIs",
  "runway:index:ArtifactImage": "Image and registry",
  "runway:index:ContainerService": "Container service",
  "runway:index:CloudRunService": "Cloud Run target",
  "runway:index:GpuCluster": "GKE cluster group",
  "runway:index:KubernetesService": "GKE workload",
  "gcp:projects/service:Service": "API",
  "gcp:projects/iAMMember:IAMMember": "Project IAM grant",
  "gcp:artifactregistry/repository:Repository": "Artifact Registry repository",
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": "Repository IAM grant",
  "gcp:secretmanager/secretIamMember:SecretIamMember": "Secret IAM grant",
  "gcp:serviceaccount/account:Account": "Service account",
  "gcp:serviceaccount/iAMMember:IAMMember": "Service account IAM grant",
  "gcp:cloudrunv2/service:Service": "Cloud Run service",
  "gcp:compute/network:Network": "VPC network",
  "gcp:compute/subnetwork:Subnetwork": "Subnet",
  "gcp:compute/router:Router": "Cloud Router",
  "gcp:compute/routerNat:RouterNat": "Cloud NAT",
  "gcp:container/cluster:Cluster": "GKE cluster",
  "gcp:container/nodePool:NodePool": "GKE node pool",
  "docker:index/image:Image": "Image build and push",
  "pulumi:providers:kubernetes": "Kubernetes provider",
  "kubernetes:core/v1:Namespace": "Namespace",
  "kubernetes:core/v1:ServiceAccount": "Kubernetes service account",
  "kubernetes:core/v1:Service": "Kubernetes Service",
  "kubernetes:apps/v1:Deployment": "Deployment",
  "kubernetes:policy/v1:PodDisruptionBudget": "Pod disruption budget",
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": "Network policy",
  "kubernetes:helm.sh/v4:Chart": "Helm chart",
  "kubernetes:cloud.google.com/v1:ComputeClass": "GKE compute class",
  "kubernetes:keda.sh/v1alpha1:ScaledObject": "KEDA scaler",
  "kubernetes:http.keda.sh/v1beta1:InterceptorRoute": "KEDA HTTP route",
  "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass": "Secret mount class",
  "kubernetes:apps/v1:StatefulSet": "StatefulSet",
  "kubernetes:storage.k8s.io/v1:StorageClass": "Storage class",
  "gcp:pubsub/topic:Topic": "Pub/Sub topic",
  "gcp:pubsub/subscription:Subscription": "Pub/Sub subscription",
  "gcp:pubsub/topicIAMMember:TopicIAMMember": "Topic IAM grant",
  "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": "Subscription IAM grant",
  "gcp:storage/notification:Notification": "Bucket notification",
  "gcp:storage/bucketIAMMember:BucketIAMMember": "Bucket IAM grant",
  "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": "Cloud Run IAM grant",
  "gcp:gkebackup/backupPlan:BackupPlan": "Backup plan",
};

/** A type in words: from the table, else its token's last part ("kubernetes:batch/v1:Job" → "Job"). */
export function typeName(type: string): string {
  if (Object.hasOwn(TYPE_NAMES, type)) return TYPE_NAMES[type] ?? type;
  return type.split(":").at(-1) ?? type;
}

/** Every resource of the tree, nested ones included. */
export function resourceCount(nodes: readonly PlannedResource[]): number {
  return nodes.reduce((count, node) => count + 1 + resourceCount(node.children), 0);
}

export interface TreeTextOptions {
  /** Full settings, wrapped; otherwise a setting longer than a line is shortened. */
  readonly verbose?: boolean;
}

/**
 * One resource as lines: "Cloud Run service (gcp:cloudrunv2/service:Service) echo-service — settings" when that fits
 * in WIDTH columns, else the settings below it, packed into lines and indented two levels deeper.
 */
function resourceLines(node: PlannedResource, depth: number, options: TreeTextOptions): string[] {
  const indent = "  ".repeat(depth);
  const head = `${indent}${typeName(node.type)} (${node.type}) ${node.name}`;
  const settings = options.verbose ? node.settings : node.settings.map(shortDigests);
  const oneLine = `${head}${settings.length ? ` — ${settings.join("; ")}` : ""}`;
  if (columns(oneLine) <= WIDTH) return [oneLine];
  const below = `${indent}    `;
  if (options.verbose) return [fit(head), ...settings.flatMap((setting) => wrap(setting, `${below}· `, `${below}  `))];
  const lines = [fit(head)];
  let line = "";
  for (const setting of settings.map((s) => fit(s, WIDTH - columns(below)))) {
    if (line && columns(`${line}; ${setting}`) <= WIDTH) line += `; ${setting}`;
    else {
      if (line) lines.push(line);
      line = below + setting;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The tree as indented text, two spaces per level, settings after a dash or below; no line over WIDTH columns. */
export function treeText(nodes: readonly PlannedResource[], depth = 0, options: TreeTextOptions = {}): string[] {
  return nodes.flatMap((node) => [
    ...resourceLines(node, depth, options),
    ...treeText(node.children, depth + 1, options),
  ]);
}
