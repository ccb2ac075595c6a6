/**
 * The plugin started as Pulumi's nodejs language host starts a source-based plugin: @pulumi/pulumi's
 * cmd/run-plugin on provider/, which registers ts-node (type-checking index.ts and the components it imports),
 * finds the exported components and serves them over gRPC. Its GetSchema answer, what `pulumi package get-schema
 * ./provider` prints, must be provider/schema.json. Offline: no engine and no Pulumi CLI are involved.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const PULUMI = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const PROVIDER = path.join(__dirname, "..", "..", "provider");

/** The slice of @grpc/grpc-js (the SDK's own copy) and of the SDK's generated provider client that this uses. */
interface Grpc {
  credentials: { createInsecure(): unknown };
}
interface ProviderClient {
  getSchema(request: unknown, callback: (error: Error | null, response?: { getSchema(): string }) => void): void;
  close(): void;
}

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's own gRPC modules, resolved from its directory */
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [PULUMI] })) as Grpc;
const rpc = require(path.join(PULUMI, "proto", "provider_grpc_pb")) as {
  ResourceProviderClient: new (address: string, credentials: unknown) => ProviderClient;
};
const proto = require(path.join(PULUMI, "proto", "provider_pb")) as { GetSchemaRequest: new () => unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

describe("the plugin, started as the nodejs host starts it", () => {
  it("serves provider/schema.json over gRPC", async () => {
    const plugin = spawn(process.execPath, [path.join(PULUMI, "cmd", "run-plugin"), "."], {
      cwd: PROVIDER,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    plugin.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      // The server prints its port on the first line of stdout once it listens.
      const port = await new Promise<string>((resolve, reject) => {
        let stdout = "";
        plugin.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          const line = stdout.split("\n")[0];
          if (stdout.includes("\n") && line) resolve(line.trim());
        });
        plugin.on("exit", (code) =>
          reject(new Error(`the plugin exited (${String(code)}) before listening:\n${stderr}`)),
        );
      });
      assert.match(port, /^\d+$/);
      const client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const served = await new Promise<string>((resolve, reject) =>
        client.getSchema(new proto.GetSchemaRequest(), (error, response) =>
          error || !response ? reject(error ?? new Error("no response")) : resolve(response.getSchema()),
        ),
      );
      client.close();
      const checkedIn: unknown = JSON.parse(fs.readFileSync(path.join(PROVIDER, "schema.json"), "utf8"));
      assert.deepEqual(
        JSON.parse(served),
        checkedIn,
        "the served schema differs: run `npm run provider:schema` and review provider/schema.json",
      );
    } finally {
      plugin.kill();
    }
  });
});
