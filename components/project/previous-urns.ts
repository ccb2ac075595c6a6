import * as pulumi from "@pulumi/pulumi";

/**
 * Where runway 0.1 registered each API: as a child of the component that needed it. ProjectApis aliases
 * its resources to these parents, so a stack deployed with 0.1 keeps every API's state.
 */
export function apiParentsBefore(name: string): Record<string, pulumi.Output<string>[]> {
  const image = pulumi.createUrn(name, "runway:index:ArtifactImage");
  const facade = pulumi.createUrn(name, "runway:index:ContainerService");
  const run = pulumi.createUrn(name, "runway:index:CloudRunService", facade);
  const cluster = pulumi.createUrn(name, "runway:index:GpuCluster", facade);
  const workload = pulumi.createUrn(name, "runway:index:KubernetesService", facade);
  return {
    "artifactregistry.googleapis.com": [image],
    "containerscanning.googleapis.com": [image],
    "run.googleapis.com": [run],
    // A stack is on one target at a time, so at most one parent of each list exists in its state. GKE stacks
    // also had a second iam resource under KubernetesService; it is not aliased and leaves the state on the
    // next `pulumi up`, which disables nothing (disableOnDestroy is false).
    "iam.googleapis.com": [run, cluster],
    "secretmanager.googleapis.com": [run, workload],
    "container.googleapis.com": [cluster],
    "compute.googleapis.com": [cluster],
  };
}
