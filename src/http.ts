/**
 * node:http adapter: reads the body (at most BODY_LIMIT_BYTES, else 413 without reading further), hands the
 * request to the MockApp and writes its answer. No logging on the hot path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MockApp } from './app.js';
import { BODY_LIMIT_BYTES } from './core/runtime.js';
import type { MockRequest, MockResponse } from './core/types.js';

export interface HttpOptions {
  /** Extra work per request, e.g. logging; off by default. */
  onResponse?: (req: IncomingMessage, res: MockResponse) => void;
}

export function createHttpServer(app: MockApp, options: HttpOptions = {}): Server {
  const server = createServer(
    {
      // Bounds for slow or oversized clients: 16 KiB of headers (Node's default), 10 s to send them, 30 s in all.
      maxHeaderSize: 16 * 1024,
      headersTimeout: 10_000,
      requestTimeout: 30_000,
    },
    (req, res) => {
      void serve(app, req, res, options).catch((err: unknown) => {
        // A bug, never a client's fault: say so on stderr, and close the exchange without inventing a response.
        console.error('tombstone: unexpected error while handling', req.method, req.url, err);
        res.destroy();
      });
    },
  );
  server.keepAliveTimeout = 5_000;
  return server;
}

async function serve(app: MockApp, req: IncomingMessage, res: ServerResponse, options: HttpOptions): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const raw: MockRequest = {
    method: req.method ?? 'GET',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    headers: req.headers as MockRequest['headers'],
  };
  const body = await readBody(req);
  if (body === TOO_LARGE) raw.bodyTooLarge = true;
  else if (body !== undefined) raw.body = body;
  const answer = await app.handle(raw);
  options.onResponse?.(req, answer);
  write(res, answer, raw.bodyTooLarge === true);
}

const TOO_LARGE = Symbol('too large');

function readBody(req: IncomingMessage): Promise<string | undefined | typeof TOO_LARGE> {
  const declared = Number(req.headers['content-length']);
  if (declared > BODY_LIMIT_BYTES) return Promise.resolve(TOO_LARGE);
  if (!req.headers['transfer-encoding'] && !(declared > 0)) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
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
    req.on('error', reject);
  });
}

function write(res: ServerResponse, answer: MockResponse, close: boolean): void {
  const headers: Record<string, string> = { ...answer.headers };
  // The unread rest of an oversized body must not be taken for the next request.
  if (close) headers['Connection'] = 'close';
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  const payload = JSON.stringify(answer.body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers).end(payload);
}
