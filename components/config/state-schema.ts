/**
 * Events and volumes in the service description: what starts work besides HTTP requests, and what the container
 * mounts. Shape rules only; what each target can do with them is in its rules.ts.
 */
import { z } from "zod";
import { bool, httpPath, int, memory, mountPath } from "./primitives";

/**
 * A Pub/Sub topic id: "start with a letter, contain only letters, numbers, dashes, periods, underscores, tildes,
 * percent or plus signs, be 3 to 255 characters, and not begin with goog"
 * (https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names); or a whole `projects/P/topics/T`.
 */
export const TOPIC_PATTERN =
  /^(projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/topics\/)?(?!goog)[A-Za-z][A-Za-z0-9._~%+-]{2,254}$/;

/**
 * A bucket name: 3 to 63 characters of lowercase letters, digits, `-`, `_` and `.`, starting and ending with a letter
 * or digit (https://cloud.google.com/storage/docs/buckets#naming; dotted names up to 222 are left out).
 */
export const BUCKET_PATTERN = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

/** The Cloud Storage object events runway subscribes to, as the config names them. */
export const STORAGE_EVENT_TYPES = ["finalized", "deleted", "archived", "metadataUpdated"] as const;

const eventPath = httpPath("/events")
  .default("/events")
  .meta({ description: "Path the event is POSTed to, on the service's port." });

const pubsubEvent = z.strictObject({
  source: z.literal("pubsub"),
  topic: z
    .string({ error: 'is required: a Pub/Sub topic id such as "orders"' })
    .regex(TOPIC_PATTERN, {
      error:
        'must be a Pub/Sub topic id (a letter, then 2 to 254 letters, digits or -._~%+, not starting with goog) or "projects/PROJECT/topics/TOPIC"',
    })
    .meta({
      description: "The topic: an id in the stack's project, or `projects/P/topics/T`. runway does not create it.",
    }),
  path: eventPath,
});

const storageEvent = z.strictObject({
  source: z.literal("storage"),
  bucket: z
    .string({ error: 'is required: a bucket name such as "uploads"' })
    .regex(BUCKET_PATTERN, {
      error:
        "must be a bucket name: 3 to 63 lowercase letters, digits, -, _ or ., starting and ending with a letter or digit",
    })
    .meta({ description: "The bucket, in the stack's project. runway does not create it." }),
  types: z
    .array(z.enum(STORAGE_EVENT_TYPES, { error: `must be one of ${STORAGE_EVENT_TYPES.join(", ")}` }), {
      error: "must be a list of event types",
    })
    .min(1, { error: "must name at least one event type" })
    .default(["finalized"])
    .meta({ description: `Object events: ${STORAGE_EVENT_TYPES.join(", ")}.` }),
  path: eventPath,
});

export const eventsSchema = z
  .array(
    z.discriminatedUnion("source", [pubsubEvent, storageEvent], {
      error: "must be {source: pubsub, topic, path?} or {source: storage, bucket, types?, path?}",
    }),
    { error: "must be a list of events" },
  )
  .default([])
  .meta({
    description:
      "`{source: pubsub, topic, path?}` or `{source: storage, bucket, types?, path?}`: each event is POSTed to `path` as a Pub/Sub push message; a 2xx reply acknowledges it.",
  });

/** A volume's name: a DNS label on Cloud Run and Kubernetes, like a container's. */
export const VOLUME_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

const mount = mountPath.meta({ description: "Where the container sees the volume." });
const readOnly = bool().default(false).meta({ description: "`true`: mounted read-only." });

const gcsVolume = z.strictObject({
  kind: z.literal("gcs"),
  bucket: z
    .string({ error: 'is required: a bucket name such as "models"' })
    .regex(BUCKET_PATTERN, {
      error:
        "must be a bucket name: 3 to 63 lowercase letters, digits, -, _ or ., starting and ending with a letter or digit",
    })
    .meta({ description: "The bucket, mounted with Cloud Storage FUSE. runway does not create it." }),
  mountPath: mount,
  readOnly,
  mountOptions: z
    .array(z.string({ error: "must be a mount option such as implicit-dirs" }))
    .default([])
    .meta({ description: "Cloud Storage FUSE options, e.g. `implicit-dirs`." }),
});

