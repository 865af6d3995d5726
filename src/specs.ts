/** Every spec tombstone serves, with its generated validators: the five variants and the control API. */
import adminDefinition from '../generated/mock-admin/definition.js';
import { operations as adminValidators, schemas as adminSchemas } from '../generated/mock-admin/validators.js';
import type { OpenAPIV3 } from 'openapi-types';
import type { Spec, Violation, ObservedResponse } from './conformance.js';
import { checkDocumentedResponse } from './conformance.js';
import { variants } from './variants/registry.js';

export const specs: Record<string, Spec> = {
  ...Object.fromEntries(Object.values(variants).map((v) => [v.name, { definition: v.definition, validators: v.validators }])),
  'mock-admin': { definition: adminDefinition, validators: adminValidators },
};

export type MockLayerResponse =
  | 'routeNotFound'
  | 'methodNotAllowed'
  | 'payloadTooLarge'
  | 'preferUnsatisfiable'
  | 'preflight'
  | 'malformedRequest'
  | 'requestTimeout'
  | 'headersTooLarge';

/** Checks a response of the mock layer itself against openapi/mock-admin.yaml's `x-mock-layer`. */
export function checkMockLayerResponse(kind: MockLayerResponse, observed: ObservedResponse): Violation[] {
  const layer = (adminDefinition as unknown as { 'x-mock-layer': Record<MockLayerResponse, OpenAPIV3.ResponseObject> })['x-mock-layer'];
  const response = layer[kind];
  return checkDocumentedResponse(response, response.content ? { body: adminSchemas.MockError } : {}, observed, `mock layer ${kind}`);
}
