/** Sending one request and recording what came back, for the checks and for the report. */
import type { ObservedResponse } from '../conformance.js';
import { TargetError } from '../errors.js';
import type { HttpRequest } from './operation.js';

export interface Exchange {
  /** The operationId it calls. */
  operation: string;
  /** Why it was sent, e.g. `ignored_auth: without credentials`. */
  title: string;
  request: HttpRequest;
  response: ObservedResponse;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends `request` as it is: the body goes as bytes, so fetch adds no Content-Type of its own, and redirects are
 * not followed (a 3xx is an answer to check like any other).
 */
export async function send(request: HttpRequest): Promise<ObservedResponse> {
  let res: Response;
  try {
    res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: Buffer.from(request.body) } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new TargetError(
      `Failed to reach ${request.method} ${request.url}: ${cause}. ` +
        'Try checking --base-url and that the server is running.',
    );
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}
