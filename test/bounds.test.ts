/**
 * What grows with traffic is bounded in size and age (OWASP API4:2023): LeadLex's idempotency records keep at most
 * IDEMPOTENCY_MAX_RECORDS, oldest first out, and expire after IDEMPOTENCY_TTL_MS; the purge queue is compacted.
 */
import { describe, expect, test } from 'vitest';
import { MockClock } from '../src/mock/clock.js';
import { IDEMPOTENCY_MAX_RECORDS, IDEMPOTENCY_TTL_MS, MemoryLeadlexStore } from '../src/variants/leadlex/store.js';
import { seeded } from '../src/variants/stores.js';

const seed = {
  workspaces: [{ id: 'ws', keys: [{ key: 'wbk_k', permissions: ['write:documents' as const] }], documents: [] }],
};
const ME = { key: seed.workspaces[0]!.keys[0]! };
const OTHER = { key: { key: 'wbk_other', permissions: [] } };

describe('leadlex idempotency records', () => {
  test('the oldest record is dropped once the cap is passed; the newest is kept', () => {
    const store = seeded(new MemoryLeadlexStore(new MockClock()), structuredClone(seed));
    for (let i = 0; i <= IDEMPOTENCY_MAX_RECORDS; i++)
      store.reserveIdempotencyKey(ME, `key-${i}`, '/v1/documents/first', false);
    // A forgotten key is new again; a remembered one for another request is a mismatch.
    expect(store.reserveIdempotencyKey(ME, 'key-0', '/v1/documents/second', false).kind).toBe('new');
    expect(store.reserveIdempotencyKey(ME, `key-${IDEMPOTENCY_MAX_RECORDS}`, '/v1/documents/second', false).kind).toBe(
      'mismatch',
    );
  });

  test("a record replaced after expiry is not dropped when the expired one's turn comes", () => {
    const clock = new MockClock(() => 0);
    const store = seeded(new MemoryLeadlexStore(clock), structuredClone(seed));
    store.reserveIdempotencyKey(ME, 'k', '/v1/documents/a', false);
    clock.advance(IDEMPOTENCY_TTL_MS / 1000 + 1);
    expect(store.reserveIdempotencyKey(ME, 'k', '/v1/documents/b', false).kind).toBe('new');
    // The expired record's slot is taken here; the record that replaced it must survive that.
    for (let i = 1; i < IDEMPOTENCY_MAX_RECORDS; i++)
      store.reserveIdempotencyKey(ME, `key-${i}`, '/v1/documents/a', false);
    expect(store.reserveIdempotencyKey(ME, 'k', '/v1/documents/a', false).kind).toBe('mismatch');
  });

  test('an answer completes the record its request reserved, even once a full ring has given the key to another', () => {
    const store = seeded(new MemoryLeadlexStore(new MockClock()), structuredClone(seed));
    const first = store.reserveIdempotencyKey(ME, 'k', '/v1/documents/a', false);
    if (first.kind !== 'new') throw new Error(`expected a new reservation, got ${first.kind}`);
    for (let i = 1; i <= IDEMPOTENCY_MAX_RECORDS; i++)
      store.reserveIdempotencyKey(ME, `key-${i}`, '/v1/documents/a', false);
    expect(store.reserveIdempotencyKey(ME, 'k', '/v1/documents/b', false).kind).toBe('new');
    store.completeIdempotencyKey(first.record, { status: 204 });
    // The second request's record is still waiting for its own answer, not replaying the first one's.
    expect(store.reserveIdempotencyKey(ME, 'k', '/v1/documents/b', false).kind).toBe('in-flight');
  });

  test.each([
    { given: 'another path', path: '/v1/documents/b', hard: false },
    { given: 'hard=true', path: '/v1/documents/a', hard: true },
  ])('the same key for $given is a mismatch', ({ path, hard }) => {
    const store = seeded(new MemoryLeadlexStore(new MockClock()), structuredClone(seed));
    store.reserveIdempotencyKey(ME, 'k', '/v1/documents/a', false);
    expect(store.reserveIdempotencyKey(ME, 'k', path, hard).kind).toBe('mismatch');
  });

  test('keys are scoped per API key', () => {
    const store = seeded(new MemoryLeadlexStore(new MockClock()), structuredClone(seed));
    store.reserveIdempotencyKey(ME, 'k', '/v1/documents/a', false);
    expect(store.reserveIdempotencyKey(OTHER, 'k', '/v1/documents/b', false).kind).toBe('new');
    expect(store.reserveIdempotencyKey(ME, 'k', '/v1/documents/a', false).kind).toBe('in-flight');
  });

  test('a record expires after its TTL', () => {
    const clock = new MockClock(() => 0);
    const store = seeded(new MemoryLeadlexStore(clock), structuredClone(seed));
    store.reserveIdempotencyKey(ME, 'k', '/v1/documents/first', false);
    clock.advance(IDEMPOTENCY_TTL_MS / 1000 - 1);
    expect(store.reserveIdempotencyKey(ME, 'k', '/v1/documents/second', false).kind).toBe('mismatch');
    clock.advance(2);
    expect(store.reserveIdempotencyKey(ME, 'k', '/v1/documents/second', false).kind).toBe('new');
  });
});
