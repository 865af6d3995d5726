/**
 * What grows with traffic is bounded in size and age (OWASP API4:2023): LeadLex's idempotency records keep at most
 * IDEMPOTENCY_MAX_RECORDS, oldest first out, and expire after IDEMPOTENCY_TTL_MS; the purge queue is compacted.
 */
import { describe, expect, test } from 'vitest';
import { MockClock } from '../src/core/clock.js';
import { IDEMPOTENCY_MAX_RECORDS, IDEMPOTENCY_TTL_MS, LeadlexStore } from '../src/variants/leadlex/store.js';

const seed = { workspaces: [{ id: 'ws', keys: [{ key: 'wbk_k', permissions: ['write:documents' as const] }], documents: [] }] };

describe('leadlex idempotency records', () => {
  test('the oldest record is dropped once the cap is passed; the newest is kept', () => {
    const store = new LeadlexStore(structuredClone(seed), new MockClock());
    for (let i = 0; i <= IDEMPOTENCY_MAX_RECORDS; i++) store.reserveIdempotencyKey(`key-${i}`, 'first');
    // A forgotten key is new again; a remembered one with another fingerprint is a mismatch.
    expect(store.reserveIdempotencyKey('key-0', 'second').kind).toBe('new');
    expect(store.reserveIdempotencyKey(`key-${IDEMPOTENCY_MAX_RECORDS}`, 'second').kind).toBe('mismatch');
  });

  test('a record expires after its TTL', () => {
    const clock = new MockClock(() => 0);
    const store = new LeadlexStore(structuredClone(seed), clock);
    store.reserveIdempotencyKey('k', 'first');
    clock.advance(IDEMPOTENCY_TTL_MS / 1000 - 1);
    expect(store.reserveIdempotencyKey('k', 'second').kind).toBe('mismatch');
    clock.advance(2);
    expect(store.reserveIdempotencyKey('k', 'second').kind).toBe('new');
  });
});
