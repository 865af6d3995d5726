/**
 * Velt's seeded documents for the landing page, each with a bulk delete of that one ID by the first app's key and
 * token; another app's organization is not found (404).
 */

import type { DocumentEntry } from '../../mock/types.js';
import { failsWith } from '../define.js';
import { errors } from './errors.js';
import type { Seed } from './store.js';

export function documents(seed: Seed): DocumentEntry[] {
  const app = seed.apps[0];
  const token = app?.authTokens[0]?.token;
  if (!app || !token) return [];
  return seed.apps.flatMap((owner, i) =>
    owner.organizations.flatMap((org) =>
      org.documents.map((doc) => ({
        id: doc.id,
        ...(doc.name !== undefined ? { name: doc.name } : {}),
        tenant: `${owner.id} / ${org.id}`,
        ...(i > 0
          ? { state: 'other tenant', expect: failsWith(errors, 'organization_not_found') }
          : { state: 'deletable', expect: { status: 200 } }),
        request: {
          method: 'POST',
          path: '/v2/organizations/documents/delete',
          headers: { 'Content-Type': 'application/json', 'x-velt-api-key': app.apiKey, 'x-velt-auth-token': token },
          body: { data: { organizationId: org.id, documentIds: [doc.id] } },
        },
      })),
    ),
  );
}
