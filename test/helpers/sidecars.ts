/** The sidecars both targets' tests deploy: one that starts first with a secret and a probe, one plain. */

/** The app's image, pinned by digest. */
export const IMAGE = `us-central1-docker.pkg.dev/acme-dev/echo/echo@sha256:${"c".repeat(64)}`;
/** Placeholder digests: the tests pin the shape, not real images. */
export const FORWARDER = `docker.io/fluent/fluent-bit@sha256:${"a".repeat(64)}`;
export const PROXY = `gcr.io/cloud-sql-connectors/cloud-sql-proxy@sha256:${"b".repeat(64)}`;

export const SIDECARS = [
  {
    name: "sql-proxy",
    image: PROXY,
    cpu: "0.5",
    memory: "256Mi",
    secrets: { DB_PASSWORD: "db-password:2" },
    startupProbe: { path: "/startup", port: 9090 },
    startsFirst: true,
  },
  { name: "log-forwarder", image: FORWARDER, cpu: "0.25", memory: "128Mi", env: { FLUSH: 5 } },
];
