/**
 * Velt's error catalog, in the page's Failure Response envelope `{error: {message, status}}` with google.rpc
 * status names. https://docs.velt.dev/api-reference/rest-apis/v2/documents/delete-documents
 */
import type { components } from '../../../generated/velt/types.js';
import type { Catalog, ErrorRenderer } from '../../mock/catalog.js';

type RpcStatus = components['schemas']['Error']['error']['status'];

export type ErrorCode =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'organization_not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type';

export const errors: Catalog<ErrorCode> & Record<ErrorCode, { rpcStatus: RpcStatus }> = {
  invalid_argument: { status: 400, rpcStatus: 'INVALID_ARGUMENT', message: 'Invalid request' },
  unauthenticated: { status: 401, rpcStatus: 'UNAUTHENTICATED', message: 'Invalid x-velt-api-key or x-velt-auth-token' },
  organization_not_found: { status: 404, rpcStatus: 'NOT_FOUND', message: 'Organization not found' },
  route_not_found: { status: 404, rpcStatus: 'NOT_FOUND', message: 'Not found' },
  method_not_allowed: { status: 405, rpcStatus: 'INVALID_ARGUMENT', message: 'Method not allowed; use POST' },
  payload_too_large: { status: 413, rpcStatus: 'INVALID_ARGUMENT', message: 'Request body too large' },
  unsupported_media_type: { status: 415, rpcStatus: 'INVALID_ARGUMENT', message: 'Content-Type must be application/json' },
};

export const error: ErrorRenderer<ErrorCode> = (code, _ctx, detail) => ({
  status: errors[code].status,
  body: { error: { message: detail ?? errors[code].message, status: errors[code].rpcStatus } },
});
