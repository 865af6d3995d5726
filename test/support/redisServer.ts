/**
 * A real redis-server on a free loopback port, without persistence (`--save '' --appendonly no`), for the Redis
 * suites (test/support/redis.ts) and the bench (bench/redis.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './prism.js';

/** REDIS_SERVER, else redis-server on PATH. */
export function redisServerPath(): string | undefined {
  const candidates = process.env['REDIS_SERVER']
    ? [process.env['REDIS_SERVER']]
    : (process.env['PATH'] ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, 'redis-server'));
  return candidates.find(isExecutable);
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const serverPath = redisServerPath();

/** A running redis-server; `stop` and `start` again on the same port (to test an outage). */
export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    /** More arguments for redis-server (a cluster node's, test/support/redisCluster.ts). */
    private readonly extra: string[],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(extra: string[] = [], port?: number): Promise<RedisServer> {
    const server = new RedisServer(port ?? (await freePort()), extra);
    await server.start();
    return server;
  }

  /** Starts it and waits (10 s at most) until it accepts connections. */
  async start(): Promise<void> {
    const args = [
      '--save',
      '',
      '--appendonly',
      'no',
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      ...this.extra,
    ];
    const child = spawn(serverPath!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
    child.removeAllListeners('exit');
  }

  /** Deletes every key; with `scripts`, every cached script instead (the next EVALSHA of each is a NOSCRIPT). */
  async flush(scripts = false): Promise<void> {
    await this.call((client) => (scripts ? client.script('FLUSH') : client.flushall()));
  }

  /** `command` through a connection of its own to this node. */
  async call<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis({ port: this.port, host: '127.0.0.1' });
    try {
      return await command(client);
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
