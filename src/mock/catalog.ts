/**
 * Error catalogs, rendered in one place: each API declares its codes (status, default message, what else its
 * envelope needs) and its envelope; handlers and the pipeline name a code, and nothing branches on messages.
 */
import type { AnyTypes, Api, MockRequest, MockResponse, PipelineFailure } from './types.js';

/** The API's answer for `code`, in its error envelope; `detail` replaces the default message. */
export function renderError(
  api: Pick<Api<AnyTypes>, 'errors' | 'envelope'>,
  code: string,
  detail?: string,
): MockResponse {
  const entry = api.errors[code];
  return { status: entry.status, body: api.envelope({ code, message: detail ?? entry.message, entry }) };
}

/** Answers a pipeline failure with the catalog code the API assigns to it; 405s carry `Allow`. */
export function failureResponse(api: Api<AnyTypes>, failure: PipelineFailure, raw: MockRequest): MockResponse {
  const res = renderError(api, api.failures[failure.kind], failureDetail(failure, raw));
  if (failure.kind === 'methodNotAllowed') res.headers = { Allow: failure.allow.join(', ') };
  return res;
}

export function failureDetail(failure: PipelineFailure, raw: MockRequest): string | undefined {
  switch (failure.kind) {
    case 'methodNotAllowed':
      return `${raw.method} is not allowed on this path; allowed methods are ${failure.allow.join(', ')}`;
    case 'payloadTooLarge':
      return `Request body exceeds ${failure.limit} bytes`;
    case 'invalidRequest':
      return failure.message;
    default:
      return undefined;
  }
}
