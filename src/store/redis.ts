/**
 * Redis connections. Every key shenbao writes lives under `${prefix}:` (default `shenbao`),
 * so tests isolate themselves with a unique prefix on one shared Redis:
 *   - store modules get an ioredis client with `keyPrefix: '${prefix}:'` (they write bare keys);
 *   - BullMQ refuses ioredis key prefixes, so queues get `prefix: '${prefix}:bull'` instead and
 *     connection *options* (BullMQ opens and owns its connections).
 */
import { Redis } from 'ioredis';
import type { ConnectionOptions, KeyPrefixOptions, QueueBaseOptions } from 'bullmq';
import type { Config } from '../config/env';

export const DEFAULT_PREFIX = 'shenbao';

export interface RedisScope {
  /** Namespace of every key; tests pass a unique one. */
  prefix?: string;
}

type RedisSettings = Pick<Config, 'redis'>;

/** A client for the store (sent log, rate limit, applications …), keys under `${prefix}:`. */
export function createRedis(config: RedisSettings, scope: RedisScope & { name?: string } = {}): Redis {
  const client = new Redis(config.redis.url, {
    keyPrefix: `${scope.prefix ?? DEFAULT_PREFIX}:`,
    connectionName: scope.name ?? 'shenbao-store',
    // Store calls fail after a few retries instead of hanging forever while Redis is down.
    maxRetriesPerRequest: 3,
    lazyConnect: false,
  });
  return client;
}

/**
 * BullMQ connection options. Workers block on Redis and must never give up a command
 * (maxRetriesPerRequest null); producers fail fast while Redis is down (no offline queue).
 */
export function bullConnection(config: RedisSettings, role: 'worker' | 'producer'): ConnectionOptions {
  return role === 'worker'
    ? { url: config.redis.url, maxRetriesPerRequest: null, connectionName: 'shenbao-worker' }
    : { url: config.redis.url, enableOfflineQueue: false, connectionName: 'shenbao-producer' };
}

/** The `prefix` BullMQ puts before its keys: `${prefix}:bull:<queue>:…`. */
export function queuePrefix(scope: RedisScope = {}): string {
  return `${scope.prefix ?? DEFAULT_PREFIX}:bull`;
}

/** Options for `new Queue(name, …)` / `new Worker(name, fn, …)` / `new QueueEvents(name, …)`. */
export function bullOptions(config: RedisSettings, role: 'worker' | 'producer', scope: RedisScope = {}): QueueBaseOptions & KeyPrefixOptions & { prefix: string } {
  return { connection: bullConnection(config, role), prefix: queuePrefix(scope) };
}

/** Deletes every key under `${prefix}:` (tests' clean-up; refuses the production prefix). */
export async function dropPrefix(config: RedisSettings, prefix: string): Promise<number> {
  if (!prefix || prefix === DEFAULT_PREFIX) throw new Error(`refusing to drop prefix "${prefix}"`);
  // A client without keyPrefix: SCAN patterns are not prefixed by ioredis, DEL arguments are.
  const raw = new Redis(config.redis.url, { connectionName: 'shenbao-cleanup' });
  try {
    let cursor = '0';
    let dropped = 0;
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) dropped += await raw.del(...keys);
    } while (cursor !== '0');
    return dropped;
  } finally {
    raw.disconnect();
  }
}
