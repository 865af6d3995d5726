/**
 * `tombstone`: the programmatic API of the installed package. The stateful mock as a library: build a seeded
 * MockApp with createMock and serve it with createHttpServer (what `tombstone serve` does), or hand its requests
 * to `app.handle` yourself. The MSW handlers are `tombstone/msw`, the contract runner `tombstone/contract`.
 *
 *   import { createHttpServer, createMock } from 'tombstone';
 *   createHttpServer(await createMock()).listen(4010);
 */
export { TargetError, TombstoneError, UsageError } from './errors.js';
export { type CreateMockOptions, createHttpServer, createMock, type HttpOptions } from './mock/adapter/node/index.js';
export {
  type Clock,
  MockApp,
  type MockAppOptions,
  MockClock,
  type MockRequest,
  type MockResponse,
  type Variant,
} from './mock/index.js';
export { type VariantName, variantNames } from './variants/registry.js';
