/**
 * The control API under /_mock (openapi/mock-admin.yaml), served like a variant: handlers by operationId on an
 * OpenAPIBackend, validated by the generated validators, errors from the mock layer's catalog.
 */
import definition from '../../generated/mock-admin/definition.js';
import type { operations } from '../../generated/mock-admin/types.js';
import { operations as validators } from '../../generated/mock-admin/validators.js';
import { mockBasePath } from '../openapi/model.js';
import type { MockClock } from './clock.js';
import { featureRoutes } from './admin.js';
import type { RequestJournal } from './journal.js';
import { landingPage } from './landing/page.js';
import { mockError, mockLayer, type MockErrorCode } from './mockErrors.js';
import type { VariantRuntime } from './runtime.js';
import type { Api, CatalogEntry, MockResponse } from './types.js';
import { describeError } from './validation.js';

/** The API reference of one spec (or the index without one), built where there are files to build it from. */
export type DocsProvider = (spec?: string) => Promise<MockResponse>;

/** What the control API acts on: the served variants, the shared clock and the request journal. */
export interface Controller {
  clock: MockClock;
  journal: RequestJournal;
  runtimes: Map<string, VariantRuntime>;
  /** A single variant served at the root rather than under /<variant>. */
  atRoot: boolean;
  docs: DocsProvider | undefined;
  resetAll(): void;
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
  const now = () => new Date(controller.clock.now()).toISOString();
  const unknown = (name: string) => `No variant '${name}'; served: ${served().join(', ')}`;
  const runtime = (name: string): VariantRuntime | MockResponse =>
    controller.runtimes.get(name) ?? mockError('variant_not_found', unknown(name));
  const state = (rt: VariantRuntime) => ({ variant: rt.variant.name, now: now(), data: rt.snapshot() });
  const clock = (): MockResponse => ({ status: 200, body: { now: now() } });
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
      getLandingPage: (req) => {
        const origin = `http://${req.raw.headers['host'] ?? 'localhost:4010'}`;
        const shown = [...controller.runtimes.values()].map((rt) => ({
          variant: rt.variant,
          seed: state(rt).data,
          baseUrl: `${origin}${controller.atRoot ? '' : `/${rt.variant.name}`}${mockBasePath(rt.variant.definition)}`,
        }));
        return landingPage(now(), shown, controller.journal.query({ limit: LANDING_REQUESTS }));
      },
      getHealth: () => ({ status: 200, body: { status: 'ok', variants: served(), now: now() } }),
      resetState: (req) => {
        const name = req.query.variant;
        if (name === undefined) {
          controller.resetAll();
          return { status: 200, body: { reset: served() } };
        }
        const rt = controller.runtimes.get(name);
        if (!rt) return mockError('invalid_request', unknown(name));
        rt.reset();
        return { status: 200, body: { reset: [name] } };
      },
      getClock: clock,
      advanceClock: (req) => {
        controller.clock.advance(req.body.advanceSeconds);
        for (const rt of controller.runtimes.values()) rt.tick();
        return clock();
      },
      getState: (req) => {
        const rt = runtime(req.params.variant);
        return 'status' in rt ? rt : { status: 200, body: state(rt) };
      },
      addDocuments: (req) => {
        const rt = runtime(req.params.variant);
        if ('status' in rt) return rt;
        const { seedValidator } = rt.variant;
        if (!seedValidator(req.body)) return mockError('invalid_request', describeError('body', seedValidator.errors));
        const conflict = rt.store.merge(structuredClone(req.body));
        if (conflict) return mockError('duplicate_document', conflict);
        return { status: 201, body: state(rt) };
      },
      getDocsIndex: () => docs(),
      getDocsPage: (req) => docs(req.params.spec),
      ...featureRoutes(controller, runtime),
    },
  };
}
