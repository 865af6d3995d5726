/**
 * `--log` lines (src/mock/log.ts): text for a terminal, JSON lines elsewhere or when asked, never a credential.
 */
import { describe, expect, test } from 'vitest';
import { UsageError } from '../src/errors.js';
import type { JournalEntry } from '../src/mock/journal.js';
import { jsonLine, logFormat, requestLogger, textLine } from '../src/mock/log.js';

const entry: JournalEntry = {
  time: Date.parse('2026-12-02T08:00:00.123Z'),
  durationMs: 0.4321,
  variant: 'tavus',
  operationId: 'deleteDocument',
  method: 'DELETE',
  path: '/tavus/v2/documents/d1',
  query: '',
  headers: { 'x-api-key': 'never-logged' },
  body: '{"secret":"never-logged"}',
  status: 401,
  responseHeaders: { Vary: 'Origin' },
  responseBody: { message: 'Invalid access token' },
  reason: { kind: 'unauthorized', message: 'no valid credentials: apiKey' },
  chaos: undefined,
};

describe('logFormat', () => {
  test.each([
    { value: undefined, isTTY: true, want: 'text' },
    { value: undefined, isTTY: false, want: 'json' },
    { value: '', isTTY: true, want: 'text' },
    { value: 'json', isTTY: true, want: 'json' },
    { value: 'text', isTTY: false, want: 'text' },
  ] as const)('--log $value, TTY $isTTY → $want', ({ value, isTTY, want }) => {
    expect(logFormat(value, isTTY)).toBe(want);
  });

  test('anything else is a usage error naming the allowed values', () => {
    expect(() => logFormat('yaml', true)).toThrow(UsageError);
    expect(() => logFormat('yaml', true)).toThrow(
      "[tombstone] --log must be one of text, json, got 'yaml'; " +
        'or give --log alone (text in a terminal, json elsewhere)',
    );
  });
});

describe('lines', () => {
  test.each([
    {
      given: entry,
      want: '08:00:00.123 DELETE /tavus/v2/documents/d1 401 0.4 ms  unauthorized: no valid credentials: apiKey',
    },
    {
      given: { ...entry, status: 204, reason: undefined, query: 'hard=true' },
      want: '08:00:00.123 DELETE /tavus/v2/documents/d1?hard=true 204 0.4 ms',
    },
    {
      given: {
        ...entry,
        status: undefined,
        chaos: { delayMs: 80, reset: true },
        reason: { kind: 'chaos', message: 'connection dropped' },
      },
      want: '08:00:00.123 DELETE /tavus/v2/documents/d1 reset 0.4 ms chaos +80 ms  chaos: connection dropped',
    },
    {
      given: {
        ...entry,
        status: 503,
        chaos: { status: 503, delayMs: 0, reset: false },
        reason: { kind: 'chaos', message: 'injected 503' },
      },
      want: '08:00:00.123 DELETE /tavus/v2/documents/d1 503 0.4 ms chaos  chaos: injected 503',
    },
  ] satisfies { given: JournalEntry; want: string }[])('text: $want', ({ given, want }) => {
    expect(textLine(given)).toBe(want);
  });

  test('text in colour: the status painted by class', () => {
    expect(textLine({ ...entry, status: 204, reason: undefined }, { color: true })).toContain('\u001b[32m204\u001b[0m');
    expect(textLine(entry, { color: true })).toContain('\u001b[33m401\u001b[0m');
  });

  test('json: one object per line with what a log pipeline filters on, no header or body', () => {
    const line = jsonLine(
      { ...entry, query: 'api_key=sk-0123456789abcdef' },
      { credentials: { headers: new Set(), query: new Set(['api_key']) } },
    );
    expect(line).not.toContain('\n');
    expect(line).not.toContain('never-logged');
    expect(line).not.toContain('0123456789abcdef');
    expect(JSON.parse(line)).toEqual({
      time: '2026-12-02T08:00:00.123Z',
      variant: 'tavus',
      operationId: 'deleteDocument',
      method: 'DELETE',
      path: '/tavus/v2/documents/d1',
      query: 'api_key=sk-%E2%80%A6%28redacted%29',
      status: 401,
      durationMs: 0.432,
      reason: { kind: 'unauthorized', message: 'no valid credentials: apiKey' },
    });
  });

  test('requestLogger writes one line per entry in the format asked for', () => {
    const lines: string[] = [];
    requestLogger('json', (line) => lines.push(line))(entry);
    requestLogger('text', (line) => lines.push(line))(entry);
    expect(lines).toEqual([jsonLine(entry), textLine(entry)]);
  });
});
