/**
 * The implementations the shared contract suite runs against (one suite, several targets, as Hono's runTest does).
 * Each target gives a fetch and an origin; a target that cannot reproduce a behaviour says why in `skip`.
 */
import { setupServer } from 'msw/node';
import { createHandlers } from '../../src/mock/adapter/msw/index.js';
import { startMock } from './mock.js';

export interface RunningTarget {
  origin: string;
  fetch: typeof fetch;
  close(): Promise<void>;
}

export interface Target {
  name: string;
  /** Case tags this target cannot exercise, with the reason. */
  skip: Record<string, string>;
  start(): Promise<RunningTarget>;
}

export const httpTarget: Target = {
  name: 'http',
  skip: {},
  async start() {
    const mock = await startMock();
    return { origin: mock.origin, fetch: globalThis.fetch.bind(globalThis), close: mock.close };
  },
};

/**
 * The MSW handlers (src/mock/adapter/msw/index.ts) under `setupServer`, as a frontend's vitest uses them: the same
 * MockApp, reached by intercepting fetch for an origin no socket serves. One at a time per process: setupServer patches the global fetch.
 */
export const mswTarget: Target = {
  name: 'msw',
  // The MSW adapter answers an oversized body with the same 413. Socket behaviour (Connection: close after a 413,
  // header-size and timeout limits) is HTTP-only and not part of this suite.
  skip: { docs: 'the MSW handlers build no API reference: /_mock/docs answers docs_unavailable (test/msw.test.ts)' },
  async start() {
    const origin = 'http://tombstone.test';
    const server = setupServer(...(await createHandlers({ origin })));
    // Requests to other origins (a real server in the same file) pass through untouched.
    server.listen({ onUnhandledRequest: 'bypass' });
    return { origin, fetch: (input, init) => globalThis.fetch(input, init), close: async () => server.close() };
  },
};

export const targets: Target[] = [httpTarget, mswTarget];
