/**
 * Passive mode (`tombstone proxy`): forwards every request to a real server and checks each exchange with the
 * checks that can judge a single exchange: the response checks of conformance.ts, and from the request's own
 * shape `ignored_auth` (no credentials must get the documented 401), `negative_data_rejection` (a request the
 * spec's validators reject must get a documented 4xx), `positive_data_acceptance` (one they accept must not be
 * refused as malformed) and `unsupported_method` (405 with `Allow`); `use_after_free` when the traffic shows a
 * delete and then the same delete. Violations go back in a `Tombstone-Violations` response header (JSON) and one
 * log line each, like Prism's validation proxy (`sl-violations`), with tombstone's checks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkResponse, type ObservedResponse } from '../conformance.js';
import { TargetError, UsageError } from '../errors.js';
import { mockBasePath } from '../openapi/model.js';
import { contracts, specs } from '../specs.js';
import type { ContractCheck } from './checks.js';
import { AUTH_FAILURE, documented4xx, isDocumented4xx, methodProblems, REJECTIONS } from './checks.js';
import { headerMatcher, isInfrastructureHeader } from './headers.js';
import { rejects } from './negative.js';
import { bodySchema, type CallParts, credentialHeader, type Operation, specOperations } from './operation.js';
import { deleteOutcome, type OperationPlan, parseJson } from './plans.js';

export const VIOLATIONS_HEADER = 'Tombstone-Violations';

export interface ProxyOptions {
  variant: string;
  /** Where the variant is served, as for `tombstone contract --base-url`. */
  target: string;
  /** Default: an ephemeral port. */
  port?: number;
  /** Between the target and the spec's paths; default: the spec's server path. */
  basePath?: string;
  allowHeaders?: string[];
  strictHeaders?: boolean;
  /** Where each violation's line goes (default: stderr). */
  log?(line: string): void;
}

export interface Violation {
  check: ContractCheck;
  message: string;
}

export interface RunningProxy {
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

/** Request headers that belong to one connection (RFC 9110, 7.6.1) or that fetch sets itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'host',
  'content-length',
  'te',
  'trailer',
]);
/** fetch decodes the body: the response goes on without its encoding and length, which node:http sets anew. */
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'content-encoding']);

/**
 * A matched request: the operation and the call as its parts (`malformed`: a body that is not JSON, or not sent as
 * JSON, where the operation takes a JSON body), or the methods of a path that lacks this one.
 */
