import { openRedisState } from './src/stores/redis/index.ts';
import { RedisCluster } from './test/support/redisCluster.ts';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
const c = await RedisCluster.start();
const seeds = new Map([['tavus', JSON.parse(readFileSync('mocks/tavus.json','utf8'))]]);
const state = await openRedisState(c.url, seeds);
const store = state.store('tavus') as any;
const snap = await store.snapshot();
console.log(snap.accounts.map((a: any) => a.id));
// which node holds which tenant
for (const n of c.nodes) { const r = new Redis(n.port); console.log(n.port, (await r.keys('*')).join(' ')); r.disconnect(); }
let victim = c.nodes[0]!;
for (const n of c.nodes) { const r = new Redis(n.port); if ((await r.keys('*acct_demo*')).length) victim = n; r.disconnect(); }
await victim.stop();
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  for (const a of snap.accounts) {
    try { console.log(a.id, await store.deleteDocument({ id: a.id }, 'nope'), Date.now() - t0); } catch (e) { console.log(a.id, (e as Error).name, (e as Error).message, state.isUnavailable(e), Date.now() - t0); }
  }
  console.log('reachable', await state.reachable());
  await new Promise((r) => setTimeout(r, 1000));
}
await victim.start();
for (let i = 0; i < 8; i++) { console.log('after', i, await state.reachable()); await new Promise((r) => setTimeout(r, 1000)); }
for (const a of snap.accounts) { try { console.log(a.id, await store.deleteDocument({ id: a.id }, 'nope')); } catch (e) { console.log(a.id, (e as Error).message); } }
console.log('reachable', await state.reachable());
console.log((await store.snapshot()).accounts.map((a: any) => a.id));
await state.close(); await c.close();
