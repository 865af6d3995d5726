/**
 * Deliberately broken servers for the contract runner's tests: tombstone's mock, in process, behind a node:http
 * server that breaks one thing on the way (a status, a header, a body, authentication, deletion). All else stays
 * as the mock does it, correct by its own contract tests, so a failing check can only have caught the breakage.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockRequest, MockResponse } from '../../src/core/types.js';
import { createMock } from '../../src/mock.js';

export interface BrokenResponse {
  status: number;
  headers?: Record<string, string>;
  /** A JSON value, or a string sent as it is (give its Content-Type in `headers`). */
  body?: unknown;
}

/** Answers a variant request, usually by changing what `next` (the mock) answers. */
export type Breakage = (req: MockRequest, next: (req: MockRequest) => Promise<MockResponse>) => Promise<BrokenResponse>;

export interface BrokenServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

export interface BrokenOptions {
  /** Serve the control API under /_mock unbroken (default); false: 404 there, so the runner sees a server of its own. */
  control?: boolean;
}

export async function startBrokenServer(breakage: Breakage, options: BrokenOptions = {}): Promise<BrokenServer> {
  const app = await createMock();
  const next = async (req: MockRequest) => app.handle(req);
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await toMockRequest(req);
      const isControl = raw.path === '/_mock' || raw.path.startsWith('/_mock/');
      const answer: BrokenResponse = !isControl ? await breakage(raw, next) : options.control === false ? { status: 404 } : await next(raw);
      const headers = { ...answer.headers };
      let payload: string | undefined;
      if (typeof answer.body === 'string') payload = answer.body;
      else if (answer.body !== undefined) {
        payload = JSON.stringify(answer.body);
        headers['Content-Type'] = 'application/json';
      }
      res.writeHead(answer.status, headers).end(payload);
    })().catch((err: unknown) => res.destroy(err as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function toMockRequest(req: IncomingMessage): Promise<MockRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
  const raw: MockRequest = { method: req.method ?? 'GET', path, query, headers: req.headers as MockRequest['headers'] };
  if (chunks.length > 0) raw.body = Buffer.concat(chunks).toString('utf8');
  return raw;
}

/** `res` without header `name` (any case). */
export function withoutHeader(res: BrokenResponse, name: string): BrokenResponse {
  const headers = Object.fromEntries(Object.entries(res.headers ?? {}).filter(([h]) => h.toLowerCase() !== name.toLowerCase()));
  return { ...res, headers };
}
