/**
 * `tombstone`: the programmatic API of the installed package. The stateful mock as a library: build a seeded
 * MockApp with createMock and serve it with createHttpServer (what `tombstone serve` does), or hand its requests
 * to `app.handle` yourself. The MSW handlers are `tombstone/msw`, the contract runner `tombstone/contract`.
 *
 *   import { createMock, createHttpServer } from 'tombstone';
 *   createHttpServer(await createMock()).listen(4010);
 */
export { MockApp, type MockAppOptions } from './app.js';
export { type Clock, MockClock } from './core/clock.js';
export type { MockRequest, MockResponse, VariantModule } from './core/types.js';
export { TargetError, TombstoneError, UsageError } from './errors.js';
export { createHttpServer, type HttpOptions } from './http.js';
export { type CreateMockOptions, createMock } from './mock.js';
export { type VariantName, variants } from './variants/index.js';
