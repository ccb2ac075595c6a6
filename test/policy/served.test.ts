/**
 * The pack as the Pulumi CLI runs it: `pulumi preview --policy-pack policy` starts
 * policy/node_modules/@pulumi/pulumi/cmd/run-policy-pack in policy/, which type-checks index.ts with ts-node and
 * serves the pulumirpc.Analyzer gRPC service on the port it prints (@pulumi/policy server.js). This test starts it
 * the same way and calls that service as the engine does, so the wiring of index.ts (PolicyPack, enforcement level,
 * config schemas) and a violation's trip through the SDK are checked without the CLI.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { POLICY_NAMES } from "./pack";

type Grpc = typeof import("@grpc/grpc-js");
type AnalyzerGrpc = typeof import("@pulumi/pulumi/proto/analyzer_grpc_pb");
type AnalyzerPb = typeof import("@pulumi/pulumi/proto/analyzer_pb");
type StructPb = typeof import("google-protobuf/google/protobuf/struct_pb");
type EmptyPb = typeof import("google-protobuf/google/protobuf/empty_pb");

const POLICY = path.join(__dirname, "..", "..", "policy");
// The client side from the pack's own install, the one the pack serves with.
const requirePack = createRequire(path.join(POLICY, "package.json"));
const grpc = requirePack("@grpc/grpc-js") as Grpc;
const { AnalyzerClient } = requirePack("@pulumi/pulumi/proto/analyzer_grpc_pb") as AnalyzerGrpc;
const pb = requirePack("@pulumi/pulumi/proto/analyzer_pb") as AnalyzerPb;
const { Struct } = requirePack("google-protobuf/google/protobuf/struct_pb") as StructPb;
const { Empty } = requirePack("google-protobuf/google/protobuf/empty_pb") as EmptyPb;

/** What the engine sends for a value the provider computes, during preview (@pulumi/pulumi runtime/rpc.ts). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const CLOUD_RUN = "gcp:cloudrunv2/service:Service";
const URN = `urn:pulumi:dev::runway::runway:index:CloudRunService$${CLOUD_RUN}::echo-service`;

/** A Cloud Run service like dev's, with `changes` on top. */
function cloudRunProps(changes: Record<string, unknown>): Record<string, unknown> {
  return {
    name: "echo-dev",
    ingress: "INGRESS_TRAFFIC_ALL",
    invokerIamDisabled: false,
    template: {
      serviceAccount: "echo-dev-run@acme-dev.iam.gserviceaccount.com",
      scaling: { maxInstanceCount: 5 },
      containers: [
        {
          name: "echo",
          image: "us-central1-docker.pkg.dev/acme-dev/echo-dev/echo-dev@sha256:" + "1".repeat(64),
        },
      ],
    },
    ...changes,
  };
}

type AnalyzerInfo = InstanceType<AnalyzerPb["AnalyzerInfo"]>;
type AnalyzeResponse = InstanceType<AnalyzerPb["AnalyzeResponse"]>;

describe("the pack served as the CLI runs it", { timeout: 120_000 }, () => {
  let pack: ChildProcess;
  let client: InstanceType<typeof AnalyzerClient>;

  before(async () => {
    // The first argument is the engine's address, which the pack only passes on; nothing listens there.
    pack = spawn(
      process.execPath,
      [path.join("node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:1", "."],
      {
        cwd: POLICY,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    pack.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      pack.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^(\d+)\r?\n/m.exec(stdout); // the whole line, not a chunk cut mid-number
        if (match?.[1]) resolve(match[1]);
      });
      pack.on("exit", (code) => reject(new Error(`the pack exited with ${code}: ${stderr}`)));
    });
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    pack?.kill();
  });

  function analyze(props: Record<string, unknown>, type = CLOUD_RUN, name = "echo-service") {
    const request = new pb.AnalyzeRequest()
      .setType(type)
      .setUrn(URN.replace(`${CLOUD_RUN}::echo-service`, `${type}::${name}`))
      .setName(name)
      .setProperties(Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]))
      .setOptions(new pb.AnalyzerResourceOptions());
    return new Promise<AnalyzeResponse>((resolve, reject) =>
      client.analyze(request, (error, response) => (error ? reject(error) : resolve(response))),
    );
  }

  it("describes runway-guardrails with its nine policies, mandatory, and their config schemas", async () => {
    const info = await new Promise<AnalyzerInfo>((resolve, reject) =>
      client.getAnalyzerInfo(new Empty(), (error, response) => (error ? reject(error) : resolve(response))),
    );
    assert.equal(info.getName(), "runway-guardrails");
    assert.equal(info.getVersion(), "0.1.0");
    assert.deepEqual(
      info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]),
      POLICY_NAMES.map((name) => [name, pb.EnforcementLevel.MANDATORY]),
    );
    const cap = info.getPoliciesList().find((p) => p.getName() === "runway-gpu-cap");
    assert.deepEqual(cap?.getConfigschema()?.getProperties()?.toJavaScript(), {
      maxGpusPerService: {
        type: "integer",
        minimum: 0,
        default: 8,
        description: "GPUs one service may hold at full scale: GPUs per instance × maximum instances.",
      },
    });
  });

  it("passes dev's Cloud Run service and reports a public one as a mandatory violation", async () => {
    assert.deepEqual((await analyze(cloudRunProps({}))).getDiagnosticsList(), []);
    const diagnostics = (await analyze(cloudRunProps({ invokerIamDisabled: true }))).getDiagnosticsList();
    assert.deepEqual(
      diagnostics.map((d) => [d.getPolicyname(), d.getEnforcementlevel(), d.getMessage()]),
      [
        [
          "runway-no-public-services",
          pb.EnforcementLevel.MANDATORY,
          "No public service without an explicit allow: a Cloud Run service without the invoker IAM check, a role " +
            "on it for allUsers or allAuthenticatedUsers, or a LoadBalancer Service without GKE's internal " +
            'annotation.\nCloud Run service "echo-dev" lets anyone invoke it (invokerIamDisabled: true, ingress ' +
            "INGRESS_TRAFFIC_ALL) and is not in allowedPublicServices",
        ],
      ],
    );
  });

  it("cannot judge an image the build has not pushed yet during preview: an advisory, not a pass", async () => {
    const props = cloudRunProps({});
    const template = props.template as { containers: { image: string }[] };
    template.containers[0]!.image = UNKNOWN;
    const diagnostics = (await analyze(props)).getDiagnosticsList();
    assert.deepEqual(
      diagnostics.map((d) => [d.getPolicyname(), d.getEnforcementlevel()]),
      [["runway-images-by-digest", pb.EnforcementLevel.ADVISORY]],
    );
    assert.match(diagnostics[0]!.getMessage(), /^can't run policy 'runway-images-by-digest' .* during preview/);
  });

  it("judges a grant by its role alone, so an account email the preview cannot know yet stops nothing", async () => {
    const member = (role: string) => ({ project: "acme-dev", role, member: UNKNOWN });
    const logWriter = await analyze(member("roles/logging.logWriter"), "gcp:projects/iAMMember:IAMMember", "logs");
    assert.deepEqual(logWriter.getDiagnosticsList(), []);
    const editor = await analyze(member("roles/editor"), "gcp:projects/iAMMember:IAMMember", "editor");
    assert.deepEqual(
      editor.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getEnforcementlevel()]),
      [["runway-no-basic-roles", pb.EnforcementLevel.ADVISORY]],
    );
  });
});
