import type { IncomingMessage } from "node:http";

export interface Reply {
  status: number;
  /** Absent only on a 204, which has no content to describe. */
  contentType?: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const TEXT = "text/plain; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";

function mediaTypes(header: string | undefined): { type: string; q: number }[] {
  if (!header) return [];
  return header.split(",").map((range) => {
    const [type = "", ...params] = range.split(";").map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return { type, q: q === undefined ? 1 : Number(q.slice(2)) };
  });
}

function isJsonType(type: string): boolean {
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

export function acceptsJson(req: IncomingMessage): boolean {
  return mediaTypes(req.headers.accept).some(({ type, q }) => isJsonType(type) && q > 0);
}

function hasJsonBody(req: IncomingMessage): boolean {
  const [first] = mediaTypes(req.headers["content-type"]);
  return first !== undefined && isJsonType(first.type);
}

export function json(status: number, value: unknown): Reply {
  return { status, contentType: JSON_TYPE, body: `${JSON.stringify(value)}\n` };
}

export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, `request body exceeds the limit of ${limitBytes} bytes`);
  const declared = Number(req.headers["content-length"]);
  // Refuse up front when the client announces an oversize body, before it is sent.
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        // Chunked bodies have no length header, so the limit is enforced as bytes
        // arrive; nothing past the limit is buffered.
        cleanup();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  // A null prototype keeps keys such as "__proto__" as plain data.
  const result = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of params) {
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else result[key] = [existing, value];
  }
  return result;
}

export function echoQuery(req: IncomingMessage, params: URLSearchParams): Reply {
  if (acceptsJson(req)) return json(200, queryObject(params));
  let text = "";
  for (const [key, value] of params) text += `${key}=${value}\n`;
  return { status: 200, contentType: TEXT, body: text };
}

export function echoBody(req: IncomingMessage, body: Buffer): Reply {
  if (hasJsonBody(req)) {
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch (error) {
      throw new HttpError(400, `malformed JSON body: ${(error as Error).message}`);
    }
    return json(200, value);
  }
  if (acceptsJson(req)) return json(200, { body: body.toString("utf8") });
  return { status: 200, contentType: TEXT, body };
}
