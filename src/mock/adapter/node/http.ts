/**
 * node:http adapter: reads the body (at most BODY_LIMIT_BYTES, else 413 without reading further), hands the
 * request to the MockApp and writes its answer. No logging on the hot path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MockApp } from '../../app.js';
import { type Awaitable, isThenable } from '../../awaitable.js';
import { MAX_HEADER_BYTES, type MockErrorCode, mockError } from '../../mockErrors.js';
import { BODY_LIMIT_BYTES } from '../../runtime.js';
import { encodeBody, type MockRequest, type MockResponse } from '../../types.js';

export interface HttpOptions {
  /** Time allowed to send the request headers (ms). */
  headersTimeoutMs?: number;
  /** Time allowed for the whole request, body included (ms). */
  requestTimeoutMs?: number;
  /** Idle time before a keep-alive connection is closed (ms). */
  keepAliveTimeoutMs?: number;
}

/**
 * Bounds for slow or oversized clients: 16 KiB of headers (Node's default), 10 s to send them, 30 s for the whole
 * request, 5 s idle keep-alive (Node's default). Tests shorten them.
 */
const DEFAULTS: Required<HttpOptions> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
};

/** `app` is the mock, or anything that answers as it does (the contract runner's tests put breakages in front). */
export function createHttpServer(app: Pick<MockApp, 'handle'>, options: HttpOptions = {}): Server {
  const limits = { ...DEFAULTS, ...options };
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node looks for timed-out requests: often enough for the shortest timeout.
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(limits.headersTimeoutMs / 4)),
    },
    (req, res) => {
      // A bug, never a client's fault: say so on stderr, and close the exchange without inventing a response.
      const fail = (err: unknown) => {
        console.error('tombstone: unexpected error while handling', req.method, req.url, err);
        res.destroy();
      };
      try {
        const done = serve(app, req, res);
        if (done) done.catch(fail);
      } catch (err) {
        fail(err);
      }
    },
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.on('clientError', answerClientError);
  return server;
}

/**
 * Requests Node's parser refuses, or that time out, never reach the app. Answer them in the mock layer's documented
 * envelope (openapi/mock-admin.yaml, x-mock-layer) instead of Node's bare default, and close the connection.
 * https://nodejs.org/api/http.html#event-clienterror
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const code: MockErrorCode =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? 'headers_too_large'
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request_timeout'
        : 'malformed_request';
  const { status, body: answer } = mockError(code);
  const body = JSON.stringify(answer);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Answers without a promise or a microtask when the body is already read and the answer is synchronous. */
function serve(app: Pick<MockApp, 'handle'>, req: IncomingMessage, res: ServerResponse): Awaitable<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const raw: MockRequest = {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: req.headers as MockRequest['headers'],
  };
  const body = readBody(req);
  return isThenable(body) ? body.then((b) => answer(app, raw, res, b)) : answer(app, raw, res, body);
}

function answer(
  app: Pick<MockApp, 'handle'>,
  raw: MockRequest,
  res: ServerResponse,
  body: string | undefined | typeof TOO_LARGE | typeof ABORTED,
): Awaitable<void> {
  // The client went away (or timed out, answered by answerClientError): nobody to answer.
  if (body === ABORTED) return;
  if (body === TOO_LARGE) raw.bodyTooLarge = true;
  else if (body !== undefined) raw.body = body;
  const reply = app.handle(raw);
  return isThenable(reply)
    ? reply.then((r) => write(res, r, body === TOO_LARGE))
    : write(res, reply, body === TOO_LARGE);
}

const TOO_LARGE = Symbol('too large');
const ABORTED = Symbol('aborted');

/** The body; without one (most DELETEs), synchronously, sparing a promise and a microtask. */
function readBody(
  req: IncomingMessage,
): undefined | typeof TOO_LARGE | Promise<string | undefined | typeof TOO_LARGE | typeof ABORTED> {
  const declared = Number(req.headers['content-length']);
  if (declared > BODY_LIMIT_BYTES) return TOO_LARGE;
  if (!req.headers['transfer-encoding'] && !(declared > 0)) {
    req.resume();
    return undefined;
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        req.pause();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(ABORTED));
    req.on('close', () => resolve(ABORTED));
  });
}

function write(res: ServerResponse, answer: MockResponse, close: boolean): void {
  // A chaos reset: no status line, the connection dropped (openapi/mock-admin.yaml, x-mock-layer chaosReset).
  if (answer.drop) {
    res.destroy();
    return;
  }
  // A flat [name, value, ...] list: Node's writeHead takes it as it is, where an object is walked key by key.
  // Content-Type is the adapter's to send, from encodeBody: an answer's own (an HTML page's) would go out twice.
  const headers: string[] = [];
  for (const name in answer.headers) if (name !== 'Content-Type') headers.push(name, answer.headers[name]!);
  // The unread rest of an oversized body must not be taken for the next request.
  if (close) headers.push('Connection', 'close');
  const body = encodeBody(answer);
  if (!body) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  headers.push('Content-Type', body.contentType, 'Content-Length', String(Buffer.byteLength(body.payload)));
  res.writeHead(answer.status, headers).end(body.payload);
}
