/**
 * Runs a Pulumi program under the SDK's mock runtime and records every registration exactly as the SDK
 * sends it to the engine: type, name, parent, dependencies, resource options and inputs. Tests assert on
 * this inventory and `npm run plan` prints it. Provider-computed outputs (URLs, digests, emails) are
 * stand-ins shaped like the real ones; they are never presented as real values.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** One resource as the program registered it. */
export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** false for component resources. */
  readonly custom: boolean;
  readonly parent?: string | undefined;
  /** URNs the resource waits for: explicit dependsOn plus those its inputs carry. */
  readonly dependencies: readonly string[];
  readonly protect: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: readonly string[];
  readonly provider?: string | undefined;
  /** Earlier identities of the resource (name/parent/type), so a move keeps its state. */
  readonly aliases: readonly unknown[];
  readonly inputs: Record<string, unknown>;
}

export interface Inventory {
  readonly resources: readonly Registration[];
  /** The program's exports (stack outputs), resolved; secret values are unwrapped. */
  readonly outputs: Record<string, unknown>;
  /** Names of the outputs that are secrets. */
  readonly secretOutputs: readonly string[];
  /** Provider functions the program called, by token. */
  readonly calls: readonly string[];
}

export interface MockRunOptions {
  readonly project?: string;
  readonly stack?: string;
  /** Flat "namespace:key" → text config, as in PULUMI_CONFIG. */
  readonly config: Record<string, string>;
}

const fakeDigest = (seed: string) => `sha256:${createHash("sha256").update(seed).digest("hex")}`;

/** Provider-computed outputs of the resource types runway creates, shaped like the real ones. */
function computedState(args: pulumi.runtime.MockResourceArgs, project: string): Record<string, unknown> {
  const inputs = args.inputs as Record<string, unknown>;
  switch (args.type) {
    case "gcp:serviceaccount/account:Account": {
      const accountProject = typeof inputs.project === "string" ? inputs.project : project;
      return { email: `${String(inputs.accountId)}@${accountProject}.iam.gserviceaccount.com` };
    }
    case "gcp:artifactregistry/repository:Repository":
      return {
        name: inputs.repositoryId,
        registryUri: `${String(inputs.location)}-docker.pkg.dev/${String(inputs.project)}/${String(inputs.repositoryId)}`,
      };
    case "docker:index/image:Image": {
      const repo = String(inputs.imageName).replace(/:[^/:]+$/, "");
      return { repoDigest: `${repo}@${fakeDigest(JSON.stringify(inputs.build))}` };
    }
    case "gcp:cloudrunv2/service:Service":
      return { uri: `https://${String(inputs.name)}-mock.a.run.app` };
    case "gcp:container/cluster:Cluster": {
      // 203.0.113.0/24 is a documentation range (RFC 5737); the DNS endpoint is shaped like GKE's gke-<id>.<region>.gke.goog.
      const endpoints = (inputs.controlPlaneEndpointsConfig ?? {}) as Record<string, Record<string, unknown>>;
      const region = String(inputs.location).replace(/-[a-z]$/, "");
      const id = fakeDigest([inputs.project, inputs.location, inputs.name].map(String).join("/")).slice(7, 39);
      return {
        endpoint: "203.0.113.1",
        masterAuth: {
          ...(inputs.masterAuth as object),
          clusterCaCertificate: Buffer.from("mock cluster CA").toString("base64"),
        },
        controlPlaneEndpointsConfig: {
          ...endpoints,
          dnsEndpointConfig: { ...endpoints.dnsEndpointConfig, endpoint: `gke-${id}.${region}.gke.goog` },
        },
      };
    }
    case "kubernetes:core/v1:Service": {
      // GKE gives a LoadBalancer Service an address: a documentation address (RFC 5737) when external,
      // a private 10.x one when internal.
      const spec = inputs.spec as { type?: string } | undefined;
      if (spec?.type !== "LoadBalancer") return {};
      const annotations = (inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
      const internal = annotations?.["networking.gke.io/load-balancer-type"] === "Internal";
      return { status: { loadBalancer: { ingress: [{ ip: internal ? "10.128.0.10" : "203.0.113.10" }] } } };
    }
    default:
      return {};
  }
}

function mocks(project: string, calls: string[]): pulumi.runtime.Mocks {
  return {
    newResource: (args) => ({
      id: args.custom === false ? undefined : `${args.name}-id`,
      state: { ...(args.inputs as Record<string, unknown>), ...computedState(args, project) },
    }),
    call: (args) => {
      calls.push(args.token);
      if (args.token === "gcp:organizations/getClientConfig:getClientConfig") {
        return { accessToken: "mock-access-token", project, region: "", zone: "", id: "mock" };
      }
      if (args.token === "gcp:organizations/getProject:getProject") {
        // A stand-in project number, shaped like a real one (12 digits).
        return { ...(args.inputs as Record<string, unknown>), number: "123456789012", id: "mock" };
      }
      if (args.token === "gcp:storage/getProjectServiceAccount:getProjectServiceAccount") {
        // The Cloud Storage service agent's documented shape, with the stand-in project number above.
        return {
          ...(args.inputs as Record<string, unknown>),
          emailAddress: "service-123456789012@gs-project-accounts.iam.gserviceaccount.com",
          id: "mock",
        };
      }
      return args.inputs as Record<string, unknown>;
    },
  };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getProvider(): string;
  getAliasurnsList(): string[];
  getAliasesList(): { toObject(): unknown }[];
  getObject(): unknown;
}

/** Wraps the mock monitor so that every registration request is recorded with its URN. */
function recordRegistrations(sink: Registration[]): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(
      req: RegisterRequest,
      callback: (err: unknown, resp?: { getUrn(): string }) => void,
    ): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err && resp) {
        sink.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || undefined,
          dependencies: req.getDependenciesList(),
          protect: req.getProtect(),
          deleteBeforeReplace: req.getDeletebeforereplace(),
          ignoreChanges: req.getIgnorechangesList(),
          provider: req.getProvider() || undefined,
          aliases: [...req.getAliasurnsList(), ...req.getAliasesList().map((alias) => alias.toObject())],
          inputs: pulumi.runtime.deserializeProperties(
            req.getObject() as Parameters<typeof pulumi.runtime.deserializeProperties>[0],
          ),
        });
      }
      callback(err, resp);
    });
}

