/**
 * Custom resources checked against their CRD's OpenAPI schema, vendored in test/schemas/ from the upstream chart at
 * the version runway pins (each file's header names its source commit). Ajv validates the storage version's
 * `openAPIV3Schema`; Kubernetes-only keywords (x-kubernetes-*, CEL rules) are not evaluated.
 */
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

/** The resource types a vendored CRD covers. */
export function hasCrdSchema(type: string): boolean {
  return CRDS.has(type);
}

/** Throws with every schema error when `object` does not match its CRD. */
export function validateCustomResource(type: string, object: unknown): void {
  const validate = CRDS.get(type);
  if (!validate) throw new Error(`no vendored CRD for ${type}`);
  if (!validate(object)) throw new Error(`${type}: ${ajv.errorsText(validate.errors)}`);
}
