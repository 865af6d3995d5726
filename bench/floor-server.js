/**
 * The floor under tombstone's LeadLex delete: a node:http server that reads the request headers tombstone reads and
 * answers 204 with the headers tombstone's answer has (X-Request-ID in the page's format, the rate-limit trio,
 * `Vary: Origin`), and does nothing else. tombstone is a node:http server that must do this much, so the gap
 * between this server and bare is node:http's, and the gap between tombstone and this one is tombstone's own work
 * (authentication, validation, idempotency, rate limiting, the store change). Usage: node bench/floor-server.js <port>
 */
import { createServer } from 'node:http';

let answered = 0;
const server = createServer((req, res) => {
  const { authorization, 'idempotency-key': idempotencyKey, origin } = req.headers;
  req.resume();
  answered++;
  const headers = [
    'X-Request-ID',
    `req_01HY1K0E7V8Q0Y${String(answered).padStart(10, '0')}`,
    'X-RateLimit-Limit',
    '1000000000',
    'X-RateLimit-Remaining',
    String(1_000_000_000 - answered),
    'X-RateLimit-Reset',
    String(Math.ceil(Date.now() / 60_000) * 60),
    'Vary',
    'Origin',
  ];
  if (origin !== undefined) headers.push('Access-Control-Allow-Origin', origin);
  res.writeHead(authorization && idempotencyKey ? 204 : 400, headers).end();
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