async function resolve(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  if (!pulumi.Output.isInstance(value)) return { value, secret: false };
  const secret = await pulumi.isSecret(value);
  const resolved = await new Promise<unknown>((done) => value.apply((v) => done(v)));
  return { value: resolved, secret };
}

/** The program threw: `cause` is what it threw, `resources` what it had registered by then. */
export class ProgramFailure extends Error {
  constructor(
    public override readonly cause: unknown,
    public readonly resources: readonly Registration[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "ProgramFailure";
  }
}

/**
 * Runs `program` (which may return its exports) in a fresh mock stack and returns the inventory.
 * When the program throws (e.g. the RunError of invalid config), throws a ProgramFailure.
 */
export async function runUnderMocks(
  program: () => Record<string, unknown> | void | Promise<Record<string, unknown> | void>,
  options: MockRunOptions,
): Promise<Inventory> {
  const project = options.project ?? "runway";
  const stack = options.stack ?? "test";
  const gcpProject = options.config["gcp:project"] ?? "mock-project";
  const resources: Registration[] = [];
  const calls: string[] = [];
  pulumi.runtime.setAllConfig(options.config);
  await pulumi.runtime.setMocks(mocks(gcpProject, calls), project, stack, false);
  recordRegistrations(resources);

  let exports: Record<string, unknown> = {};
  let failure: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    try {
      exports = (await program()) ?? {};
    } catch (error) {
      // Rethrown below, once the SDK is idle: the root stack must still complete its registration.
      failure = error;
    }
    return exports;
  });
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const [key, value] of Object.entries(exports)) {
    // Like a real stack, an output that is undefined does not exist.
    if (value === undefined) continue;
    const resolved = await resolve(value);
    outputs[key] = resolved.value;
    if (resolved.secret) secretOutputs.push(key);
  }
  // Registrations finish asynchronously; wait until the SDK has no request in flight.
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  if (failure !== undefined) throw new ProgramFailure(failure, resources);
  return { resources, outputs, secretOutputs, calls };
}

/**
 * Loads a program module afresh and runs it the way Pulumi does: an exported function is called and its
 * result is the stack outputs; otherwise the module's exports are.
 */
export function loadProgram(modulePath: string): Record<string, unknown> | Promise<Record<string, unknown>> {
  const resolved = require.resolve(modulePath);
  delete require.cache[resolved];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading is what runs the program, so it must be a fresh require
  const exported = require(resolved) as Record<string, unknown> | (() => Record<string, unknown>);
  return typeof exported === "function" ? exported() : { ...exported };
}
