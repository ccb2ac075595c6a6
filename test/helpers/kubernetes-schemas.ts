/**
 * Upstream Kubernetes OpenAPI validation of the objects a program registers. kubernetes-models' validators
 * are generated from the Kubernetes OpenAPI spec: they check types, required fields, enums and formats but
 * allow unknown fields, which the @pulumi/kubernetes typings rule out at compile time. CRDs (the
 * SecretProviderClass) have no upstream schema and are checked by hand in their own tests.
 */
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import type { Inventory } from "../../tools/mock-runtime";

const VALIDATORS: Record<string, (inputs: any) => { validate(): void }> = {
  "kubernetes:core/v1:Namespace": (i) => new Namespace(i),
  "kubernetes:core/v1:ServiceAccount": (i) => new ServiceAccount(i),
  "kubernetes:core/v1:Service": (i) => new Service(i),
  "kubernetes:apps/v1:Deployment": (i) => new Deployment(i),
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": (i) => new HorizontalPodAutoscaler(i),
  "kubernetes:policy/v1:PodDisruptionBudget": (i) => new PodDisruptionBudget(i),
};

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
      const model = VALIDATORS[r.type];
      if (!model) throw new Error(`no upstream schema check for ${r.type}`);
      try {
        model(r.inputs).validate();
      } catch (error) {
        throw new Error(`${r.type} ${r.name}: ${(error as Error).message}`);
      }
      return r.type;
    });
}
