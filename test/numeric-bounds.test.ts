/**
 * Numeric bounds as the contract runner reads them (src/openapi/bounds.ts): both forms of `exclusiveMinimum` /
 * `exclusiveMaximum` (OpenAPI 3.0's boolean beside `minimum`/`maximum`, 3.1's number), `multipleOf`, integer and
 * number. Given a schema, want the least and greatest values it allows, the value the runner sends by default and
 * the values it sends as out of bounds; then every one of them is put to ajv, as `npm run generate` compiles the
 * schema, so the runner and the generated validators cannot disagree.
 */
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { toJsonSchema } from '../src/designers/generate.js';
import { allowedNumber, allowedRange, outOfBounds } from '../src/openapi/bounds.js';

interface Case {
  name: string;
  given: Record<string, unknown>;
  want: { least?: number; greatest?: number; value: number; forbidden: number[] };
}

// biome-ignore format: a table, one case per line
const cases: Case[] = [
  { name: 'integer, no bounds', given: { type: 'integer' }, want: { value: 1, forbidden: [1.5] } },
  { name: 'number, no bounds', given: { type: 'number' }, want: { value: 1, forbidden: [] } },
  { name: 'integer, inclusive minimum 0', given: { type: 'integer', minimum: 0 }, want: { least: 0, value: 0, forbidden: [-1, 0.5] } },
  { name: '3.0 integer, exclusiveMinimum true beside minimum 0', given: { type: 'integer', minimum: 0, exclusiveMinimum: true }, want: { least: 1, value: 1, forbidden: [0, 1.5] } },
  { name: '3.1 integer, exclusiveMinimum 0', given: { type: 'integer', exclusiveMinimum: 0 }, want: { least: 1, value: 1, forbidden: [0, 1.5] } },
  { name: '3.0 exclusiveMinimum false: minimum stays inclusive', given: { type: 'integer', minimum: 1, exclusiveMinimum: false }, want: { least: 1, value: 1, forbidden: [0, 1.5] } },
  { name: '3.0 exclusiveMinimum true with no minimum bounds nothing', given: { type: 'integer', exclusiveMinimum: true }, want: { value: 1, forbidden: [1.5] } },
  { name: '3.0 integer, 1 to 100 with maximum exclusive', given: { type: 'integer', minimum: 1, maximum: 100, exclusiveMaximum: true }, want: { least: 1, greatest: 99, value: 1, forbidden: [0, 100, 1.5] } },
  { name: '3.1 integer, minimum 1, exclusiveMaximum 100', given: { type: 'integer', minimum: 1, exclusiveMaximum: 100 }, want: { least: 1, greatest: 99, value: 1, forbidden: [0, 100, 1.5] } },
  { name: '3.1 both on a side: the tighter exclusive one wins', given: { type: 'integer', minimum: 0, exclusiveMinimum: 3 }, want: { least: 4, value: 4, forbidden: [3, 4.5] } },
  { name: '3.1 both on a side: the tighter inclusive one wins', given: { type: 'integer', minimum: 5, exclusiveMinimum: 3 }, want: { least: 5, value: 5, forbidden: [4, 5.5] } },
  { name: '3.0 number, exclusive 0 to 10', given: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true }, want: { least: 1, greatest: 9, value: 1, forbidden: [0, 10] } },
  { name: '3.1 number, exclusive 0 to 10', given: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 }, want: { least: 1, greatest: 9, value: 1, forbidden: [0, 10] } },
  { name: '3.1 number, exclusive 0 to 1: half way in', given: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, want: { least: 0.5, greatest: 0.5, value: 0.5, forbidden: [0, 1] } },
  { name: 'number, only an exclusive maximum', given: { type: 'number', exclusiveMaximum: 0 }, want: { greatest: -1, value: -1, forbidden: [0] } },
  { name: 'number, inclusive minimum 0.5', given: { type: 'number', minimum: 0.5 }, want: { least: 0.5, value: 0.5, forbidden: [-0.5] } },
  { name: '3.1 integer multipleOf 5, exclusive 0 to 100', given: { type: 'integer', exclusiveMinimum: 0, maximum: 100, multipleOf: 5 }, want: { least: 5, greatest: 100, value: 5, forbidden: [0, 105, 6, 5.5] } },
  { name: '3.0 integer multipleOf 5, exclusive at a multiple', given: { type: 'integer', minimum: 10, exclusiveMinimum: true, multipleOf: 5 }, want: { least: 15, value: 15, forbidden: [10, 16, 15.5] } },
  { name: 'integer multipleOf 5 from an inclusive 3', given: { type: 'integer', minimum: 3, multipleOf: 5 }, want: { least: 5, value: 5, forbidden: [-2, 6, 5.5] } },
  { name: 'number multipleOf 0.1, exclusive 0 to 0.3', given: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 0.3, multipleOf: 0.1 }, want: { least: 0.1, greatest: 0.2, value: 0.1, forbidden: [0, 0.3, 0.15] } },
  { name: 'integer multipleOf 1.5: the whole multiples are 3 apart', given: { type: 'integer', minimum: 1, multipleOf: 1.5 }, want: { least: 3, value: 3, forbidden: [-2, 4, 3.5] } },
  { name: 'integer, nothing fits between exclusive 0 and 1', given: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 1 }, want: { value: 1, forbidden: [0, 1] } },
  { name: 'nullable 3.1 integer type list', given: { type: ['integer', 'null'], exclusiveMinimum: 0 }, want: { least: 1, value: 1, forbidden: [0, 1.5] } },
];

describe('numeric bounds', () => {
  test.each(cases)('$name', ({ given, want }) => {
    const { least, greatest } = allowedRange(given);
    expect({ least, greatest }).toEqual({ least: want.least, greatest: want.greatest });
    expect(allowedNumber(given)).toBe(want.value);
    expect(outOfBounds(given).map((o) => o.value)).toEqual(want.forbidden);
  });

  // ajv as `npm run generate` runs it: strict, the schema through toJsonSchema. ajv's multipleOf divides in binary
  // floating point (0.3 / 0.1 is not a whole number), so a decimal multipleOf is checked with a precision here.
  const ajv = new Ajv({ strict: true, multipleOfPrecision: 9 });
  const reachable = cases.filter((c) => c.name !== 'integer, nothing fits between exclusive 0 and 1');
  test.each(reachable)('ajv agrees: $name', ({ given, want }) => {
    const validate = ajv.compile(toJsonSchema(given) as object);
    const allowed = [want.least, want.greatest, want.value].filter((v) => v !== undefined);
    for (const value of allowed) expect([value, validate(value)]).toEqual([value, true]);
    for (const value of want.forbidden) expect([value, validate(value)]).toEqual([value, false]);
  });

  test('each out-of-bounds value names the rule it breaks', () => {
    const schema = { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 100, multipleOf: 5 };
    expect(outOfBounds(schema).map(({ title, rule }) => `${title} | ${rule}`)).toEqual([
      '0, its exclusive minimum | exclusiveMinimum 0',
      '105, above its maximum 100 | maximum 100',
      '6, not a multiple of 5 | multipleOf 5',
      '5.5, not an integer | type integer',
    ]);
  });
});
