/**
 * Prism-compatible forcing of documented responses: `Prefer: code=404`, `Prefer: example=in_use`, or both.
 * The answer is built from the spec alone (its examples and header examples) and never touches state.
 * https://docs.stoplight.io/docs/prism/beec9ce0a5fd1-prism-cli#modifying-responses (Prism), RFC 7240 (Prefer).
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { MockResponse } from './types.js';

export interface Preference {
  code?: string;
  example?: string;
  /** Milliseconds to hold the response (latency injection), bounded by MAX_DELAY_MS. */
  delayMs?: number;
}

export const MAX_DELAY_MS = 30_000;

export function parsePrefer(header: string | undefined): Preference | undefined {
  if (!header) return undefined;
  const preference: Preference = {};
  for (const token of header.split(/[,;]/)) {
    const eq = token.indexOf('=');
    if (eq < 0) continue;
    const name = token.slice(0, eq).trim().toLowerCase();
    const value = token
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'code') preference.code = value;
    else if (name === 'example') preference.example = value;
    else if (name === 'delay') {
      const ms = Number(value);
      if (Number.isFinite(ms) && ms > 0) preference.delayMs = Math.min(ms, MAX_DELAY_MS);
    }
  }
  return preference.code || preference.example || preference.delayMs ? preference : undefined;
}

/** The documented response the preference names, or a reason why none matches. */
export function preferredResponse(
  operation: OpenAPIV3.OperationObject,
  preference: Preference,
): MockResponse | { unsatisfiable: string } {
  const responses = operation.responses as Record<string, OpenAPIV3.ResponseObject>;
  const documented = Object.keys(responses);
  const candidates = preference.code ? (responses[preference.code] ? [preference.code] : []) : documented;
  if (candidates.length === 0) {
    return {
      unsatisfiable: `${operation.operationId} documents no ${preference.code} response; documented: ${documented.join(', ')}`,
    };
  }
  for (const code of candidates) {
    const response = responses[code]!;
    const media = response.content?.['application/json'];
    const examples = (media?.examples ?? {}) as Record<string, OpenAPIV3.ExampleObject>;
    const name = preference.example ?? Object.keys(examples)[0];
    if (preference.example && !(preference.example in examples)) continue;
    return {
      status: Number(code),
      headers: exampleHeaders(response),
      ...(media && name ? { body: structuredClone(examples[name]!.value) } : {}),
    };
  }
  const where = preference.code ? `the ${preference.code} response of ${operation.operationId}` : operation.operationId;
  return { unsatisfiable: `${where} has no example named '${preference.example}'` };
}

function exampleHeaders(response: OpenAPIV3.ResponseObject): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(response.headers ?? {}) as [string, OpenAPIV3.HeaderObject][]) {
    const example =
      (header.schema as OpenAPIV3.SchemaObject | undefined)?.example ??
      (header.schema as OpenAPIV3.SchemaObject | undefined)?.enum?.[0];
    if (example !== undefined && header.required) headers[name] = String(example);
  }
  return headers;
}
