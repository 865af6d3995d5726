/**
 * The numeric bounds of a Schema Object, read in both of its forms: OpenAPI 3.0's boolean `exclusiveMinimum` /
 * `exclusiveMaximum`, which make `minimum`/`maximum` exclusive (JSON Schema draft 4), and OpenAPI 3.1's numbers,
 * which are the exclusive bounds themselves (draft 6 and later), with `multipleOf` and `type: integer`. The
 * generator (toJsonSchema) and the contract runner read bounds here only, so the values the runner calls valid or
 * invalid are the ones the generated validators accept or reject. Free of Node built-ins, as model.ts.
 * https://spec.openapis.org/oas/v3.0.3#schema-object, https://json-schema.org/draft/2020-12/json-schema-validation#section-6.2
 */

/** Each exclusive keyword, with the inclusive keyword whose bound OpenAPI 3.0's `true` excludes. */
export const EXCLUSIVE_BOUNDS = { exclusiveMinimum: 'minimum', exclusiveMaximum: 'maximum' } as const;
export type ExclusiveKeyword = keyof typeof EXCLUSIVE_BOUNDS;

export interface Bound {
  value: number;
  exclusive: boolean;
}

export interface NumericBounds {
  lower?: Bound;
  upper?: Bound;
  integer: boolean;
  multipleOf?: number;
}

/** A number the schema forbids, with what it breaks. */
export interface OutOfBounds {
  /** e.g. `0, its exclusive minimum`. */
  title: string;
  /** The keyword broken, e.g. `exclusiveMinimum 0`. */
  rule: string;
  value: number;
}

/**
 * The number an exclusive keyword excludes: 3.1's number, or the `minimum`/`maximum` beside 3.0's `true`.
 * Undefined for `false` and for a `true` with no bound beside it, which bounds nothing (draft 4, 5.1.2 and 5.1.3).
 */
export function exclusiveBound(schema: object, keyword: ExclusiveKeyword): number | undefined {
  const s = schema as Record<string, unknown>;
  const value = s[keyword];
  if (typeof value === 'number') return value;
  const limit = s[EXCLUSIVE_BOUNDS[keyword]];
  return value === true && typeof limit === 'number' ? limit : undefined;
}

/** The schema's bounds; where it has an inclusive and an exclusive one on a side (3.1), the tighter one. */
export function numericBounds(schema: object): NumericBounds {
  const s = schema as Record<string, unknown>;
  const type = s['type'];
  const types = Array.isArray(type) ? type : [type];
  const lower = tighter(s['minimum'], exclusiveBound(schema, 'exclusiveMinimum'), 1);
  const upper = tighter(s['maximum'], exclusiveBound(schema, 'exclusiveMaximum'), -1);
  const multipleOf = typeof s['multipleOf'] === 'number' && s['multipleOf'] > 0 ? s['multipleOf'] : undefined;
  return {
    ...(lower ? { lower } : {}),
    ...(upper ? { upper } : {}),
    integer: types.includes('integer') && !types.includes('number'),
    ...(multipleOf ? { multipleOf } : {}),
  };
}

/** `inward` 1 for a lower bound, -1 for an upper one: the exclusive bound wins unless the inclusive one is inside it. */
function tighter(inclusive: unknown, exclusive: number | undefined, inward: 1 | -1): Bound | undefined {
  const limit = typeof inclusive === 'number' ? inclusive : undefined;
  if (exclusive !== undefined && (limit === undefined || inward * (exclusive - limit) >= 0))
    return { value: exclusive, exclusive: true };
  return limit === undefined ? undefined : { value: limit, exclusive: false };
}

/** Whether the bounds allow `value`. */
export function allows(bounds: NumericBounds, value: number): boolean {
  const { lower, upper } = bounds;
  if (lower && (lower.exclusive ? value <= lower.value : value < lower.value)) return false;
  if (upper && (upper.exclusive ? value >= upper.value : value > upper.value)) return false;
  if (bounds.integer && !Number.isInteger(value)) return false;
  return bounds.multipleOf === undefined || Number.isInteger(round(value / bounds.multipleOf));
}

/**
 * The least and the greatest number the schema allows; undefined where that side is open or nothing fits. Without
 * a grid (a `number` with no `multipleOf`) an exclusive bound has no nearest value: one step of 1 inside it is
 * taken, or half the way to the other bound when that is nearer.
 */
