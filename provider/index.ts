/**
 * The entry of runway's component package (PulumiPlugin.yaml): the nodejs host serves every ComponentResource class
 * exported here as `runway:index:<Class>`, and reads its args interface with the TypeScript compiler to make the
 * package schema that Python, Go and the other SDKs are generated from (schema.json holds it, checked by
 * test/provider/schema.test.ts). Each wraps one of runway's components (../components) with flat, serializable
 * arguments, and its class name differs from every component's, so no type token is registered twice.
 */
export { Service, type ServiceArgs } from "./service";
export { Cluster, type ClusterArgs, type AuthorizedNetwork } from "./cluster";
export { KubernetesWorkload, type KubernetesWorkloadArgs } from "./kubernetes-workload";
export type { ServiceFields } from "./service-fields";
