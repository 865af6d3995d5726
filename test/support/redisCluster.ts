/**
 * A real Redis Cluster of three masters on free loopback ports, without persistence, for the Redis suites
 * (test/support/redis.ts): each node is a RedisServer started with `--cluster-enabled yes`, its cluster config in a
 * temporary folder (so that a node stopped and started again is the same node with the same slots), and the nodes are
 * joined by `redis-cli --cluster create`. `stop` and `start` again stop and restart every node (an outage).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './prism.js';
import { isExecutable, RedisServer, redisServerPath } from './redisServer.js';

const run = promisify(execFile);
const READY_MS = 20_000;

/** redis-cli beside redis-server (the packages ship them together), if it is there. */
export function redisCliPath(): string | undefined {
  const server = redisServerPath();
  const cli = server && path.join(path.dirname(server), 'redis-cli');
  return cli && isExecutable(cli) ? cli : undefined;
}

export class RedisCluster {
  private constructor(
    readonly nodes: RedisServer[],
    private readonly dir: string,
  ) {}

  /** The seed nodes, as `--store` takes them. */
  get url(): string {
    return `redis+cluster://${this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
  }

  static async start(masters = 3): Promise<RedisCluster> {
    const dir = await mkdtemp(path.join(tmpdir(), 'tombstone-cluster-'));
    const nodes = await Promise.all(
      Array.from({ length: masters }, async () => {
        const [port, bus] = [await freePort(), await freePort()];
        const config = path.join(dir, `nodes-${port}.conf`);
        const args = ['--cluster-enabled', 'yes', '--cluster-config-file', config, '--cluster-port', String(bus)];
        return RedisServer.start(args, port);
      }),
    );
    const cluster = new RedisCluster(nodes, dir);
    try {
      const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
      await run(redisCliPath()!, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
      await cluster.ready();
    } catch (err) {
      await cluster.close();
      throw err;
    }
    return cluster;
  }

  /** Every node started again (same ports, same cluster config, no data), once the cluster says it is whole. */
  async start(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.start()));
    await this.ready();
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }

  /** Stops the master that serves `key`'s slot; the function returned starts it again, empty. */
  async stopNodeOf(key: string): Promise<() => Promise<void>> {
    const port = await this.nodes[0]!.call(async (client) => {
      const slot = (await client.cluster('KEYSLOT', key)) as number;
      const ranges = await client.cluster('SLOTS');
      return ranges.find(([from, to]) => from <= slot && slot <= to)?.[2]?.[1];
    });
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`No node of the cluster serves ${key}.`);
    await node.stop();
    return async () => {
      await node.start();
      await this.ready();
    };
  }

  /** RedisServer's `flush`, on every node. */
  async flush(scripts = false): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.flush(scripts)));
  }

  /** Stops every node and deletes their cluster configs. */
  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Waits (READY_MS at most) until every node reports `cluster_state:ok`: each slot served, the nodes agreeing. */
  private async ready(): Promise<void> {
    const deadline = Date.now() + READY_MS;
    for (;;) {
      const infos = await Promise.all(this.nodes.map((n) => n.call((client) => client.cluster('INFO'))));
      if (infos.every((info) => /^cluster_state:ok\r?$/m.test(info))) return;
      if (Date.now() > deadline) throw new Error(`The Redis Cluster is not ready in ${READY_MS} ms:\n${infos[0]}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
