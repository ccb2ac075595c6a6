/**
 * Nothing that holds data is left behind without an explicit opt-in. A `disk` volume's data lives in the disks of
 * one StatefulSet in one namespace of one cluster; a change of target, of the names those come from, or removing the
 * volume moves the service away from it. The disks stay (their StorageClass retains them), but the service no
 * longer sees them, so the plan, which alone sees the previous config beside the next, refuses such a change unless
 * runway:allowDataLoss is true.
 */
import type { Problem, ValidatedConfig } from "../../components/config/validate";

/** The disk volumes' names of a config. */
function diskVolumes(config: ValidatedConfig): string[] {
  return Object.entries(config.runway.service.volumes)
    .filter(([, volume]) => volume.kind === "disk")
    .map(([name]) => name)
    .sort();
}

/** The namespace a GKE config's objects live in: runway:gke.namespace, else the service's name. */
function namespaceOf(config: ValidatedConfig): string | undefined {
  return config.decision.target === "gke" ? config.decision.settings.namespace : undefined;
}

/** True when the config runs the service as a StatefulSet: on GKE, with a disk volume. */
function statefulSet(config: ValidatedConfig): boolean {
  return config.decision.target === "gke" && diskVolumes(config).length > 0;
}

/**
 * What the change replaces that a reviewer should know before `pulumi up`: a Deployment that becomes a StatefulSet
 * (or back) is a new workload object, so every pod is replaced, not rolled.
 */
export function replacements(previous: ValidatedConfig | undefined, next: ValidatedConfig): string[] {
  if (!previous || previous.decision.target !== "gke" || next.decision.target !== "gke") return [];
  const before = statefulSet(previous);
  const after = statefulSet(next);
  if (before === after) return [];
  return [
    after
      ? "the Deployment becomes a StatefulSet (a disk volume): every pod is replaced at once, not rolled, and each replica gets its own new disk"
      : "the StatefulSet becomes a Deployment (no disk volume left): every pod is replaced at once, and the disks are kept but no longer mounted",
  ];
}

/**
 * A target switch replaces the event subscriptions (push on Cloud Run, pull on GKE: workload/event-delivery.ts), and
 * what the old ones still hold goes with them.
 */
function eventBacklogProblems(previous: ValidatedConfig, next: ValidatedConfig): Problem[] {
  const events = previous.runway.service.events.length;
  if (events === 0 || previous.decision.target === next.decision.target) return [];
  return [
    {
      path: "runway:target",
      message: `changes from ${previous.decision.target} to ${next.decision.target}, which replaces the ${events} event subscription${events === 1 ? "" : "s"} and drops the messages they still hold; set runway:allowDataLoss: true to go ahead`,
    },
  ];
}

export function dataSafetyProblems(previous: ValidatedConfig | undefined, next: ValidatedConfig): Problem[] {
  if (!previous || next.runway.allowDataLoss) return [];
  const backlog = eventBacklogProblems(previous, next);
  if (backlog.length > 0) return [...backlog, ...diskProblems(previous, next)];
  return diskProblems(previous, next);
}

function diskProblems(previous: ValidatedConfig, next: ValidatedConfig): Problem[] {
  const disks = diskVolumes(previous);
  if (disks.length === 0) return [];
  const held = `the disk volume${disks.length === 1 ? "" : "s"} ${disks.join(", ")}`;
  const optIn = "set runway:allowDataLoss: true to go ahead (the disks are kept, but the service no longer uses them)";
  const moves: [string, string, string][] = [
    ["runway:target", previous.decision.target, next.decision.target],
    ["runway:service.name", previous.runway.service.name, next.runway.service.name],
    ["runway:physicalName", previous.physicalName, next.physicalName],
    ["runway:gke.namespace", namespaceOf(previous) ?? "", namespaceOf(next) ?? ""],
  ];
  const problems: Problem[] = moves
    .filter(([key, before, after]) => before !== after && !(key === "runway:gke.namespace" && after === ""))
    .map(([path, before, after]) => ({
      path,
      message: `changes from ${before} to ${after}, which leaves ${held} behind; ${optIn}`,
    }));
  const kept = new Set(diskVolumes(next));
  for (const name of disks.filter((d) => !kept.has(d))) {
    problems.push({
      path: `runway:service.volumes.${name}`,
      message: `is a disk volume in the previous config and is gone (or no longer a disk) here, which leaves its data behind; ${optIn}`,
    });
  }
  return problems;
}
