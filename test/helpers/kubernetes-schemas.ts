/**
 * Upstream Kubernetes OpenAPI validation of the objects a program registers. kubernetes-models' validators
 * are generated from the Kubernetes OpenAPI spec: they check types, required fields, enums and formats but
 * allow unknown fields, which the @pulumi/kubernetes typings rule out at compile time. KEDA's custom resources are
 * checked against their vendored CRDs (crd-schemas.ts); the SecretProviderClass has no vendored schema and is
 * checked by hand in its own tests.
 */
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1";
import { Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import type { Inventory } from "../../tools/mock-runtime";
import { hasCrdSchema, validateCustomResource } from "./crd-schemas";

/**
 * The model of `Model` over data that is yet to be checked. The data is what validate() judges, so it is not
 * taken to have the model's type (@pulumi/kubernetes types enums as plain strings, for one).
 */
function unchecked<T>(Model: new (data?: T) => { validate(): void }): (data: unknown) => { validate(): void } {
  return (data) => new Model(data as T);
}

const VALIDATORS: Record<string, (data: unknown) => { validate(): void }> = {
  "kubernetes:core/v1:Namespace": unchecked(Namespace),
  "kubernetes:core/v1:ServiceAccount": unchecked(ServiceAccount),
  "kubernetes:core/v1:Service": unchecked(Service),
  "kubernetes:apps/v1:Deployment": unchecked(Deployment),
  "kubernetes:apps/v1:StatefulSet": unchecked(StatefulSet),
  "kubernetes:storage.k8s.io/v1:StorageClass": unchecked(StorageClass),
  "kubernetes:policy/v1:PodDisruptionBudget": unchecked(PodDisruptionBudget),
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": unchecked(NetworkPolicy),
};

/** Validates one object of resource type `type` (e.g. what a builder returns) against its upstream schema. */
export function validateObject(type: string, object: unknown): void {
  const model = VALIDATORS[type];
  if (!model) throw new Error(`no upstream schema check for ${type}`);
  model(object).validate();
}

/** Kinds without an upstream schema: custom resources. */
const CUSTOM_RESOURCES = new Set(["kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass"]);

/**
 * Validates every Kubernetes object in the inventory (throws on the first invalid one, or on a kind with no
 * validator) and returns the types it checked.
 */
export function validateKubernetesObjects(inventory: Inventory): string[] {
  const objects = inventory.resources.filter(
    (r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers"),
  );
  return objects
    .filter((r) => !CUSTOM_RESOURCES.has(r.type))
    .map((r) => {
      if (hasCrdSchema(r.type)) {
        validateCustomResource(r.type, r.inputs);
        return r.type;
      }
      if (!VALIDATORS[r.type]) throw new Error(`no upstream schema check for ${r.type}`);
      try {
        validateObject(r.type, r.inputs);
      } catch (error) {
        throw new Error(`${r.type} ${r.name}: ${(error as Error).message}`);
      }
      return r.type;
    });
}
