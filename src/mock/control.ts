/**
 * The control API under /_mock (openapi/mock-admin.yaml), served like a variant: handlers by operationId on an
 * OpenAPIBackend, validated by the generated validators, errors from the mock layer's catalog.
 */
import definition from '../../generated/mock-admin/definition.js';
import type { operations } from '../../generated/mock-admin/types.js';
import { operations as validators } from '../../generated/mock-admin/validators.js';
import { mockBasePath } from '../openapi/model.js';
import { featureRoutes } from './admin.js';
import type { Awaitable } from './awaitable.js';
import type { RequestJournal } from './journal.js';
import { landingPage } from './landing/page.js';
import { type MockErrorCode, mockError, mockLayer } from './mockErrors.js';
import type { VariantRuntime } from './runtime.js';
import type { Api, CatalogEntry, ControlClock, MockResponse, SharedState } from './types.js';
import { describeError } from './validation.js';

/** The API reference of one spec (or the index without one), built where there are files to build it from. */
export type DocsProvider = (spec?: string) => Promise<MockResponse>;

/** What the control API acts on: the served variants, the clock, and where their state lives. */
export interface Controller {
  clock: ControlClock;
  journal: RequestJournal;
  runtimes: Map<string, VariantRuntime>;
  /** A single variant served at the root rather than under /<variant>. */
  atRoot: boolean;
  docs: DocsProvider | undefined;
  resetAll(): Awaitable<void>;
  /** `memory`, or the state shared with other processes (GET /_mock/health reports it). */
  shared: SharedState | undefined;
}

/** How many of the latest requests the landing page shows. */
const LANDING_REQUESTS = 20;

export interface ControlTypes {
  operations: operations;
  store: Controller;
  principal: undefined;
  code: MockErrorCode;
  locals: undefined;
  entry: CatalogEntry;
}

export function controlApi(controller: Controller): Api<ControlTypes> {
  const served = () => [...controller.runtimes.keys()];
  // Not the hot path: plain async functions, each reading the shared clock when there is one.
  const now = async () => new Date(await (controller.clock.shared?.() ?? controller.clock.now())).toISOString();
  const unknown = (name: string) => `No variant '${name}'; served: ${served().join(', ')}`;
  const runtime = (name: string): VariantRuntime | MockResponse =>
    controller.runtimes.get(name) ?? mockError('variant_not_found', unknown(name));
  const state = async (rt: VariantRuntime) => ({
    variant: rt.variant.name,
    now: await now(),
    data: await rt.snapshot(),
  });
  const clock = async (): Promise<MockResponse> => ({ status: 200, body: { now: await now() } });
  const noDocs = 'The API reference is served by `tombstone serve`, not here.';
  const docs = (spec?: string) => controller.docs?.(spec) ?? mockError('docs_unavailable', noDocs);

  return {
    name: 'mock-admin',
    definition,
    validators,
    createStore: () => controller,
    honoursPrefer: false,
    ...mockLayer,
    failures: {
      routeNotFound: 'route_not_found',
      methodNotAllowed: 'method_not_allowed',
      payloadTooLarge: 'payload_too_large',
      unsupportedMediaType: 'invalid_request',
      invalidJson: 'invalid_request',
      unauthorized: 'invalid_request',
      invalidRequest: 'invalid_request',
    },
    handlers: {
      getLandingPage: async (req) => {
        const origin = `http://${req.raw.headers['host'] ?? 'localhost:4010'}`;
        const shown = await Promise.all(
          [...controller.runtimes.values()].map(async (rt) => ({
            variant: rt.variant,
            seed: await rt.snapshot(),
            baseUrl: `${origin}${controller.atRoot ? '' : `/${rt.variant.name}`}${mockBasePath(rt.variant.definition)}`,
          })),
        );
        return landingPage(await now(), shown, controller.journal.query({ limit: LANDING_REQUESTS }));
      },
      getHealth: async () => {
        const { shared } = controller;
        const reachable = shared ? await shared.reachable() : true;
        // Without the store, this process's last reading of the shared clock.
        const at = reachable ? await now() : new Date(controller.clock.now()).toISOString();
        const store = { kind: shared?.kind ?? 'memory', reachable };
        return { status: 200, body: { status: 'ok', variants: served(), now: at, store } };
      },
      resetState: async (req) => {
        const name = req.query.variant;
        if (name === undefined) {
          await controller.resetAll();
          return { status: 200, body: { reset: served() } };
        }
        const rt = controller.runtimes.get(name);
        if (!rt) return mockError('invalid_request', unknown(name));
        await rt.reset();
        return { status: 200, body: { reset: [name] } };
      },
      getClock: clock,
      advanceClock: async (req) => {
        await controller.clock.advance(req.body.advanceSeconds);
        for (const rt of controller.runtimes.values()) await rt.tick();
        return clock();
      },
      getState: async (req) => {
        const rt = runtime(req.params.variant);
        return 'status' in rt ? rt : { status: 200, body: await state(rt) };
      },
      addDocuments: async (req) => {
        const rt = runtime(req.params.variant);
        if ('status' in rt) return rt;
        const { seedValidator } = rt.variant;
        if (!seedValidator(req.body)) return mockError('invalid_request', describeError('body', seedValidator.errors));
        const conflict = await rt.store.merge(structuredClone(req.body));
        if (conflict) return mockError('duplicate_document', conflict);
        return { status: 201, body: await state(rt) };
      },
      getDocsIndex: () => docs(),
      getDocsPage: (req) => docs(req.params.spec),
      ...featureRoutes(controller, runtime),
    },
  };
}
