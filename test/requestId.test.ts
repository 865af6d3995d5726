/**
 * LeadLex's X-Request-ID values (src/variants/leadlex/requestId.ts): the page's `req_` + ULID format, unique and
 * in order, also across the carries of the monotonic counter (one every 32 IDs, a longer one every 1,024).
 */
import { expect, test } from 'vitest';
import { LeadlexRequest } from '../src/variants/leadlex/index.js';
import { nextRequestId } from '../src/variants/leadlex/requestId.js';

test('100,000 request IDs in a row are well-formed, distinct and strictly increasing', () => {
  const ids = Array.from({ length: 100_000 }, nextRequestId);
  const malformed = ids.filter((id) => !/^req_[0-9A-HJKMNP-TV-Z]{26}$/.test(id));
  expect(malformed).toEqual([]);
  const outOfOrder = ids.slice(1).filter((id, i) => id <= ids[i]!);
  expect(outOfOrder).toEqual([]);
});

test('a request keeps its ID: the audit entry and the response header agree', () => {
  const request = new LeadlexRequest();
  expect(request.requestId).toBe(request.requestId);
  expect(new LeadlexRequest().requestId).not.toBe(request.requestId);
});
