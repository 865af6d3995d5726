/**
 * Starts the real mock on an ephemeral loopback port for a test file, seeded from mocks/ (or a given dir), and
 * gives tests real HTTP plus response checking against the specs.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createHttpServer, type HttpOptions } from '../../src/mock/adapter/node/http.js';
import { type CreateMockOptions, createMock } from '../../src/mock/adapter/node/index.js';
import type { MockApp } from '../../src/mock/app.js';
import { MockClock } from '../../src/mock/clock.js';

export interface RunningMock {
  /** http://127.0.0.1:<port> */
  origin: string;
  app: MockApp;
  clock: MockClock;
  close(): Promise<void>;
}

export async function startMock(options: CreateMockOptions & { http?: HttpOptions } = {}): Promise<RunningMock> {
  const { http, ...mockOptions } = options;
  const clock = mockOptions.clock ?? new MockClock();
  const app = await createMock({ ...mockOptions, clock });
  return { ...(await listen(app, http)), app, clock };
}

/** `app` behind tombstone's node:http adapter on an ephemeral loopback port. */
export async function listen(
  app: Pick<MockApp, 'handle'>,
  http?: HttpOptions,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createHttpServer(app, http);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A fetch Response turned into what the conformance checks read. */
export async function observe(
  res: Response,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: res.status, headers, body: await res.text() };
}

/**
 * The mock for a whole test file: started before its tests, closed after them, and reset to the seed before each
 * test (through the control API, as any client would). Read `mock()` inside tests and hooks.
 */
export function useMock(options: Parameters<typeof startMock>[0] = {}): () => RunningMock {
  let running: RunningMock | undefined;
  beforeAll(async () => {
    running = await startMock(options);
  });
  afterAll(() => running?.close());
  beforeEach(async () => {
    await fetch(`${running!.origin}/_mock/reset`, { method: 'POST' });
  });
  return () => running!;
}
