/**
 * `--log`: one line per request, from the journal's entries. In a terminal a line people read (time, method, path,
 * status, milliseconds, why it was rejected); otherwise, or with `--log json`, JSON lines for tools (as pino and
 * Mockoon write). Only built when asked for: the hot path stringifies nothing by default.
 * Runtime-agnostic: the caller says where lines go.
 */
import { UsageError } from '../errors.js';
import { type Credentials, type JournalEntry, redactQuery } from './journal.js';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * The format `--log [text|json]` asks for: the value given, or without one text in a terminal and JSON lines
 * elsewhere (a file, a pipe, CI).
 */
export function logFormat(value: string | undefined, isTTY: boolean): LogFormat {
  if (value === undefined || value === '') return isTTY ? 'text' : 'json';
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new UsageError(
    `--log must be one of ${LOG_FORMATS.join(', ')}, got '${value}'; ` +
      'or give --log alone (text in a terminal, json elsewhere)',
  );
}

export interface LineOptions {
  /** ANSI colours (a terminal's text lines). */
  color?: boolean;
  /** Query parameters that carry credentials are redacted (see credentialsOf). */
  credentials?: Credentials;
}

/** One JSON object per request: what a log pipeline filters on, never a header or a body (credentials). */
export function jsonLine(entry: JournalEntry, options: LineOptions = {}): string {
  return JSON.stringify({
    time: new Date(entry.time).toISOString(),
    variant: entry.variant,
    operationId: entry.operationId,
    method: entry.method,
    path: entry.path,
    query: entry.query ? redactQuery(entry.query, options.credentials?.query) : undefined,
    status: entry.status ?? null,
    durationMs: Math.round(entry.durationMs * 1000) / 1000,
    reason: entry.reason,
    chaos: entry.chaos,
  });
}

const COLORS = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2 } as const;

function paint(color: keyof typeof COLORS, text: string, enabled: boolean): string {
  return enabled ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text;
}

/** `08:00:00.123 DELETE /tavus/v2/documents/d1 401 0.4 ms  unauthorized: no valid credentials ...` */
export function textLine(entry: JournalEntry, { color = false, credentials }: LineOptions = {}): string {
  const time = new Date(entry.time).toISOString().slice(11, 23);
  const status = entry.status === undefined ? 'reset' : String(entry.status);
  const statusColor =
    entry.status === undefined || entry.status >= 500 ? 'red' : entry.status >= 400 ? 'yellow' : 'green';
  const target = entry.query ? `${entry.path}?${redactQuery(entry.query, credentials?.query)}` : entry.path;
  const parts = [
    paint('dim', time, color),
    entry.method,
    target,
    paint(statusColor, status, color),
    `${entry.durationMs.toFixed(1)} ms`,
  ];
  if (entry.chaos && (entry.chaos.status !== undefined || entry.chaos.reset || entry.chaos.delayMs > 0)) {
    parts.push(paint('cyan', `chaos${entry.chaos.delayMs > 0 ? ` +${entry.chaos.delayMs} ms` : ''}`, color));
  }
  const line = parts.join(' ');
  return entry.reason ? `${line}  ${entry.reason.kind}: ${entry.reason.message}` : line;
}

/** A journal listener that writes one line per request in `format`. */
export function requestLogger(
  format: LogFormat,
  write: (line: string) => void,
  options: LineOptions = {},
): (entry: JournalEntry) => void {
  return format === 'json' ? (entry) => write(jsonLine(entry, options)) : (entry) => write(textLine(entry, options));
}
