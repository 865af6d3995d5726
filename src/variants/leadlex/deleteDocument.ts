/**
 * LeadLex `deleteDocument` (DELETE /v1/documents/{id}).
 * https://docs.leadlex.com — "Delete Document": soft delete schedules the purge within 1 hour; `hard=true`
 * purges now and needs `admin:documents`; 409 `in_use` while a workflow or template references the document.
 */
import type { HandlerOf } from '../../mock/types.js';
import type { Leadlex } from './index.js';

export const deleteDocument: HandlerOf<Leadlex, 'deleteDocument'> = (req, ctx) => {
  const { store, principal, locals } = ctx;
  const hard = req.query.hard === true;
  const idempotencyKey = req.headers['idempotency-key'];
  if (idempotencyKey) {
    const reservation = store.reserveIdempotencyKey(principal.key.key, idempotencyKey, req.raw.path, hard);
    if (reservation.kind === 'in-flight') return ctx.error('idempotency_key_in_use');
    if (reservation.kind === 'mismatch') return ctx.error('idempotency_key_reused');
    if (reservation.kind === 'replay') {
      return { ...reservation.response, headers: { ...reservation.response.headers, 'Idempotent-Replayed': 'true' } };
    }
    locals.idempotency = reservation.record;
  }
  const result = store.deleteDocument(principal, req.params.id, hard, locals.requestId);
  switch (result.kind) {
    case 'deleted':
      return { status: 204 };
    case 'forbidden': {
      const why = hard ? ' (required when hard=true)' : '';
      return ctx.error('insufficient_permissions', `Missing ${result.needed}${why}`);
    }
    case 'not_found':
      return ctx.error('not_found');
    case 'in_use':
      return ctx.error('in_use', `Document is referenced by ${result.references} and cannot be deleted`);
  }
};
