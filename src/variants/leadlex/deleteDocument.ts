/**
 * LeadLex `deleteDocument` (DELETE /v1/documents/{id}).
 * https://docs.leadlex.com — "Delete Document": soft delete schedules the purge within 1 hour; `hard=true`
 * purges now and needs `admin:documents`; 409 `in_use` while a workflow or template references the document.
 */
import type { HandlerOf } from '../../mock/types.js';
import { when } from '../define.js';
import type { Leadlex } from './index.js';

export const deleteDocument: HandlerOf<Leadlex, 'deleteDocument'> = (req, ctx) => {
  const hard = req.query.hard === true;
  const key = req.headers['idempotency-key'];
  const outcome = ctx.store.deleteDocument(ctx.principal, {
    documentId: req.params.id,
    hard,
    requestId: ctx.locals.requestId,
    idempotency: key ? { key, path: req.raw.path } : undefined,
  });
  return when(outcome, (result) => {
    if ('record' in result) ctx.locals.idempotency = result.record;
    switch (result.kind) {
      case 'in-flight':
        return ctx.error('idempotency_key_in_use');
      case 'mismatch':
        return ctx.error('idempotency_key_reused');
      case 'replay':
        return { ...result.response, headers: { ...result.response.headers, 'Idempotent-Replayed': 'true' } };
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
  });
};
