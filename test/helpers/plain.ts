/** Builders' results read as the plain values tests give them. */
import * as pulumi from "@pulumi/pulumi";

/**
 * An Input-typed value as the plain data it serializes to: each Output or Promise replaced by what it holds, and a
 * property whose value is undefined left out (JSON has no undefined). Unlike pulumi.Unwrap, whose optional properties
 * become `?: T | undefined` (@pulumi/kubernetes declares many as `Input<T | undefined>`), an optional property is
 * then only optional, so under exactOptionalPropertyTypes the result fits kubernetes-models' types.
 */
export type Plain<T> =
  T extends pulumi.OutputInstance<infer U>
    ? Plain<U>
    : T extends Promise<infer U>
      ? Plain<U>
      : T extends string | number | boolean | bigint | symbol | null | undefined
        ? T
        : T extends readonly (infer E)[]
          ? Plain<E>[]
          : T extends object
            ? { [K in keyof T]: Exclude<Plain<T[K]>, undefined> }
            : T;

function assertPlain(value: unknown, path: string): void {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) {
    throw new Error(`${path} is an Output or a Promise, not a plain value`);
  }
  if (Array.isArray(value)) value.forEach((item, i) => assertPlain(item, `${path}[${i}]`));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) assertPlain(item, `${path}.${key}`);
  }
}

/**
 * `value` with its Inputs typed as the plain values they are, for a test that looks inside what a builder
 * returns; throws if one of them is an Output or a Promise, which only the engine resolves.
 */
export function plain<T>(value: T): Plain<T> {
  assertPlain(value, "value");
  return value as Plain<T>;
}
