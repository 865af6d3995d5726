/**
 * The implementations the shared contract suite runs against (one suite, several targets, as Hono's runTest does).
 * Each target gives a fetch and an origin; a target that cannot reproduce a behaviour says why in `skip`.
 */
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

export const targets: Target[] = [httpTarget];
