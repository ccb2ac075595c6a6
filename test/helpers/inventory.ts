/** Small queries over a mock-runtime inventory, so tests read as statements about the plan. */
import type * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IService } from "kubernetes-models/v1/Service";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import assert from "node:assert/strict";
import type { Inventory, Registration } from "../../tools/mock-runtime";

/**
 * The inputs of a resource type as the engine receives them: plain values (Outputs resolved), keyed as in the
 * resource's args, so a GCP resource's are its args unwrapped and a Kubernetes object's are the object itself.
 * Secret values arrive wrapped (see isSecretValue), whatever the type says.
 */
export interface InputsByType {
  "gcp:cloudrunv2/service:Service": pulumi.Unwrap<gcp.cloudrunv2.ServiceArgs>;
  "gcp:container/cluster:Cluster": pulumi.Unwrap<gcp.container.ClusterArgs>;
  "gcp:container/nodePool:NodePool": pulumi.Unwrap<gcp.container.NodePoolArgs>;
  "kubernetes:apps/v1:Deployment": IDeployment;

  "kubernetes:core/v1:Namespace": INamespace;
  "kubernetes:core/v1:Service": IService;
  "kubernetes:core/v1:ServiceAccount": IServiceAccount;
  "kubernetes:policy/v1:PodDisruptionBudget": IPodDisruptionBudget;
  /** KEDA's ScaledObject (its CRD is vendored in test/schemas/keda/): the fields tests read. */
  "kubernetes:keda.sh/v1alpha1:ScaledObject": {
    readonly spec?: { readonly minReplicaCount?: number; readonly maxReplicaCount?: number };
  };
  /** A CRD of the Secrets Store CSI driver, without an upstream schema: the fields runway sets. */
  "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass": {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata?: IDeployment["metadata"];
    readonly spec?: { readonly provider?: string; readonly parameters?: Readonly<Record<string, string>> };
  };
}

/** The metadata of a Kubernetes object's registration, of whatever kind; throws for anything else. */
export function metadataOf(registration: Registration): IDeployment["metadata"] {
  if (!registration.type.startsWith("kubernetes:")) throw new Error(`${registration.type} is not a Kubernetes object`);
  return registration.inputs.metadata as IDeployment["metadata"];
}

/** The inputs of `registration`, typed as its resource type takes them; throws if it is of another type. */
export function inputsOf<T extends keyof InputsByType>(registration: Registration, type: T): InputsByType[T] {
  if (registration.type !== type) throw new Error(`${registration.type} ${registration.name} is not a ${type}`);
  return registration.inputs as InputsByType[T];
}

/** The inputs of the one resource of `type` named `name` (see find and inputsOf). */
export function findInputs<T extends keyof InputsByType>(inventory: Inventory, type: T, name: string): InputsByType[T] {
  return inputsOf(find(inventory, type, name), type);
}

/** "type name" of every resource but the root stack, in registration-independent (sorted) order. */
export function listing(inventory: Inventory): string[] {
  return inventory.resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => `${r.type} ${r.name}`)
    .sort();
}

export function find(inventory: Inventory, type: string, name: string): Registration {
  const found = inventory.resources.filter((r) => r.type === type && r.name === name);
  const [only] = found;
  if (found.length !== 1 || !only) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return only;
}

/** The "type name" of the resource a URN names. */
export function describeUrn(inventory: Inventory, urn: string | undefined): string | undefined {
  const resource = inventory.resources.find((r) => r.urn === urn);
  return resource && `${resource.type} ${resource.name}`;
}

export function parentOf(inventory: Inventory, resource: Registration): string | undefined {
  return describeUrn(inventory, resource.parent);
}

/**
 * Asserts a component's tree: each of `resources` is a child of `component` ("type name"), except the project APIs,
 * which are children of the component's ProjectApis, itself a child of `component`.
 */
export function assertChildrenOf(inventory: Inventory, component: string, resources: readonly Registration[]): void {
  const [, name] = component.split(" ");
  if (name === undefined) throw new Error(`expected "type name", got ${component}`);
  const apis = find(inventory, "runway:index:ProjectApis", name);
  for (const r of resources) {
    const parent = r.type === "gcp:projects/service:Service" ? `${apis.type} ${apis.name}` : component;
    assert.equal(parentOf(inventory, r), parent, r.name);
  }
  assert.equal(parentOf(inventory, apis), component);
}

export function dependenciesOf(inventory: Inventory, resource: Registration): string[] {
  return resource.dependencies.map((urn) => describeUrn(inventory, urn) ?? urn).sort();
}

/** Secret values arrive as { 4dabf18193072939515e22adb298388d: "1b47061264138c4ac30d75fd1eb44270", value }. */
export function isSecretValue(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270"
  );
}
