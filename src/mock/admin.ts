/**
 * The control routes of the request journal and of chaos profiles (openapi/mock-admin.yaml, tags Requests and
 * Chaos), registered with the rest of the control API (control.ts).
 */
import type { components } from '../../generated/mock-admin/types.js';
import { Chaos, profileProblem } from './chaos.js';
import type { Controller, ControlTypes } from './control.js';
import { mockError } from './mockErrors.js';
import type { VariantRuntime } from './runtime.js';
import type { HandlerOf, MockResponse } from './types.js';

type ChaosState = components['schemas']['ChaosState'];
type Id = 'listRequests' | 'clearRequests' | 'getChaos' | 'putChaos' | 'deleteChaos';

/** The handlers by operationId; `runtime` finds the variant a path names, or answers its 404. */
export function featureRoutes(
  controller: Controller,
  runtime: (name: string) => VariantRuntime | MockResponse,
): { [K in Id]: HandlerOf<ControlTypes, K> } {
  const chaosState = (rt: VariantRuntime): MockResponse => {
    const body: ChaosState = { variant: rt.variant.name as ChaosState['variant'] };
    if (rt.chaos) body.profile = rt.chaos.profile;
    return { status: 200, body };
  };
  const withVariant = (name: string, fn: (rt: VariantRuntime) => MockResponse): MockResponse => {
    const rt = runtime(name);
    return 'status' in rt ? rt : fn(rt);
  };
  return {
    listRequests: (req) => {
      const { since, ...filter } = req.query;
      const requests = controller.journal.query({
        ...filter,
        since: since === undefined ? undefined : Date.parse(since),
      });
      return { status: 200, body: { requests } };
    },
    clearRequests: () => ({ status: 200, body: { cleared: controller.journal.clear() } }),
    getChaos: (req) => withVariant(req.params.variant, chaosState),
    putChaos: (req) =>
      withVariant(req.params.variant, (rt) => {
        const problem = profileProblem(rt.variant.name, rt.variant.definition, req.body);
        if (problem) return mockError('invalid_request', problem);
        rt.chaos = new Chaos(rt.variant.definition, req.body);
        return chaosState(rt);
      }),
    deleteChaos: (req) =>
      withVariant(req.params.variant, (rt) => {
        rt.chaos = undefined;
        return chaosState(rt);
      }),
  };
}
