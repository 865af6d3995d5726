/**
 * Error catalogs: one per variant, stable codes mapped to a status and a default message. Handlers name a code;
 * nothing branches on message strings.
 */
import type { Context, MockResponse, PipelineFailure } from './types.js';

export interface CatalogEntry {
  status: number;
  message: string;
}

export type Catalog<Code extends string> = Record<Code, CatalogEntry>;

/** What a request answered with `code` gets: the status and the code (the landing page's expectations). */
export function failsWith<Code extends string>(catalog: Catalog<Code>, code: Code): { status: number; code: Code } {
  return { status: catalog[code].status, code };
}

/** Renders a catalog entry in the variant's error envelope. */
export type ErrorRenderer<Code extends string> = (code: Code, ctx: Context, detail?: string) => MockResponse;

/** Answers a pipeline failure with the catalog code the variant assigns to it; 405s carry `Allow`. */
export function failureResponse<Code extends string>(
  codes: Record<PipelineFailure['kind'], Code>,
  failure: PipelineFailure,
  ctx: Context,
  render: ErrorRenderer<Code>,
): MockResponse {
  const res = render(codes[failure.kind], ctx, failureDetail(failure, ctx));
  if (failure.kind === 'methodNotAllowed') res.headers = { ...res.headers, Allow: failure.allow.join(', ') };
  return res;
}

function failureDetail(failure: PipelineFailure, ctx: Context): string | undefined {
  switch (failure.kind) {
    case 'methodNotAllowed':
      return `${ctx.raw.method} is not allowed on this path; allowed methods are ${failure.allow.join(', ')}`;
    case 'payloadTooLarge':
      return `Request body exceeds ${failure.limit} bytes`;
    case 'invalidRequest':
      return failure.message;
    default:
      return undefined;
  }
}
