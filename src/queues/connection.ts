/**
 * BullMQ's side of the Redis connections (src/store/redis.ts has the store's and the key
 * namespaces): connection options per role and topology, and on a Cluster the client factory.
 * Apart from redis.ts so that loading the store does not load BullMQ (0.14–0.27 s of a
 * `shenbao report` start, measured).
 */
import type { RedisOptions as IORedisOptions } from 'ioredis';
import { Redis } from 'ioredis';
import { RedisConnection, createIORedisClient, type ConnectionOptions, type KeyPrefixOptions, type QueueBaseOptions, type RedisOptions as BullRedisOptions } from 'bullmq';
import type { RedisConfig } from '../config/env';
import { clusterClient, queuePrefix, serverOptions, topologyOf, type RedisScope, type RedisSettings } from '../store/redis';

/** Marks BullMQ connection options as a Cluster's (read by the client factory below). */
const CLUSTER_MARK = 'shenbaoCluster';

/**
 * BullMQ builds a standalone ioredis client from connection options, and shares (never closes)
 * a client instance it is given. To keep "BullMQ opens and owns its connections" on a Cluster
 * too, its client factory builds a Cluster for options marked with the seed nodes, and
 * otherwise exactly what BullMQ builds itself. Installed once, on the first Cluster queue.
 */
function installClusterFactory(): void {
  if (RedisConnection.clientFactory) return;
  RedisConnection.clientFactory = (opts: BullRedisOptions) => {
    const { url, [CLUSTER_MARK]: marked, ...rest } = opts as BullRedisOptions & { [CLUSTER_MARK]?: RedisConfig };
    // BullMQ's defaults (host, port) are of no use to a Cluster client (it has its seed nodes).
    const { host: _host, port: _port, ...clusterRest } = rest;
    if (marked) return createIORedisClient(clusterClient(marked, clusterRest as IORedisOptions));
    return createIORedisClient(url ? new Redis(url, rest as IORedisOptions) : new Redis(rest as IORedisOptions));
  };
}

/**
 * BullMQ connection options. Workers block on Redis and must never give up a command
 * (maxRetriesPerRequest null); producers fail fast while Redis is down (no offline queue).
 */
export function bullConnection(config: RedisSettings, role: 'worker' | 'producer'): ConnectionOptions {
  const byRole = role === 'worker'
    ? { maxRetriesPerRequest: null, connectionName: 'shenbao-worker' }
    : { enableOfflineQueue: false, connectionName: 'shenbao-producer' };
  switch (topologyOf(config.redis)) {
    case 'cluster':
      installClusterFactory();
      return { ...byRole, [CLUSTER_MARK]: config.redis };
    case 'sentinel':
      return { ...serverOptions(config.redis), ...byRole } as BullRedisOptions;
    default:
      return { url: config.redis.url, ...byRole };
  }
}

/** Options for `new Queue(name, …)` / `new Worker(name, fn, …)` / `new QueueEvents(name, …)`. */
export function bullOptions(config: RedisSettings, role: 'worker' | 'producer', scope: RedisScope = {}): QueueBaseOptions & KeyPrefixOptions & { prefix: string } {
  return { connection: bullConnection(config, role), prefix: queuePrefix(scope, config) };
}
