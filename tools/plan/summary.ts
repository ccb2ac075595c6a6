/**
 * What a reviewer wants to see of a plan: the resource tree (type and name, nested by parent) with the few
 * settings that matter per resource — image, cpu/memory/GPU, scaling, who can reach it, deletion protection.
 */
import type { Inventory, Registration } from "../mock-runtime";

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly settings: readonly string[];
  readonly children: readonly PlannedResource[];
}

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- provider inputs are untyped JSON

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Secret values stay hidden in a plan, as in `pulumi preview`. */
function plain(value: unknown): unknown {
  return value && typeof value === "object" && SECRET_SIG in value ? "[secret]" : value;
}

function limitsText(limits: Inputs | undefined): string[] {
  if (!limits) return [];
  const gpu = limits["nvidia.com/gpu"];
  return [`cpu ${limits.cpu}`, `memory ${limits.memory}`, ...(gpu ? [`gpu ${gpu}`] : [])];
}

/** The settings worth a reviewer's attention, by resource type. */
export function keySettings(resource: Registration): string[] {
  const i = resource.inputs as Inputs;
  const settings: string[] = [];
  switch (resource.type) {
    case "docker:index/image:Image":
      settings.push(`builds ${i.build?.context} (${i.build?.dockerfile}) for ${i.build?.platform}`, `pushes ${i.imageName}`);
      break;
    case "gcp:artifactregistry/repository:Repository":
      settings.push(`${i.format} in ${i.location}`, `keeps ${i.cleanupPolicies?.[0]?.mostRecentVersions?.keepCount} recent versions`);
      break;
    case "gcp:cloudrunv2/service:Service": {
      const t = i.template ?? {};
      const c = t.containers?.[0] ?? {};
      settings.push(`image ${c.image}`, ...limitsText(c.resources?.limits));
      if (t.nodeSelector?.accelerator) settings.push(`accelerator ${t.nodeSelector.accelerator}`);
      settings.push(`instances ${t.scaling?.minInstanceCount}..${t.scaling?.maxInstanceCount}`, `concurrency ${t.maxInstanceRequestConcurrency}`);
      settings.push(c.resources?.cpuIdle ? "request-based billing" : "instance-based billing", `ingress ${i.ingress}`, `deletion protection ${i.deletionProtection}`);
      break;
    }
    case "gcp:cloudrunv2/serviceIamMember:ServiceIamMember":
    case "gcp:projects/iAMMember:IAMMember":
    case "gcp:secretmanager/secretIamMember:SecretIamMember":
    case "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember":
    case "gcp:serviceaccount/iAMMember:IAMMember":
      settings.push(`${i.role} → ${i.member === "allUsers" ? "allUsers (PUBLIC)" : i.member}`);
      break;
    case "gcp:projects/service:Service":
      settings.push(`enables ${i.service}`);
      break;
    case "gcp:container/cluster:Cluster":
      settings.push(`location ${i.location}`, `release channel ${i.releaseChannel?.channel}`, `private nodes ${i.privateClusterConfig?.enablePrivateNodes ?? false}`, `deletion protection ${i.deletionProtection}`);
      break;
    case "gcp:container/nodePool:NodePool": {
      const n = i.nodeConfig ?? {};
      const accelerators = (n.guestAccelerators ?? []).map((a: Inputs) => `${a.count}× ${a.type}`);
      const scaling = i.autoscaling ? `nodes ${i.autoscaling.minNodeCount}..${i.autoscaling.maxNodeCount} per zone` : `nodes ${i.nodeCount} per zone`;
      settings.push(`${n.machineType}${accelerators.length ? ` with ${accelerators.join(", ")}` : ""}`, scaling, n.spot ? "spot" : "on-demand");
      break;
    }
    case "kubernetes:apps/v1:Deployment": {
      const c = i.spec?.template?.spec?.containers?.[0] ?? {};
      settings.push(`image ${c.image}`, ...limitsText(c.resources?.limits));
      break;
    }
    case "kubernetes:core/v1:Service": {
      const internal = i.metadata?.annotations?.["networking.gke.io/load-balancer-type"] === "Internal";
      settings.push(`${i.spec?.type}${i.spec?.type === "LoadBalancer" ? (internal ? " (internal)" : " (external, PUBLIC)") : ""}`);
      break;
    }
    case "kubernetes:autoscaling/v2:HorizontalPodAutoscaler":
      settings.push(`replicas ${i.spec?.minReplicas}..${i.spec?.maxReplicas}`);
      break;
  }
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

/** The tree as indented text, two spaces per level, settings after a dash. */
export function treeText(nodes: readonly PlannedResource[], depth = 0): string[] {
  return nodes.flatMap((node) => [
    `${"  ".repeat(depth)}${node.type} ${node.name}${node.settings.length ? ` — ${node.settings.join("; ")}` : ""}`,
    ...treeText(node.children, depth + 1),
  ]);
}
