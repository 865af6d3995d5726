/**
 * Every spec tombstone serves, with its generated validators (the five variants and the control API), and what
 * the contract runner needs to exercise each variant. Read from generated/ and each variant's contract.ts only:
 * nothing here loads the mock.
 */
import type { OpenAPIV3 } from 'openapi-types';
import difyDefinition from '../generated/dify/definition.js';
import { operations as difyValidators } from '../generated/dify/validators.js';
import leadlexDefinition from '../generated/leadlex/definition.js';
import { operations as leadlexValidators } from '../generated/leadlex/validators.js';
import adminDefinition from '../generated/mock-admin/definition.js';
import { schemas as adminSchemas, operations as adminValidators } from '../generated/mock-admin/validators.js';
import oneflowDefinition from '../generated/oneflow/definition.js';
import { operations as oneflowValidators } from '../generated/oneflow/validators.js';
import tavusDefinition from '../generated/tavus/definition.js';
import { operations as tavusValidators } from '../generated/tavus/validators.js';
import veltDefinition from '../generated/velt/definition.js';
import { operations as veltValidators } from '../generated/velt/validators.js';
import type { ObservedResponse, Spec, Violation } from './conformance.js';
import { checkDocumentedResponse } from './conformance.js';
import type { VariantContract } from './contract/plans.js';
import { contract as dify } from './variants/dify/contract.js';
import { contract as leadlex } from './variants/leadlex/contract.js';
import { contract as oneflow } from './variants/oneflow/contract.js';
import { contract as tavus } from './variants/tavus/contract.js';
import { contract as velt } from './variants/velt/contract.js';

interface VariantSpec extends Spec {
  contract: VariantContract;
}

/** The variants, in the order tombstone lists them: the one list of them outside the mock. */
const VARIANTS: Record<string, VariantSpec> = {
  leadlex: { definition: leadlexDefinition, validators: leadlexValidators, contract: leadlex },
  dify: { definition: difyDefinition, validators: difyValidators, contract: dify },
  tavus: { definition: tavusDefinition, validators: tavusValidators, contract: tavus },
  velt: { definition: veltDefinition, validators: veltValidators, contract: velt },
  oneflow: { definition: oneflowDefinition, validators: oneflowValidators, contract: oneflow },
};

export const specs: Record<string, Spec> = {
  ...Object.fromEntries(
    Object.entries(VARIANTS).map(([name, v]) => [name, { definition: v.definition, validators: v.validators }]),
  ),
  'mock-admin': { definition: adminDefinition, validators: adminValidators },
};

/** What the contract runner needs to exercise each variant, by name. */
export const contracts: Record<string, VariantContract> = Object.fromEntries(
  Object.entries(VARIANTS).map(([name, v]) => [name, v.contract]),
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
