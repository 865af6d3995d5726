/**
 * X-Request-ID values in the page's format, `req_` + a 26-character ULID (`req_01HY1K0E7V8Q0YXH7DSTX5B3CA`).
 * Monotonic ULIDs: the random part starts random and counts up, so IDs are unique and sortable without
 * drawing randomness per request. https://github.com/ulid/spec
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_LENGTH = 16;
// Web Crypto rather than node:crypto keeps the variants free of Node-only imports; 256 is a multiple of 32, so `% 32` is uniform.
const random = Array.from(crypto.getRandomValues(new Uint8Array(RANDOM_LENGTH)), (byte) => byte % ALPHABET.length);

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[ms % 32]! + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** `req_`, the encoded time and the random part but its last character: made again when the millisecond
 * changes or a carry reaches past the last character (1 ID in 32), so most IDs cost one concatenation. */
let prefix = '';
let lastMs = NaN;

export function nextRequestId(): string {
  const now = Date.now();
  let i = RANDOM_LENGTH - 1;
  for (; i >= 0; i--) {
    random[i] = (random[i]! + 1) % 32;
    if (random[i] !== 0) break;
  }
  if (now !== lastMs || i < RANDOM_LENGTH - 1) {
    lastMs = now;
    prefix = `req_${encodeTime(now)}`;
    for (let j = 0; j < RANDOM_LENGTH - 1; j++) prefix += ALPHABET[random[j]!];
  }
  return prefix + ALPHABET[random[RANDOM_LENGTH - 1]!];
}
