/**
 * Turns ajv errors into the one-line messages error bodies carry, naming the request part and field:
 * "query parameter 'hard' must be boolean", "body data.documentIds must NOT have more than 10000 items".
 */
import type { ErrorObject } from 'ajv';

export type RequestPart = 'path' | 'query' | 'headers' | 'body';

export function describeError(part: RequestPart, errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (!error) return `invalid ${part}`;
  const field = error.instancePath.split('/').slice(1).join('.');
  const missing = error.keyword === 'required' ? String(error.params['missingProperty']) : undefined;
  const extra = error.keyword === 'additionalProperties' ? `: '${String(error.params['additionalProperty'])}'` : '';
  switch (part) {
    case 'path':
      return `path parameter '${field}' ${error.message}`;
    case 'query':
      return missing ? `query parameter '${missing}' is required` : `query parameter '${field}' ${error.message}`;
    case 'headers':
      return missing ? `header '${missing}' is required` : `header '${field}' ${error.message}`;
    case 'body':
      return `request body${field ? ` ${field}` : ''} ${error.message}${extra}`;
  }
}
