/**
 * Velt's error catalog, in the page's Failure Response envelope `{error: {message, status}}` with google.rpc
 * status names. https://docs.velt.dev/api-reference/rest-apis/v2/documents/delete-documents
 */
import type { components } from '../../../generated/velt/types.js';
import type { CatalogEntry, PipelineFailure } from '../../mock/types.js';

type RpcStatus = components['schemas']['Error']['error']['status'];

export type ErrorCode =
  | 'invalid_argument'
  | 'unauthenticated'
  | 'organization_not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type';

export type Entry = CatalogEntry & { rpcStatus: RpcStatus };

export const errors: Record<ErrorCode, Entry> = {
  invalid_argument: { status: 400, rpcStatus: 'INVALID_ARGUMENT', message: 'Invalid request' },
  unauthenticated: {
    status: 401,
    rpcStatus: 'UNAUTHENTICATED',
    message: 'Invalid x-velt-api-key or x-velt-auth-token',
  },
  organization_not_found: { status: 404, rpcStatus: 'NOT_FOUND', message: 'Organization not found' },
  route_not_found: { status: 404, rpcStatus: 'NOT_FOUND', message: 'Not found' },
  method_not_allowed: { status: 405, rpcStatus: 'INVALID_ARGUMENT', message: 'Method not allowed; use POST' },
  payload_too_large: { status: 413, rpcStatus: 'INVALID_ARGUMENT', message: 'Request body too large' },
  unsupported_media_type: {
    status: 415,
    rpcStatus: 'INVALID_ARGUMENT',
    message: 'Content-Type must be application/json',
  },
};

export const envelope = ({ message, entry }: { message: string; entry: Entry }) => ({
  error: { message, status: entry.rpcStatus },
});

export const failures: Record<PipelineFailure['kind'], ErrorCode> = {
  routeNotFound: 'route_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  invalidJson: 'invalid_argument',
  unauthorized: 'unauthenticated',
  invalidRequest: 'invalid_argument',
};
