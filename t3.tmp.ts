import { openRedisState } from './src/stores/redis/index.ts';
import { RedisCluster } from './test/support/redisCluster.ts';
import { readFileSync } from 'node:fs';
const seeds = new Map(['leadlex','tavus','dify','velt','oneflow'].map((n) => [n, JSON.parse(readFileSync(`mocks/${n}.json`,'utf8'))]));
for (let round = 0; round < 6; round++) {
  const c = await RedisCluster.start();
  const t0 = Date.now();
  const states = await Promise.allSettled([0,1,2].map(() => openRedisState(c.url, seeds, `r${round}:`)));
  console.log(round, Date.now() - t0, states.map((s) => s.status === 'fulfilled' ? 'ok' : (s.reason as Error).message));
  for (const s of states) if (s.status === 'fulfilled') await s.value.close();
  await c.close();
}