const memoryVolume = z.strictObject({
  kind: z.literal("memory"),
  size: memory.meta({ description: "Size limit; it counts against the instance's (pod's) memory." }),
  mountPath: mount,
});

const nfsVolume = z.strictObject({
  kind: z.literal("nfs"),
  server: z
    .string({ error: 'is required: the NFS server\'s address such as "10.0.0.2"' })
    .regex(/^[A-Za-z0-9.-]+$/, { error: "must be an IP address or host name" })
    .meta({ description: "The NFS server's IP address or host name, reachable from the service's network." }),
  path: mountPath.meta({ description: "The exported directory on the server." }),
  mountPath: mount,
  readOnly,
});

const secretVolume = z.strictObject({
  kind: z.literal("secret"),
  secret: z
    .string({ error: 'is required: a Secret Manager secret id such as "app-config" or "app-config:3"' })
    .regex(/^[A-Za-z0-9_-]{1,255}(:(latest|[1-9][0-9]*))?$/, {
      error: 'must be a Secret Manager secret id such as "app-config" or "app-config:3"',
    })
    .meta({ description: "Secret Manager secret id, optional `:version` (default latest)." }),
  mountPath: mount,
  file: z
    .string({ error: "must be a file name" })
    .regex(/^[A-Za-z0-9._-]+$/, { error: "must be a file name: letters, digits, ., _ and -" })
    .optional()
    .meta({ description: "The file's name in the mount directory.", defaultText: "the secret id" }),
});

/** Disk classes by what they are, mapped to a StorageClass per machine family on GKE (some take Hyperdisk only). */
export const DISK_CLASSES = ["balanced", "ssd"] as const;

const diskVolume = z.strictObject({
  kind: z.literal("disk"),
  size: memory.meta({ description: "Disk size per replica, e.g. `100Gi`." }),
  mountPath: mount,
  class: z
    .enum(DISK_CLASSES, { error: `must be one of ${DISK_CLASSES.join(", ")}` })
    .default("balanced")
    .meta({
      description:
        "`balanced` or `ssd`; the StorageClass follows the node's machine family (Hyperdisk where only it is supported).",
    }),
  backup: z
    .strictObject({
      schedule: z
        .string({ error: 'must be a cron schedule such as "0 3 * * *"' })
        .regex(/^\S+ \S+ \S+ \S+ \S+$/, { error: 'must be a cron schedule of five fields such as "0 3 * * *"' })
        .meta({ description: "Cron schedule of the backups (Backup for GKE)." }),
      retainDays: int("a whole number of days from 1 to 3650")
        .min(1, { error: "must be from 1 to 3650" })
        .max(3650, { error: "must be from 1 to 3650" })
        .default(30)
        .meta({ description: "Days each backup is kept." }),
    })
    .optional()
    .meta({ description: "`{schedule, retainDays?}`: Backup for GKE of the disks.", defaultText: "none" }),
});

export const volumesSchema = z
  .record(
    z.string().regex(VOLUME_NAME_PATTERN, {
      error: "volume names start with a lowercase letter, use only a-z, 0-9 and -, and have at most 63 characters",
    }),
    z.discriminatedUnion("kind", [gcsVolume, memoryVolume, nfsVolume, secretVolume, diskVolume], {
      error: "must have kind gcs, memory, nfs, secret or disk",
    }),
    { error: "must be a map of volume name to volume" },
  )
  .default({})
  .meta({
    description:
      "Name → `{kind: gcs|memory|nfs|secret|disk, mountPath, …}`: what the app container mounts. `disk` is GKE only (a StatefulSet, one disk per replica).",
  });

export type EventConfig = z.infer<typeof eventsSchema>[number];
export type VolumeConfig = z.infer<typeof volumesSchema>[string];
