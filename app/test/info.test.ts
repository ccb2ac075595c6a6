import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { detectGpu, detectPlatform } from "../src/info.js";
import { isRecord, parseJsonObject, request, withServer } from "./helpers.js";

type Json = Record<string, unknown>;

/** The /info body, checked as deep as these tests read it; the leaves stay `unknown` for the assertions. */
type InfoBody = Json & { platform: Json; gpu: Json & { nvidiaSmi: Json | null } };

function parseInfo(text: string): InfoBody {
  const body = parseJsonObject(text);
  const { platform, gpu } = body;
  if (!isRecord(platform) || !isRecord(gpu)) throw new Error(`/info body without platform and gpu objects: ${text}`);
  const { nvidiaSmi } = gpu;
  if (nvidiaSmi !== null && !isRecord(nvidiaSmi))
    throw new Error(`/info gpu.nvidiaSmi is neither null nor an object: ${text}`);
  return { ...body, platform, gpu: { ...gpu, nvidiaSmi } };
}

async function info(env: Record<string, string>): Promise<InfoBody> {
  return withServer({ env }, async (server) => {
    const res = await request(server.port, { path: "/info" });
    assert.equal(res.status, 200);
    assert.match(String(res.headers["content-type"]), /^application\/json/);
    return parseInfo(res.body);
  });
}

describe("/healthz and /readyz", () => {
  test("both answer 200 on a running server, GET and HEAD", async () => {
    await withServer({}, async (server) => {
      for (const method of ["GET", "HEAD"]) {
        const health = await request(server.port, { method, path: "/healthz" });
        const ready = await request(server.port, { method, path: "/readyz" });
        assert.equal(health.status, 200);
        assert.equal(ready.status, 200);
        assert.equal(health.body, method === "GET" ? "ok\n" : "");
      }
    });
  });
});

describe("/info (real server process)", () => {
  test("reports Cloud Run from the K_* variables Cloud Run sets", async () => {
    const body = await info({ K_SERVICE: "echo", K_REVISION: "echo-00007-abc", K_CONFIGURATION: "echo" });
    assert.deepEqual(body.platform, {
      kind: "cloudrun",
      service: "echo",
      revision: "echo-00007-abc",
      configuration: "echo",
    });
  });

  test("reports Kubernetes from KUBERNETES_SERVICE_HOST, with downward-API fields when given", async () => {
    const body = await info({
      KUBERNETES_SERVICE_HOST: "10.0.0.1",
      POD_NAME: "echo-6d9f-x2x",
      POD_NAMESPACE: "runway",
      NODE_NAME: "gke-gpu-pool-1",
    });
    assert.deepEqual(body.platform, {
      kind: "kubernetes",
      podName: "echo-6d9f-x2x",
      namespace: "runway",
      nodeName: "gke-gpu-pool-1",
    });
  });

  test("falls back to the hostname as pod name on Kubernetes without the downward API", async () => {
    const body = await info({ KUBERNETES_SERVICE_HOST: "10.0.0.1" });
    assert.equal(body.platform.kind, "kubernetes");
    assert.equal(body.platform.podName, body.hostname);
  });

  test("reports local otherwise, and no GPU on a machine without one", async () => {
    const body = await info({});
    assert.deepEqual(body.platform, { kind: "local" });
    assert.equal(body.gpu.visible, false);
    assert.deepEqual(body.gpu.devices, []);
    assert.deepEqual(body.gpu.gpus, []);
    assert.equal(body.gpu.nvidiaSmi, null);
    assert.equal(body.node, process.version);
  });
});

describe("GPU detection with a stand-in nvidia-smi", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "runway-gpu-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fakeSmi(script: string): Promise<string> {
    const bin = await mkdtemp(join(dir, "bin-"));
    await writeFile(join(bin, "nvidia-smi"), `#!/bin/sh\n${script}\n`);
    await chmod(join(bin, "nvidia-smi"), 0o755);
    return `${bin}:${process.env.PATH ?? ""}`;
  }

  test("parses nvidia-smi CSV output into GPUs", async () => {
    const PATH = await fakeSmi('echo "NVIDIA L4, 23034 MiB, 550.90.07"; echo "NVIDIA L4, 23034 MiB, 550.90.07"');
    const body = await info({ PATH });
    assert.equal(body.gpu.visible, true);
    assert.deepEqual(body.gpu.nvidiaSmi, { path: "nvidia-smi" });
    assert.deepEqual(body.gpu.gpus, [
      { name: "NVIDIA L4", memoryTotal: "23034 MiB", driverVersion: "550.90.07" },
      { name: "NVIDIA L4", memoryTotal: "23034 MiB", driverVersion: "550.90.07" },
    ]);
  });

  test("a failing nvidia-smi is reported, not fatal", async () => {
    const PATH = await fakeSmi(
      'echo "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver" >&2; exit 9',
    );
    const body = await info({ PATH });
    assert.equal(body.gpu.visible, false);
    assert.match(String(body.gpu.nvidiaSmi?.error), /Command failed/);
  });

  test("a hanging nvidia-smi is killed after its timeout and /info still answers", async () => {
    const PATH = await fakeSmi("exec sleep 30");
    const body = await info({ PATH });
    assert.equal(body.gpu.visible, false);
    assert.equal(body.gpu.nvidiaSmi?.error, "timed out after 2000 ms");
  });

  test("device files named nvidiaN count as a visible GPU; nvidiactl and friends do not", async () => {
    const dev = await mkdtemp(join(dir, "dev-"));
    for (const name of ["nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "null"]) await writeFile(join(dev, name), "");
    const gpu = await detectGpu(dev);
    assert.deepEqual(gpu.devices, [join(dev, "nvidia0"), join(dev, "nvidia1")]);
    assert.equal(gpu.visible, true);
  });

  test("a missing device directory means no devices, not an error", async () => {
    const gpu = await detectGpu(join(dir, "does-not-exist"));
    assert.deepEqual(gpu.devices, []);
  });
});

describe("detectPlatform", () => {
  test("K_SERVICE wins over KUBERNETES_SERVICE_HOST: Knative on Kubernetes sets both and is Cloud Run-shaped", () => {
    assert.equal(detectPlatform({ K_SERVICE: "s", KUBERNETES_SERVICE_HOST: "10.0.0.1" }).kind, "cloudrun");
  });
});