export function allowedRange(schema: object): { least?: number; greatest?: number } {
  const bounds = numericBounds(schema);
  const least = bounds.lower && nearest(bounds, bounds.lower, bounds.upper, 1);
  const greatest = bounds.upper && nearest(bounds, bounds.upper, bounds.lower, -1);
  return {
    ...(least !== undefined ? { least } : {}),
    ...(greatest !== undefined ? { greatest } : {}),
  };
}

/** A number the schema allows: its least, else its greatest, else the first step of its grid above 0 (1). */
export function allowedNumber(schema: object): number {
  const { least, greatest } = allowedRange(schema);
  return least ?? greatest ?? step(numericBounds(schema)) ?? 1;
}

/**
 * Numbers the schema forbids, each breaking one rule: one step beyond each bound (an exclusive bound itself), a
 * value off the `multipleOf` grid, a fraction for an integer. The off-grid ones lie within the bounds.
 */
export function outOfBounds(schema: object): OutOfBounds[] {
  const bounds = numericBounds(schema);
  const { lower, upper } = bounds;
  const unit = step(bounds) ?? 1;
  const out: OutOfBounds[] = [];
  if (lower) out.push(beyond(lower, round(lower.value - unit), 'minimum', 'below'));
  if (upper) out.push(beyond(upper, round(upper.value + unit), 'maximum', 'above'));
  const inside = allowedNumber(schema);
  const { multipleOf } = bounds;
  const offGrid = multipleOf === undefined ? undefined : round(inside + (bounds.integer ? 1 : multipleOf / 2));
  if (offGrid !== undefined && !Number.isInteger(round(offGrid / multipleOf!)) && within(bounds, offGrid))
    out.push({
      title: `${offGrid}, not a multiple of ${multipleOf}`,
      rule: `multipleOf ${multipleOf}`,
      value: offGrid,
    });
  const fraction = inside + 0.5;
  if (bounds.integer && within(bounds, fraction))
    out.push({ title: `${fraction}, not an integer`, rule: 'type integer', value: fraction });
  return out;
}

function beyond(bound: Bound, past: number, side: 'minimum' | 'maximum', where: string): OutOfBounds {
  if (bound.exclusive) {
    const keyword = side === 'minimum' ? 'exclusiveMinimum' : 'exclusiveMaximum';
    return { title: `${bound.value}, its exclusive ${side}`, rule: `${keyword} ${bound.value}`, value: bound.value };
  }
  return { title: `${past}, ${where} its ${side} ${bound.value}`, rule: `${side} ${bound.value}`, value: past };
}

/** Within the lower and upper bounds, grid aside. */
function within(bounds: NumericBounds, value: number): boolean {
  return allows({ ...bounds, integer: false, multipleOf: undefined }, value);
}

/**
 * The spacing of the allowed values: `multipleOf`, for an integer the least whole multiple of it (1 without one);
 * undefined for a `number` with no `multipleOf`, or an integer whose `multipleOf` has no small whole multiple.
 */
function step(bounds: NumericBounds): number | undefined {
  const { multipleOf, integer } = bounds;
  if (!integer) return multipleOf;
  if (multipleOf === undefined) return 1;
  for (let k = 1; k <= 1000; k++) {
    const whole = round(k * multipleOf);
    if (Number.isInteger(whole)) return whole;
  }
  return undefined;
}

/** The allowed number nearest to `from`, moving `inward` (1: up from a lower bound, -1: down from an upper one). */
function nearest(bounds: NumericBounds, from: Bound, other: Bound | undefined, inward: 1 | -1): number | undefined {
  const unit = step(bounds);
  let value: number;
  if (unit === undefined) {
    const room = other ? Math.abs(other.value - from.value) / 2 : 1;
    value = from.exclusive ? from.value + inward * Math.min(1, room) : from.value;
  } else {
    // The first point of the grid at or past the bound, one further when the bound is exclusive and on it.
    const toGrid = inward === 1 ? Math.ceil : Math.floor;
    value = round(toGrid(round(from.value / unit)) * unit);
    if (from.exclusive && value === from.value) value = round(value + inward * unit);
  }
  return allows(bounds, value) ? value : undefined;
}

/** Without the binary noise of decimal arithmetic (0.1 * 3 is 0.30000000000000004). */
function round(value: number): number {
  return Number(value.toPrecision(12));
}
