import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { hostname } from "node:os";

type Env = Record<string, string | undefined>;

export type Platform =
  | { kind: "cloudrun"; service: string; revision: string | undefined; configuration: string | undefined }
  | {
      kind: "kubernetes";
      // Namespace and node only appear when the manifest maps them in with the
      // downward API; a pod's hostname is its name unless the spec overrides it.
      podName: string;
      namespace: string | undefined;
      nodeName: string | undefined;
    }
  | { kind: "local" };

export interface GpuInfo {
  visible: boolean;
  devices: string[];
  gpus: { name: string; memoryTotal: string; driverVersion: string }[];
  nvidiaSmi: { path: string; error?: string } | null;
}

export function detectPlatform(env: Env): Platform {
  if (env.K_SERVICE) {
    return { kind: "cloudrun", service: env.K_SERVICE, revision: env.K_REVISION, configuration: env.K_CONFIGURATION };
  }
  if (env.KUBERNETES_SERVICE_HOST) {
    return {
      kind: "kubernetes",
      podName: env.POD_NAME ?? hostname(),
      namespace: env.POD_NAMESPACE,
      nodeName: env.NODE_NAME,
    };
  }
  return { kind: "local" };
}

async function nvidiaDevices(devDir: string): Promise<string[]> {
  try {
    const entries = await readdir(devDir);
    return entries
      .filter((name) => /^nvidia\d+$/.test(name))
      .sort()
      .map((name) => `${devDir}/${name}`);
  } catch {
    return [];
  }
}

// GKE mounts the driver utilities at /usr/local/nvidia/bin without adding it to
// PATH, so that location is tried after whatever PATH offers.
const NVIDIA_SMI_CANDIDATES = ["nvidia-smi", "/usr/local/nvidia/bin/nvidia-smi"];
const NVIDIA_SMI_TIMEOUT_MS = 2_000;

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: NVIDIA_SMI_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 64 * 1024 },
      // ExecFileException is an Error in all but name: Omit<> hides that from the types.
      (error: Error | null, stdout: string) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

async function queryNvidiaSmi(): Promise<Pick<GpuInfo, "gpus" | "nvidiaSmi">> {
  for (const path of NVIDIA_SMI_CANDIDATES) {
    try {
      const stdout = await run(path, ["--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"]);
      const gpus = stdout
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const [name = "", memoryTotal = "", driverVersion = ""] = line.split(",").map((field) => field.trim());
          return { name, memoryTotal, driverVersion };
        });
      return { gpus, nvidiaSmi: { path } };
    } catch (error) {
      const { code, killed } = error as NodeJS.ErrnoException & { killed?: boolean };
      if (code === "ENOENT") continue;
      const reason = killed
        ? `timed out after ${NVIDIA_SMI_TIMEOUT_MS} ms`
        : ((error as Error).message.split("\n")[0] ?? "");
      return { gpus: [], nvidiaSmi: { path, error: reason } };
    }
  }
  return { gpus: [], nvidiaSmi: null };
}

export async function detectGpu(devDir = "/dev"): Promise<GpuInfo> {
  const [devices, smi] = await Promise.all([nvidiaDevices(devDir), queryNvidiaSmi()]);
  return { visible: devices.length > 0 || smi.gpus.length > 0, devices, ...smi };
}

// Spawning nvidia-smi per request would let a burst of /info calls fork a
// process each; results are shared for a few seconds instead.
const GPU_CACHE_MS = 5_000;
let cached: { at: number; result: Promise<GpuInfo> } | undefined;

function gpuInfo(): Promise<GpuInfo> {
  const now = Date.now();
  if (!cached || now - cached.at > GPU_CACHE_MS) cached = { at: now, result: detectGpu() };
  return cached.result;
}

export async function runtimeInfo(env: Env) {
  return {
    platform: detectPlatform(env),
    hostname: hostname(),
    node: process.version,
    arch: process.arch,
    gpu: await gpuInfo(),
  };
}
