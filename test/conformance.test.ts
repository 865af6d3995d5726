/** The response checks themselves (src/conformance.ts), on observed responses given as they are. */
import { describe, expect, test } from 'vitest';
import { checkResponse } from '../src/conformance.js';
import { specs } from '../src/specs.js';

const notFound = JSON.stringify({ error: 'Document not found' });

describe('content_type_conformance', () => {
  test.each([
    { given: 'the documented media type', contentType: 'application/json; charset=utf-8', want: [] },
    { given: 'the media type in another case', contentType: 'Application/JSON', want: [] },
    {
      given: 'an undocumented media type',
      contentType: 'text/html',
      want: [/content-type text\/html is not one of application\/json/],
    },
    // What fetch makes of a Content-Type header sent twice.
    {
      given: 'the header sent twice',
      contentType: 'application/json, application/json; charset=utf-8',
      want: [/is not one media type \(sent twice\?\)/],
    },
    { given: 'no header', contentType: undefined, want: [/content-type \(none\)/] },
  ])('$given', ({ contentType, want }) => {
    const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
    const violations = checkResponse(specs['oneflow']!, 'deleteDocument', { status: 404, headers, body: notFound });
    expect(violations.map((v) => v.check)).toEqual(want.map(() => 'content_type_conformance'));
    for (const [i, pattern] of want.entries()) expect(violations[i]!.message).toMatch(pattern);
  });
});