type Match = { op: Operation; parts: CallParts; malformed: boolean } | { allowed: string[] } | undefined;

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const spec = specs[options.variant];
  const contract = contracts[options.variant];
  if (!spec || !contract)
    throw new UsageError(`--variant must be one of ${Object.keys(contracts).join(', ')}, got '${options.variant}'`);
  const target = options.target.replace(/\/+$/, '');
  const basePath = (options.basePath ?? mockBasePath(spec.definition)).replace(/\/+$/, '');
  const ops = specOperations(spec, `openapi/${options.variant}.yaml`);
  const allowed = headerMatcher(options.allowHeaders ?? []);
  const tolerate = (name: string) => allowed(name) || (!options.strictHeaders && isInfrastructureHeader(name));
  const log = options.log ?? ((line: string) => console.error(line));
  /** The last answer to each delete request, for use_after_free. */
  const deletes = new Map<string, ObservedResponse>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      log(`[tombstone] proxy: ${req.method} ${req.url} failed: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'target_unreachable', message: (err as Error).message } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const method = req.method ?? 'GET';
    const url = `${target}${req.url ?? '/'}`;
    let answer: Response;
    try {
      answer = await fetch(url, {
        method,
        headers,
        redirect: 'manual',
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new TargetError(
        `Failed to reach ${method} ${url}: ${cause}. Try checking --target and that the server is running.`,
      );
    }
    const observed: ObservedResponse = {
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: await answer.text(),
    };

    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://proxy');
    const match = matchOperation(ops, basePath, method, pathname, searchParams, headers, body.toString('utf8'));
    const violations = match ? judge(match, headers, observed) : [];
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(observed.headers))
      if (value !== undefined && !NOT_FORWARDED.has(name)) out[name] = value;
    if (violations.length > 0) out[VIOLATIONS_HEADER] = asciiJson(violations);
    for (const v of violations) {
      log(`[tombstone] ${method} ${req.url} → ${observed.status}: ${v.check}: ${v.message}`);
    }
    res.writeHead(observed.status, out).end(observed.body);
  }

  /** Every check a single exchange can judge, and use_after_free from the deletes seen before. */
  function judge(match: NonNullable<Match>, headers: Record<string, string>, observed: ObservedResponse): Violation[] {
    if ('allowed' in match) {
      const problems = methodProblems(match.allowed, observed);
      return problems.length > 0 ? [{ check: 'unsupported_method', message: problems.join('; ') }] : [];
    }
    const { op, parts } = match;
    const violations: Violation[] = checkResponse(spec!, op.id, observed, { tolerate });
    const status = observed.status;
    const invalid = match.malformed || rejects(op, parts);
    if (invalid && !isDocumented4xx({ op }, status)) {
      violations.push({
        check: 'negative_data_rejection',
        message:
          `the request is invalid by the spec; expected a documented 4xx (${documented4xx({ op })}), ` +
          `got ${status}`,
      });
    }
    if (!invalid && REJECTIONS.includes(status)) {
      violations.push({
        check: 'positive_data_acceptance',
        message: `the request is valid by the spec, but was refused with ${status}`,
      });
    }
    const anonymous = !hasCredentials(op, headers);
    if (
      anonymous &&
      !op.security.anonymous &&
      AUTH_FAILURE in op.responses &&
      String(status) !== AUTH_FAILURE &&
      !invalid
    ) {
      violations.push({
        check: 'ignored_auth',
        message:
          `a request without credentials got ${status}; expected ${AUTH_FAILURE}, ` +
          'the documented authentication failure',
      });
    }
    const plan = contract!.operations[op.id];
    if ((plan?.deletes ?? op.method === 'delete') && !invalid && !hasIdempotencyKey(op, headers)) {
      violations.push(...useAfterFree(op, plan, parts, headers, observed));
    }
    return violations;
  }

  /** The same delete again (same method, URL, credentials and body) must not delete what the first deleted. */
  function useAfterFree(
    op: Operation,
    plan: OperationPlan | undefined,
    parts: CallParts,
    headers: Record<string, string>,
    observed: ObservedResponse,
  ): Violation[] {
    const credentials = op.security.schemes.map((scheme) => headers[credentialHeader(op, scheme, '')[0]] ?? '');
    const key = JSON.stringify([op.id, parts.path, parts.query, parts.body, credentials]);
    const before = deletes.get(key);
    deletes.set(key, observed);
    if (!before) return [];
    const ids = plan?.documents?.(parts) ?? [''];
    const again = ids.filter(
      (id) => deleteOutcome(plan, before, id) === 'deleted' && deleteOutcome(plan, observed, id) === 'deleted',
    );
    if (again.length === 0) return [];
    const which = again.filter(Boolean).length > 0 ? ` (${again.join(', ')})` : '';
    return [
      {
        check: 'use_after_free',
        message: `the same delete deleted again${which}: a deleted document must not be found again`,
      },
    ];
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new UsageError(`port ${options.port} is in use; give another with --port, or 0 for any free one`)
          : err,
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => close(server) };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((err) => (err ? reject(err) : resolve()));
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The operation whose path template matches `pathname` below `basePath`, with the request as its parts. */
function matchOperation(
  ops: Operation[],
  basePath: string,
  method: string,
  pathname: string,
  query: URLSearchParams,
  headers: Record<string, string>,
  body: string,
): Match {
  if (!pathname.startsWith(basePath)) return undefined;
  const rest = pathname.slice(basePath.length);
  const onPath = ops.flatMap((op) => {
    const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const pattern = new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    const found = pattern.exec(rest);
    if (!found) return [];
    const path = Object.fromEntries(names.map((name, i) => [name, safeDecode(found[i + 1]!)]));
    return [{ op, path }];
  });
  if (onPath.length === 0) return undefined;
  const hit = onPath.find(({ op }) => op.verb === method.toUpperCase());
  if (!hit) return { allowed: onPath.map(({ op }) => op.verb) };
  const json = (headers['content-type'] ?? '').toLowerCase().startsWith('application/json');
  const parsed = body === '' || !json ? undefined : parseJson<unknown>(body);
  const malformed = bodySchema(hit.op) !== undefined && body !== '' && parsed === undefined;
  return { op: hit.op, parts: { path: hit.path, query: Object.fromEntries(query), headers, body: parsed }, malformed };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function hasCredentials(op: Operation, headers: Record<string, string>): boolean {
  return op.security.schemes.some((scheme) => headers[credentialHeader(op, scheme, '')[0]] !== undefined);
}

function hasIdempotencyKey(op: Operation, headers: Record<string, string>): boolean {
  return op.parameters.some(
    (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key' && headers['idempotency-key'] !== undefined,
  );
}

/** JSON a header can carry: anything outside printable ASCII escaped (RFC 9110, 5.5). */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
