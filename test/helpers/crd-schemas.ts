/**
 * Custom resources checked against their CRD's OpenAPI schema, vendored in test/schemas/ from the upstream chart at
 * the version runway pins (each file's header names its source commit). Ajv validates the storage version's
 * `openAPIV3Schema`; Kubernetes-only keywords (x-kubernetes-*, CEL rules) are not evaluated.
 *
 * GKE's ComputeClass comes with a published model instead: @kubernetes-models/gke 4.6.2 (pinned devDependency; 4.6.x
 * is its last CommonJS line, 5.0.0 is ESM only), whose validator is generated from the computeclasses.cloud.google.com
 * CRD as dumped from a GKE cluster (tommy351/kubernetes-models-ts third-party/gke/crd/computeclasses.yaml, added in
 * 30506b9 for 4.6.0). It has autoscalingPolicy.consolidationDelayMinutes with its 1..1440 bounds.
 */
import { ComputeClass } from "@kubernetes-models/gke/cloud.google.com/v1/ComputeClass";
import Ajv, { type ValidateFunction } from "ajv";
import * as fs from "node:fs";
import * as path from "node:path";
import { load as parseYaml } from "js-yaml";

interface CrdVersion {
  readonly name: string;
  readonly storage: boolean;
  readonly schema: { readonly openAPIV3Schema: object };
}
interface Crd {
  readonly spec: { readonly group: string; readonly names: { readonly kind: string }; readonly versions: CrdVersion[] };
}

const SCHEMA_DIR = path.join(__dirname, "..", "schemas");
const ajv = new Ajv({ strict: false, allErrors: true });

function loadCrds(): Map<string, ValidateFunction> {
  const validators = new Map<string, ValidateFunction>();
  for (const folder of fs.readdirSync(SCHEMA_DIR)) {
    for (const file of fs.readdirSync(path.join(SCHEMA_DIR, folder))) {
      const crd = parseYaml(fs.readFileSync(path.join(SCHEMA_DIR, folder, file), "utf8")) as Crd;
      for (const version of crd.spec.versions) {
        const key = `kubernetes:${crd.spec.group}/${version.name}:${crd.spec.names.kind}`;
        validators.set(key, ajv.compile(version.schema.openAPIV3Schema));
      }
    }
  }
  return validators;
}

const CRDS = loadCrds();

/** Custom resources checked by a published model's validator (see above): type → validate-or-throw. */
const MODELS: Readonly<Record<string, (object: unknown) => void>> = {
  "kubernetes:cloud.google.com/v1:ComputeClass": (object) =>
    new ComputeClass(object as ConstructorParameters<typeof ComputeClass>[0]).validate(),
};

/** The resource types a vendored CRD or a published model covers. */
export function hasCrdSchema(type: string): boolean {
  return CRDS.has(type) || Object.hasOwn(MODELS, type);
}

/** Throws with every schema error when `object` does not match its CRD. */
export function validateCustomResource(type: string, object: unknown): void {
  const model = Object.hasOwn(MODELS, type) ? MODELS[type] : undefined;
  if (model) return model(object);
  const validate = CRDS.get(type);
  if (!validate) throw new Error(`no vendored CRD for ${type}`);
  if (!validate(object)) throw new Error(`${type}: ${ajv.errorsText(validate.errors)}`);
}
