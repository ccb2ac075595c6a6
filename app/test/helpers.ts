import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import { connect, type Socket } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
export const BUILT_MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

export interface LogLine {
  severity: string;
  message: string;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON.parse for text that must hold an object; its fields stay `unknown` for the caller to narrow. */
export function parseJsonObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (!isRecord(value)) throw new Error(`expected a JSON object, got ${text}`);
  return value;
}

/** One structured log line: a JSON object with string severity and message. */
export function parseLogLine(text: string): LogLine {
  const line = parseJsonObject(text);
  const { severity, message } = line;
  if (typeof severity !== "string" || typeof message !== "string") throw new Error(`not a log line: ${text}`);
  return { ...line, severity, message };
}

/** once(child, "exit"), typed: like once(), it rejects if the child emits "error" first. */
export async function exitOf(child: ChildProcess): Promise<Exit> {
  // once() types the listener's arguments as any[]; "exit" passes (code, signal).
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

interface StartOptions {
  env?: Record<string, string>;
  main?: string;
  cwd?: string;
}

/** The real server (the compiled dist/main.js) in a child process on a kernel-chosen port. */
export class ServerProcess {
  readonly logs: LogLine[] = [];
  readonly nonJsonStdout: string[] = [];
  stderr = "";
  readonly exited: Promise<Exit>;
  port = 0;
  private listeners: (() => void)[] = [];

  private constructor(readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        this.nonJsonStdout.push(line);
      }
      for (const listener of this.listeners) listener();
    });
  }

  static async start(options: StartOptions = {}): Promise<ServerProcess> {
    // A clean environment: the test runner itself might be on Kubernetes or Cloud Run.
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", PORT: "0", ...options.env };
    const child = spawn(process.execPath, [options.main ?? BUILT_MAIN], {
      env,
      cwd: options.cwd ?? APP_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const server = new ServerProcess(child);
    const listening = await server.waitForLog(
      (line) => typeof line.port === "number" && line.message.startsWith("listening"),
    );
    server.port = listening.port as number;
    return server;
  }

  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 5_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.logs.find(predicate);
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `no matching log line within ${timeoutMs} ms; stdout: ${JSON.stringify(this.logs)} stderr: ${this.stderr}`,
          ),
        );
      }, timeoutMs);
      const onExit = () => {
        if (check()) return;
        cleanup();
        reject(new Error(`server exited before logging the expected line; stderr: ${this.stderr}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        this.child.off("exit", onExit);
      };
      const listener = () => void check();
      if (check()) return;
      this.listeners.push(listener);
      this.child.once("exit", onExit);
    });
  }

  requestLogs(path: string): LogLine[] {
    return this.logs.filter((line) =>
      (line.httpRequest as { requestUrl?: string } | undefined)?.requestUrl?.endsWith(path),
    );
  }

  async stop(): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function request(
  port: number,
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {},
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A raw TCP client, for requests that a well-behaved HTTP client would never send. */
export class RawClient {
  received = "";
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (this.received += chunk));
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port }, () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  write(data: string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  async waitFor(text: string, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!this.received.includes(text)) {
      if (Date.now() > deadline)
        throw new Error(`did not receive ${JSON.stringify(text)}; got ${JSON.stringify(this.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.received;
  }
}

export async function withServer<T>(options: StartOptions, body: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await ServerProcess.start(options);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}
