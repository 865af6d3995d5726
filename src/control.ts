/**
 * The control API under /_mock (openapi/mock-admin.yaml), served like a variant: an OpenAPIBackend with handlers
 * registered by operationId, validated by the generated validators.
 */
import definition from '../generated/mock-admin/definition.js';
import { operations } from '../generated/mock-admin/validators.js';
import type { MockClock } from './core/clock.js';
import { failureResponse } from './core/catalog.js';
import { mockError, renderMockError, type MockErrorCode } from './core/mockErrors.js';
import { describeError } from './core/validation.js';
import { backendHandler, type ApiModule, type Context, type MockResponse, type PipelineFailure } from './core/types.js';
import type { VariantRuntime } from './core/runtime.js';
import { mockBasePath } from './openapi/model.js';
import type { VariantModule } from './core/types.js';
import { landingPage } from './landing/page.js';
import { featureRoutes, type FeatureState } from './mock/admin.js';


/** What the control API acts on: the served variants, the shared clock, the request journal and chaos profiles. */
export interface Controller extends FeatureState {
  clock: MockClock;
  runtimes: Map<string, VariantRuntime>;
  /** A single variant served at the root rather than under /<variant>. */
  atRoot: boolean;
  /** Where the API reference served at /_mock/docs/ is built and kept (default docs/reference/, as `npm run docs`). */
  docsDir?: string | undefined;
  resetAll(): void;
}

const FAILURES: Record<PipelineFailure['kind'], MockErrorCode> = {
  routeNotFound: 'route_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'invalid_request',
  invalidJson: 'invalid_request',
  unauthorized: 'invalid_request',
  invalidRequest: 'invalid_request',
};

/**
 * The API reference (/_mock/docs/), loaded on first use: it reads and builds files, and the rest of the control
 * API also runs where there are none (src/msw.ts in a browser).
 */
async function docs(dir: string | undefined, name?: string): Promise<MockResponse> {
  const { DOCS_DIR, serveDocs } = await import('./designers/docs.js');
  return serveDocs(dir ?? DOCS_DIR, name);
}

export function controlApi(controller: Controller): ApiModule<Controller, object> {
  const served = () => [...controller.runtimes.keys()];
  const runtime = (ctx: Context): VariantRuntime | MockResponse => {
    const name = (ctx.request.params as { variant: string }).variant;
    return controller.runtimes.get(name) ?? mockError('variant_not_found', `No variant '${name}'; served: ${served().join(', ')}`);
  };
  const state = (rt: VariantRuntime) => {
    const module = rt.module as VariantModule;
    module.tick?.(rt.state.store);
    return { variant: module.name, now: new Date(controller.clock.now()).toISOString(), data: module.snapshot(rt.state.store) };
  };
  const tickAll = () => {
    for (const rt of controller.runtimes.values()) (rt.module as VariantModule).tick?.(rt.state.store);
  };
  const clock = (): MockResponse => ({ status: 200, body: { now: new Date(controller.clock.now()).toISOString() } });

  return {
    name: 'mock-admin',
    definition,
    validators: operations,
    createStore: () => controller,
    honoursPrefer: false,
    register(api) {
      api.register({
        getLandingPage: backendHandler((ctx) => {
          const origin = `http://${ctx.raw.headers['host'] ?? 'localhost:4010'}`;
          const shown = [...controller.runtimes.values()].map((rt) => ({
            module: rt.module as VariantModule,
            seed: state(rt).data,
            baseUrl: `${origin}${controller.atRoot ? '' : `/${rt.module.name}`}${mockBasePath(rt.module.definition)}`,
          }));
          return landingPage(new Date(controller.clock.now()).toISOString(), shown);
        }),
        getHealth: backendHandler(() => ({ status: 200, body: { status: 'ok', variants: served(), now: new Date(controller.clock.now()).toISOString() } })),
        resetState: backendHandler((ctx) => {
          const name = (ctx.request.query as { variant?: string }).variant;
          if (name === undefined) {
            controller.resetAll();
            return { status: 200, body: { reset: served() } };
          }
          const rt = controller.runtimes.get(name);
          if (!rt) return mockError('invalid_request', `No variant '${name}'; served: ${served().join(', ')}`);
          rt.reset();
          return { status: 200, body: { reset: [name] } };
        }),
        getClock: backendHandler(clock),
        advanceClock: backendHandler((ctx) => {
          controller.clock.advance((ctx.request.requestBody as { advanceSeconds: number }).advanceSeconds);
          tickAll();
          return clock();
        }),
        getState: backendHandler((ctx) => {
          const rt = runtime(ctx);
          return 'status' in rt ? rt : { status: 200, body: state(rt) };
        }),
        addDocuments: backendHandler((ctx) => {
          const rt = runtime(ctx);
          if ('status' in rt) return rt;
          const module = rt.module as VariantModule;
          if (!module.seedValidator(ctx.request.requestBody)) {
            return mockError('invalid_request', describeError('body', module.seedValidator.errors));
          }
          const conflict = module.merge(rt.state.store, structuredClone(ctx.request.requestBody));
          if (conflict) return mockError('duplicate_document', conflict);
          return { status: 201, body: state(rt) };
        }),
        getDocsIndex: backendHandler(() => docs(controller.docsDir)),
        getDocsPage: backendHandler((ctx) => docs(controller.docsDir, (ctx.request.params as { spec: string }).spec)),
        ...featureRoutes(controller, runtime),
      });
    },
    failure: (failure, ctx) => failureResponse(FAILURES, failure, ctx, renderMockError),
  };
}
