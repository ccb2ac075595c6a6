/**
 * The package schema of runway's component package, inferred offline exactly as the nodejs host infers it for
 * `pulumi package get-schema` / `pulumi package add`: the components the host would find among index.ts's exports,
 * the provider name it derives from package.json's name, and the SDK's analyzer reading their args with the
 * TypeScript compiler (ComponentProvider.getSchema). Run as a script, it rewrites schema.json:
 *
 *   npm run provider:schema
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as prettier from "prettier";
import * as entry from "./index";

export const SCHEMA_FILE = path.join(__dirname, "schema.json");

/** The provider name as the nodejs host derives it from package.json (cmd/run-plugin): "runway". */
export function providerName(): string {
  const { name } = JSON.parse(fs.readFileSync(path.join(__dirname, "package.json"), "utf8")) as { name: string };
  return name.replace(/^@[^/]*\//, "").replace(/[^-a-zA-Z0-9_]/g, "-");
}

/** The provider the host would serve: the components among index.ts's exports, under the package's name. */
export function componentProvider(): ComponentProvider {
  return new ComponentProvider({ components: getPulumiComponents(entry), dirname: __dirname, name: providerName() });
}

/** The schema the host would serve, parsed. */
export async function inferSchema(provider = componentProvider()): Promise<Record<string, unknown>> {
  return JSON.parse(await provider.getSchema()) as Record<string, unknown>;
}

/** The schema as schema.json holds it: formatted as the repository's prettier config formats JSON. */
export async function schemaText(schema: Record<string, unknown>): Promise<string> {
  const options = (await prettier.resolveConfig(SCHEMA_FILE)) ?? {};
  return prettier.format(JSON.stringify(schema), { ...options, parser: "json" });
}

if (require.main === module) {
  void inferSchema()
    .then(schemaText)
    .then((text) => {
      fs.writeFileSync(SCHEMA_FILE, text);
      console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
    });
}
