/**
 * Deliberately broken servers for the contract runner's tests: tombstone's mock, in process, behind a node:http
 * server that breaks one thing on the way (a status, a header, a body, authentication, deletion). All else stays
 * as the mock does it, correct by its own contract tests, so a failing check can only have caught the breakage.
 */

import { createMock } from '../../src/mock/adapter/node/index.js';
import type { MockRequest, MockResponse } from '../../src/mock/types.js';
import { listen } from './mock.js';

/** What a breakage answers: a body is sent as JSON, or as it is when it is a string with its `Content-Type`. */
export type BrokenResponse = MockResponse;

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

/** The breakage in front of the mock, behind tombstone's own node:http adapter. */
export async function startBrokenServer(breakage: Breakage, options: BrokenOptions = {}): Promise<BrokenServer> {
  const app = await createMock();
  const next = async (req: MockRequest) => app.handle(req);
  return listen({
    handle: (raw) => {
      const isControl = raw.path === '/_mock' || raw.path.startsWith('/_mock/');
      if (!isControl) return breakage(raw, next);
      return options.control === false ? { status: 404 } : app.handle(raw);
    },
  });
}

/** `res` without header `name` (any case). */
export function withoutHeader(res: BrokenResponse, name: string): BrokenResponse {
  const headers = Object.fromEntries(
    Object.entries(res.headers ?? {}).filter(([h]) => h.toLowerCase() !== name.toLowerCase()),
  );
  return { ...res, headers };
}
