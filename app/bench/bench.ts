// Cold start and throughput of the compiled server, on loopback only.
// Run with `npm run bench` (builds first). Numbers depend on the machine; they
// are printed, never asserted.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { get } from "node:http";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const COLD_START_RUNS = 7;
const LOAD = { connections: 10, duration: 5 };

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, "close");
  return port;
}

function startServer(port: number): ChildProcess {
  // stdout goes to /dev/null: the server still formats every log line, but the
  // benchmark does not spend CPU reading them.
  return spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? "", PORT: String(port) },
    stdio: "ignore",
  });
}

function healthz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  // once() types the listener's arguments as any[]; "exit" passes (code, signal).
  const [code] = (await exited) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`server exited with ${code} after SIGTERM`);
}

async function coldStartMs(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = startServer(port);
  try {
    while ((await healthz(port)) !== 200) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} during startup`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return performance.now() - started;
  } finally {
    await stop(child);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function load(port: number, title: string, request: autocannon.Request) {
  const result = await autocannon({ url: `http://127.0.0.1:${port}`, ...LOAD, requests: [request] });
  return {
    title,
    "req/s (mean)": Math.round(result.requests.average),
    // autocannon records latency in whole milliseconds.
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

const runs: number[] = [];
for (let i = 0; i < COLD_START_RUNS; i++) runs.push(await coldStartMs());
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
console.log(
  `cold start (spawn -> first 200 on /healthz), ${COLD_START_RUNS} runs: median ${median(runs).toFixed(1)} ms ` +
    `(min ${Math.min(...runs).toFixed(1)}, max ${Math.max(...runs).toFixed(1)})`,
);

const port = await freePort();
const server = startServer(port);
while ((await healthz(port)) !== 200) await new Promise((resolve) => setTimeout(resolve, 5));
try {
  console.log(`throughput: ${LOAD.connections} connections x ${LOAD.duration} s each, 127.0.0.1`);
  console.table([
    await load(port, "GET /?bench=1 (text)", { method: "GET", path: "/?bench=1" }),
    await load(port, "POST / JSON echo", {
      method: "POST",
      path: "/",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ bench: true, items: [1, 2, 3], text: "x".repeat(200) }),
    }),
  ]);
} finally {
  await stop(server);
}
