import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Config } from "./config.js";
import { acceptsJson, echoBody, echoQuery, HttpError, json, readBody, TEXT, type Reply } from "./echo.js";
import { receiveEvent } from "./events.js";
import { runtimeInfo } from "./info.js";
import { log, logRequest } from "./logging.js";

type Env = Record<string, string | undefined>;

interface Route {
  methods: readonly string[];
  handle(req: IncomingMessage, query: URLSearchParams): Reply | Promise<Reply>;
}

export interface App {
  server: Server;
  isDraining(): boolean;
  /** Stops accepting connections and resolves once every open one has closed. */
  drain(reason: string): Promise<void>;
}

const READ_ONLY = ["GET", "HEAD"] as const;

// Not a real status: the de facto code (from nginx) for "client went away first".
const CLIENT_CLOSED_REQUEST = 499;

function text(status: number, body: string): Reply {
  return { status, contentType: TEXT, body: `${body}\n` };
}

function errorReply(req: IncomingMessage, error: HttpError): Reply {
  const reply = acceptsJson(req) ? json(error.status, { error: error.message }) : text(error.status, error.message);
  return { ...reply, headers: error.headers };
}

function splitUrl(rawUrl: string): { path: string; query: URLSearchParams } {
  // Parsed by hand because new URL() would read "//host/x" as a host, not a path.
  const mark = rawUrl.indexOf("?");
  return mark === -1
    ? { path: rawUrl, query: new URLSearchParams() }
    : { path: rawUrl.slice(0, mark), query: new URLSearchParams(rawUrl.slice(mark + 1)) };
}

export function createApp(config: Config, env: Env): App {
  let draining = false;
  let drained: Promise<void> | undefined;

  const routes = new Map<string, Route>([
    [
      "/",
      {
        methods: ["GET", "HEAD", "POST"],
        async handle(req, query) {
          if (req.method !== "POST") return echoQuery(req, query);
          return echoBody(req, await readBody(req, config.bodyLimitBytes));
        },
      },
    ],
    // Pub/Sub push deliveries (runway's service.events); Cloud Run has already
    // checked the OIDC token on the request before it gets here.
    ["/events", { methods: ["POST"], handle: async (req) => receiveEvent(await readBody(req, config.bodyLimitBytes)) }],
    ["/healthz", { methods: READ_ONLY, handle: () => text(200, "ok") }],
    // Readiness fails first during shutdown so Kubernetes stops routing here
    // while requests already accepted still finish.
    ["/readyz", { methods: READ_ONLY, handle: () => (draining ? text(503, "draining") : text(200, "ready")) }],
    ["/info", { methods: READ_ONLY, handle: async () => json(200, await runtimeInfo(env)) }],
  ]);

  async function route(req: IncomingMessage): Promise<Reply> {
    const { path, query } = splitUrl(req.url ?? "/");
    const target = routes.get(path);
    if (!target) throw new HttpError(404, `no route for ${path}`);
    if (!target.methods.includes(req.method ?? "")) {
      throw new HttpError(405, `method ${req.method} not allowed on ${path}`, { Allow: target.methods.join(", ") });
    }
    return target.handle(req, query);
  }

  function send(req: IncomingMessage, res: ServerResponse, reply: Reply): number {
    const size = Buffer.byteLength(reply.body);
    res.statusCode = reply.status;
    // Only a 204 has no content type, and RFC 9110 §8.6 forbids Content-Length on
    // it; Node would send whatever is set.
    if (reply.contentType !== undefined) {
      res.setHeader("Content-Type", reply.contentType);
      res.setHeader("Content-Length", size);
    }
    res.setHeader("Cache-Control", "no-store");
    // The echoed body is attacker-controlled; never let a browser sniff it as HTML.
    res.setHeader("X-Content-Type-Options", "nosniff");
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    // While draining, a kept-alive socket would outlive the server; a 413 leaves
    // an unread body on the wire, so that socket cannot be reused either.
    if (draining || reply.status === 413) res.setHeader("Connection", "close");
    res.end(reply.body);
    return req.method === "HEAD" ? 0 : size;
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let responseSize = 0;
    res.once("close", () => {
      const completed = res.writableFinished;
      logRequest(
        req,
        {
          status: completed ? res.statusCode : CLIENT_CLOSED_REQUEST,
          responseSize,
          latencyNs: process.hrtime.bigint() - started,
          completed,
        },
        config.googleCloudProject,
      );
    });

    let reply: Reply;
    try {
      reply = await route(req);
    } catch (error) {
      // The client hung up mid-body: there is nobody to answer, and the close
      // handler above already records it.
      if (res.destroyed) return;
      if (error instanceof HttpError) {
        reply = errorReply(req, error);
      } else {
        log("ERROR", "unhandled error while serving request", { error: (error as Error).stack ?? String(error) });
        reply = errorReply(req, new HttpError(500, "internal error"));
      }
    }
    if (!res.destroyed) responseSize = send(req, res, reply);
  }

  const server = createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Timeouts are only enforced on this sweep (default 30 s), which would let
      // a stalled client overstay a short timeout by that much.
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(config.headersTimeoutMs / 2))),
    },
    (req, res) => void onRequest(req, res),
  );
  server.keepAliveTimeout = config.keepAliveTimeoutMs;

  // Node would send "100 Continue" unconditionally; withholding it when the
  // announced body is over the limit spares the client uploading it for a 413.
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    if (!(Number(req.headers["content-length"]) > config.bodyLimitBytes)) res.writeContinue();
    void onRequest(req, res);
  });

  // Replaces Node's silent default so slow and malformed clients show up in the
  // logs; the answer is the same one Node would give.
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? 408
        : error.code === "HPE_HEADER_OVERFLOW"
          ? 431
          : // RFC 9110 §15.6.2: 501 is the answer for a method the server does not recognise.
            error.code === "HPE_INVALID_METHOD"
            ? 501
            : 400;
    log("WARNING", `rejected request: ${STATUS_CODES[status]} (${error.code ?? error.message})`, {
      httpRequest: { status, remoteIp: socket.remoteAddress },
    });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  return {
    server,
    isDraining: () => draining,
    drain(reason) {
      if (!drained) {
        draining = true;
        log("INFO", `draining: ${reason}`);
        // Since Node 19, close() also drops idle keep-alive sockets; busy ones
        // close after their response thanks to the Connection: close above.
        drained = new Promise((resolve) => server.close(() => resolve()));
      }
      return drained;
    },
  };
}
