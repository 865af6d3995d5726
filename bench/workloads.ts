/**
 * The workloads, as request generators: request `i` of a run targets the i-th generated document (or the i-th
 * batch of them), so every request is unique and hits state that exists. Paths differ by server: tombstone mounts
 * each variant under /<variant>/<vendor base path>; Prism serves the spec's paths at its root; the bare server
 * gets tombstone's requests and answers them all 204.
 */
import { randomUUID } from 'node:crypto';
import { BENCH, difyId, leadlexDocId, oneflowDocId, type SeedSizes, veltDocId } from './seeds.js';
import type { TargetKind } from './servers.js';

export interface BenchRequest {
  method: 'DELETE' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Workload {
  name: string;
  /** The spec Prism mocks for this workload. */
  spec: string;
  /** The variant whose generated documents the workload consumes, and how many per request. */
  consumes?: { variant: keyof SeedSizes; perRequest: number };
  request(kind: TargetKind, i: number): BenchRequest;
  /** The status every answer must have; anything else is counted as an error. */
  expect(kind: TargetKind): number;
  /** Measure this many requests instead of a fixed time (and warm up with a tenth of them). */
  amount?: number;
}

const VELT_BATCH = 1_000;

const mount = (kind: TargetKind, tombstonePrefix: string) => (kind === 'prism' ? '' : tombstonePrefix);
const json = { 'content-type': 'application/json' };

const leadlexHeaders = () => ({ authorization: `Bearer ${BENCH.leadlexKey}`, 'idempotency-key': randomUUID() });

export const leadlexDelete: Workload = {
  name: 'leadlex DELETE (existing doc)',
  spec: 'leadlex',
  consumes: { variant: 'leadlex', perRequest: 1 },
  request: (kind, i) => ({
    method: 'DELETE',
    path: `${mount(kind, '/leadlex/functions/v1/api-gateway')}/v1/documents/${leadlexDocId(i)}`,
    headers: leadlexHeaders(),
  }),
  expect: () => 204,
};

/** Prism has no state: it is asked for its documented 404 with `Prefer: code=404`. */
export const leadlexNotFound: Workload = {
  name: 'leadlex DELETE (not found)',
  spec: 'leadlex',
  request: (kind, i) => ({
    method: 'DELETE',
    path: `${mount(kind, '/leadlex/functions/v1/api-gateway')}/v1/documents/missing_${i}`,
    headers: { ...leadlexHeaders(), ...(kind === 'prism' ? { prefer: 'code=404' } : {}) },
  }),
  expect: (kind) => (kind === 'bare' ? 204 : 404),
};

export const difyDelete: Workload = {
  name: 'dify DELETE (cascade)',
  spec: 'dify',
  consumes: { variant: 'dify', perRequest: 1 },
  request: (kind, i) => ({
    method: 'DELETE',
    path: `${mount(kind, '/dify/v1')}/datasets/${BENCH.difyDataset}/documents/${difyId(i)}`,
    headers: { authorization: `Bearer ${BENCH.difyKey}` },
  }),
  expect: () => 204,
};

/** The body of a Velt bulk delete of `count` documents starting at document `first`. */
export function veltBody(first: number, count: number, organizationId: string = BENCH.veltOrganization): string {
  const documentIds = Array.from({ length: count }, (_, k) => veltDocId(first + k));
  return JSON.stringify({ data: { organizationId, documentIds } });
}

/** A new object each time: autocannon writes Content-Length into the headers object it is given. */
export const veltHeaders = () => ({
  ...json,
  'x-velt-api-key': BENCH.veltApiKey,
  'x-velt-auth-token': BENCH.veltAuthToken,
});

/** A timed run would need millions of seeded documents, so this one is a fixed number of requests. */
export const veltBulkDelete: Workload = {
  name: `velt bulk delete (${VELT_BATCH.toLocaleString('en')} IDs)`,
  spec: 'velt',
  consumes: { variant: 'velt', perRequest: VELT_BATCH },
  amount: 300,
  request: (kind, i) => ({
    method: 'POST',
    path: `${mount(kind, '/velt')}/v2/organizations/documents/delete`,
    headers: veltHeaders(),
    body: veltBody(i * VELT_BATCH, VELT_BATCH),
  }),
  expect: (kind) => (kind === 'bare' ? 204 : 200),
};

export const oneflowDelete: Workload = {
  name: 'oneflow webhook delete',
  spec: 'oneflow',
  consumes: { variant: 'oneflow', perRequest: 1 },
  request: (kind, i) => ({
    method: 'POST',
    path: `${mount(kind, '/oneflow')}/api/webhook/${BENCH.oneflowWebhook}/document/delete`,
    headers: { ...json, authorization: BENCH.oneflowSecret },
    body: JSON.stringify({ docId: oneflowDocId(i) }),
  }),
  expect: (kind) => (kind === 'bare' ? 204 : 200),
};

export const WORKLOADS = [leadlexDelete, leadlexNotFound, difyDelete, veltBulkDelete, oneflowDelete];
