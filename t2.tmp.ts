import { openRedisState } from './src/stores/redis/index.ts';
import { RedisConnection } from './src/stores/redis/connection.ts';
import { RedisCluster } from './test/support/redisCluster.ts';
import { readFileSync } from 'node:fs';
const c = await RedisCluster.start();
const seeds = new Map([['tavus', JSON.parse(readFileSync('mocks/tavus.json','utf8'))]]);
const origConnect = RedisConnection.connect;
const t0 = Date.now();
(RedisConnection as any).connect = async (...a: any[]) => { const conn = await (origConnect as any)(...a); for (const ev of ['ready','close','reconnecting','connect','end','connecting','refresh']) conn.client.on(ev, () => console.log(Date.now()-t0, 'client', ev, conn.client.status)); return conn; };
const state = await openRedisState(c.url, seeds);
const store = state.store('tavus') as any;
console.log(Date.now()-t0, 'seeded', (await store.snapshot()).accounts.length);
await c.stop(); console.log(Date.now()-t0, 'stopped');
await new Promise((r) => setTimeout(r, 1000));
await c.start(); console.log(Date.now()-t0, 'started');
for (let i = 0; i < 10; i++) { await new Promise((r) => setTimeout(r, 500)); try { console.log(Date.now()-t0, 'snapshot', (await store.snapshot()).accounts.length); } catch (e) { console.log(Date.now()-t0, 'err', (e as Error).message); } }
await state.close(); await c.close();
