/**
 * Every spec tombstone serves, with its generated validators (the variants of src/variants/registry.ts and the
 * control API), and what the contract runner needs to exercise each variant (its folder's contract.ts). The
 * registry loads the variant folders, which import nothing from the mock's core (test/layout.test.ts).
 */
import type { OpenAPIV3 } from 'openapi-types';
import adminDefinition from '../generated/mock-admin/definition.js';
import { schemas as adminSchemas, operations as adminValidators } from '../generated/mock-admin/validators.js';
import type { ObservedResponse, Spec, Violation } from './conformance.js';
import { checkDocumentedResponse } from './conformance.js';
import type { VariantContract } from './contract/plans.js';
import { variants } from './variants/registry.js';

export const specs: Record<string, Spec> = {
  ...Object.fromEntries(
    Object.values(variants).map((v) => [v.name, { definition: v.definition, validators: v.validators }]),
  ),
  'mock-admin': { definition: adminDefinition, validators: adminValidators },
};

/** What the contract runner needs to exercise each variant, by name. */
export const contracts: Record<string, VariantContract> = Object.fromEntries(
  Object.values(variants).map((v) => [v.name, v.contract]),
);

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
  const layer = (adminDefinition as unknown as { 'x-mock-layer': Record<MockLayerResponse, OpenAPIV3.ResponseObject> })[
    'x-mock-layer'
  ];
  const response = layer[kind];
  return checkDocumentedResponse(
    response,
    response.content ? { body: adminSchemas.MockError } : {},
    observed,
    `mock layer ${kind}`,
  );
}
