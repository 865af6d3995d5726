/**
 * LeadLex `deleteDocument` (DELETE /v1/documents/{id}).
 * https://docs.leadlex.com — "Delete Document": soft delete schedules the purge within 1 hour; `hard=true`
 * purges now and needs `admin:documents`; 409 `in_use` while a workflow or template references the document.
 */
import type { operations } from '../../../generated/leadlex/types.js';
import type { Context, MockResponse } from '../../mock/types.js';
import { error } from './errors.js';
import { requestIdOf } from './requestId.js';
import type { LeadlexStore, Principal } from './store.js';

type Params = operations['deleteDocument']['parameters'];

export function deleteDocument(state: { store: LeadlexStore }) {
  return (ctx: Context): MockResponse => {
    const { store } = state;
    store.runDuePurges();
    const principal = ctx.security['bearerKey'] as Principal;
    const { id } = ctx.request.params as Params['path'];
    const hard = ctx.request.query['hard'] === true || ctx.request.query['hard'] === 'true';
    const idempotencyKey = (ctx.request.headers as Params['header'] & Record<string, string | undefined>)?.['idempotency-key'];

    if (idempotencyKey) {
      const reservation = store.reserveIdempotencyKey(principal.key.key, idempotencyKey, ctx.raw.path, hard);
      if (reservation.kind === 'in-flight') return error('idempotency_key_in_use', ctx);
      if (reservation.kind === 'mismatch') return error('idempotency_key_reused', ctx);
      if (reservation.kind === 'replay') {
        return { ...reservation.response, headers: { ...reservation.response.headers, 'Idempotent-Replayed': 'true' } };
      }
      ctx.locals['idempotencyRecord'] = reservation.record;
    }

    const needed = hard ? 'admin:documents' : 'write:documents';
    if (!principal.key.permissions.includes(needed)) {
      return error('insufficient_permissions', ctx, `Missing ${needed}${hard ? ' (required when hard=true)' : ''}`);
    }
    const stored = principal.workspace.documents.get(id);
    if (!stored) return error('not_found', ctx);
    const { doc } = stored;
    if (doc.referencedBy && doc.referencedBy.length > 0) {
      const refs = doc.referencedBy.map((r) => `${r.kind} ${r.id}`).join(', ');
      return error('in_use', ctx, `Document is referenced by ${refs} and cannot be deleted`);
    }
    store.deleteDocument(principal.workspace, stored, hard, requestIdOf(ctx));
    return { status: 204 };
  };
}
