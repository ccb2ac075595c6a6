/**
 * What a reviewer wants to see of a plan: the resource tree (type and name, nested by parent) with the few
 * settings that matter per resource — image, cpu/memory/GPU, scaling, who can reach it, deletion protection.
 */
import type * as docker from "@pulumi/docker";
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { keySettingsOf, targetKeySettings, type KeySettings } from "../../components/targets";
import { grantText } from "../../components/workload/summary";
import type { Inventory, Registration } from "../mock-runtime";

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

/** The tree as indented text, two spaces per level, settings after a dash. */
export function treeText(nodes: readonly PlannedResource[], depth = 0): string[] {
  return nodes.flatMap((node) => [
    `${"  ".repeat(depth)}${node.type} ${node.name}${node.settings.length ? ` — ${node.settings.join("; ")}` : ""}`,
    ...treeText(node.children, depth + 1),
  ]);
}
