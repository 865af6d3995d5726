/**
 * Limits with documented errors (OWASP API4:2023, unrestricted resource consumption): header size, slow clients,
 * malformed HTTP and idle keep-alive, exercised over raw TCP, each answer checked against
 * openapi/mock-admin.yaml's x-mock-layer.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_HEADER_BYTES } from '../src/mock/mockErrors.js';
import { checkMockLayerResponse, type MockLayerResponse } from '../src/specs.js';
import { type RunningMock, startMock } from './support/mock.js';

let mock: RunningMock;
let port: number;
beforeAll(async () => {
  mock = await startMock({ http: { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 } });
  port = Number(new URL(mock.origin).port);
});
afterAll(() => mock.close());

/** Sends raw bytes; resolves with what came back once the server closes the connection (or after `waitMs`). */
function exchange(chunks: string[], waitMs = 3_000, gapMs = 0): Promise<{ raw: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let raw = '';
    socket.on('data', (d) => (raw += d));
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) break;
        socket.write(chunk);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ raw, closed: false });
    }, waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ raw, closed: true });
    });
    socket.on('error', () => undefined);
  });
}

function parse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

const cases: { name: string; given: string[]; gapMs?: number; want: { status: number; kind: MockLayerResponse } }[] = [
  {
    name: 'headers over 16 KiB → 431',
    given: [`GET /_mock/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`],
    want: { status: 431, kind: 'headersTooLarge' },
  },
  {
    name: 'a header line without a colon → 400',
    given: ['GET /_mock/health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'],
    want: { status: 400, kind: 'malformedRequest' },
  },
  {
    name: 'a bare LF inside a header value (CR/LF injection) → 400',
    given: ['GET /_mock/health HTTP/1.1\r\nHost: x\r\nX-A: a\nInjected: b\r\n\r\n'],
    want: { status: 400, kind: 'malformedRequest' },
  },
  {
    name: 'a NUL in the path → 400',
    given: ['GET /_mock/\0health HTTP/1.1\r\nHost: x\r\n\r\n'],
    want: { status: 400, kind: 'malformedRequest' },
  },
  {
    name: 'headers that never finish (slowloris) → 408',
    given: ['GET /_mock/health HTTP/1.1\r\nHost: x\r\n'],
    want: { status: 408, kind: 'requestTimeout' },
  },
  {
    name: 'a body that trickles in slower than the request timeout → 408',
    given: [
      'POST /oneflow/api/webhook/open-webhook/document/delete HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      '"',
      'd',
      'o',
      'c',
    ],
    gapMs: 200,
    want: { status: 408, kind: 'requestTimeout' },
  },
];

describe('limits', () => {
  test.each(cases)('$name, documented, connection closed', async ({ given, gapMs, want }) => {
    const { raw, closed } = await exchange(given, 3_000, gapMs);
    expect(closed).toBe(true);
    const res = parse(raw);
    expect(res.status).toBe(want.status);
    expect(checkMockLayerResponse(want.kind, res)).toEqual([]);
  });

  test('an idle keep-alive connection is closed by the server', async () => {
    const { raw, closed } = await exchange(['GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n'], 3_000);
    expect(parse(raw).status).toBe(200);
    expect(closed).toBe(true);
  });

  test('the server is still up after all of it', async () => {
    expect((await fetch(`${mock.origin}/_mock/health`)).status).toBe(200);
  });
});
