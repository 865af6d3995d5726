/**
 * The mock's core, free of Node built-ins (test/layout.test.ts bundles it for the browser): the app, its clock,
 * and the model the adapters and variants share. Adapters: ./adapter/node (node:http), ./adapter/msw (MSW).
 */
export { MockApp, type MockAppOptions } from './app.js';
export { type Clock, MockClock } from './clock.js';
export type { DocsProvider } from './control.js';
export type * from './types.js';
export { encodeBody } from './types.js';
