/**
 * The control routes of the request journal and of chaos profiles (openapi/mock-admin.yaml, tags Requests and
 * Chaos), registered with the rest of the control API.
 */
import type { components } from '../../generated/mock-admin/types.js';
import { mockError } from '../core/mockErrors.js';
import type { VariantRuntime } from '../core/runtime.js';
import { backendHandler, type Context, type MockResponse } from '../core/types.js';
import { Chaos, profileProblem, type ChaosProfile } from './chaos.js';
import type { RequestJournal } from './journal.js';

type ChaosState = components['schemas']['ChaosState'];

/** What these routes act on. */
export interface FeatureState {
  journal: RequestJournal;
  /** The chaos profile in force per variant. */
  chaos: Map<string, Chaos>;
}

interface ListQuery {
  variant?: string;
  operationId?: string;
  status?: number;
  since?: string;
  limit?: number;
}

/** The handlers by operationId, for `api.register`; `runtimeOf` finds the variant a path names, or answers 404. */
export function featureRoutes(state: FeatureState, runtimeOf: (ctx: Context) => VariantRuntime | MockResponse) {
  const chaosState = (variant: string): MockResponse => {
    const body: ChaosState = { variant: variant as ChaosState['variant'] };
    const chaos = state.chaos.get(variant);
    if (chaos) body.profile = chaos.profile;
    return { status: 200, body };
  };
  const withVariant = (fn: (rt: VariantRuntime, ctx: Context) => MockResponse) =>
    backendHandler((ctx) => {
      const rt = runtimeOf(ctx);
      return 'status' in rt ? rt : fn(rt, ctx);
    });
  return {
    listRequests: backendHandler((ctx) => {
      const query = ctx.request.query as ListQuery;
      const since = query.since === undefined ? undefined : Date.parse(query.since);
      return { status: 200, body: { requests: state.journal.query({ ...query, since }) } };
    }),
    clearRequests: backendHandler(() => ({ status: 200, body: { cleared: state.journal.clear() } })),
    getChaos: withVariant((rt) => chaosState(rt.module.name)),
    putChaos: withVariant((rt, ctx) => {
      const profile = ctx.request.requestBody as ChaosProfile;
      const problem = profileProblem(rt.module.name, rt.module.definition, profile);
      if (problem) return mockError('invalid_request', problem);
      state.chaos.set(rt.module.name, new Chaos(rt.module.definition, profile));
      return chaosState(rt.module.name);
    }),
    deleteChaos: withVariant((rt) => {
      state.chaos.delete(rt.module.name);
      return chaosState(rt.module.name);
    }),
  };
}
