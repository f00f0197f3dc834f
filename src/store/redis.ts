/**
 * Redis connections. Every key shenbao writes lives under `${prefix}:` (default `shenbao`),
 * so tests isolate themselves with a unique prefix on one shared Redis:
 *   - store modules get an ioredis client with `keyPrefix: '${prefix}:'` (they write bare keys);
 *   - BullMQ refuses ioredis key prefixes, so queues get `prefix: '${prefix}:bull'` instead and
 *     connection *options* (BullMQ opens and owns its connections): src/queues/connection.ts,
 *     apart so that what only reads the store (report, serve, rebuild) never loads BullMQ.
 *
 * Three topologies (src/config/env.ts RedisConfig):
 *   - standalone (REDIS_URL): as above, unchanged;
 *   - Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME): the same keys on whichever server the
 *     Sentinels name master; ioredis asks them and follows a failover;
 *   - Redis Cluster (REDIS_CLUSTER_NODES): the whole namespace inside one hash tag, keys
 *     `{${prefix}}:…` and queues `{${prefix}}:bull:…`, so every key of a deployment hashes to
 *     one slot. That is what lets the store's MULTI/EXEC, MGET and Lua scripts (sent log, rate
 *     limit, leases, intake log) and BullMQ's scripts run unchanged: a Cluster refuses a
 *     command whose keys span slots (CROSSSLOT). One call's data is small (≈5,000
 *     applications, tens of MB), so one slot — one master and its replicas — holds it easily;
 *     the Cluster gives failover and room for other deployments (each its own prefix, its own
 *     slot), not sharding of one call. Workers scale out as processes, not through Redis.
 *     A standalone deployment's keys (`shenbao:…`) are not those of a Cluster one
 *     (`{shenbao}:…`): moving to a Cluster is `shenbao rebuild` from the mailbox (docs/operations.md).
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions as IORedisOptions } from 'ioredis';
import type { Config, HostPort, RedisConfig } from '../config/env';

export const DEFAULT_PREFIX = 'shenbao';

export interface RedisScope {
  /** Namespace of every key; tests pass a unique one. */
  prefix?: string;
}

export type RedisSettings = Pick<Config, 'redis'>;

export type RedisTopology = 'standalone' | 'cluster' | 'sentinel';

export function topologyOf(redis: RedisConfig): RedisTopology {
  if (redis.cluster && redis.cluster.length > 0) return 'cluster';
  if (redis.sentinel) return 'sentinel';
  return 'standalone';
}

/**
 * How many replicas must hold a sent-log write before a sender relies on it (WAIT): what the
 * settings say, else 1 behind Sentinels — a Sentinel deployment fails over to a replica, so it
 * has one — and 0 otherwise (standalone has none; a Cluster says how many it has with
 * REDIS_WAIT_REPLICAS, since `--cluster-replicas 0` is a valid Cluster).
 */
export function replicasToConfirm(redis: RedisConfig): number {
  return redis.waitReplicas ?? (topologyOf(redis) === 'sentinel' ? 1 : 0);
}

/** The namespace as it starts every key: `shenbao` standalone, `{shenbao}` (a hash tag) on a Cluster. */
export function namespaceOf(config: RedisSettings, scope: RedisScope = {}): string {
  const prefix = scope.prefix ?? DEFAULT_PREFIX;
  return topologyOf(config.redis) === 'cluster' ? `{${prefix}}` : prefix;
}

const nodes = (list: readonly HostPort[]): { host: string; port: number }[] => list.map((n) => ({ host: n.host, port: n.port }));

/** Options every connection to a server of the deployment carries (auth; Sentinel's master). */
export function serverOptions(redis: RedisConfig): IORedisOptions {
  const auth: IORedisOptions = redis.password ? { password: redis.password } : {};
  if (topologyOf(redis) !== 'sentinel' || !redis.sentinel) return auth;
  // failoverDetector: ioredis listens for the Sentinels' +switch-master and leaves the old master
  // then, not when the Sentinels demote it (10 s later on loopback). Writes the old master takes
  // after the replica was promoted are lost with it — sent-log records among them, so replies went
  // out twice (test/integration/sentinel.test.ts: 3 without this, 2 with it). What closes the
  // window is the server's `min-replicas-to-write 1` (docs/operations.md §8): measured 0.
  return { ...auth, sentinels: nodes(redis.sentinel.sentinels), name: redis.sentinel.name, failoverDetector: true };
}

/**
 * A Cluster client. Per-node options go under `redisOptions`; the offline queue and the retry
 * of the cluster as a whole are Cluster options (ioredis ignores them per node).
 */
export function clusterClient(redis: RedisConfig, o: IORedisOptions & { keyPrefix?: string }): Cluster {
  const { keyPrefix, enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = o;
  const options: ClusterOptions = {
    redisOptions: { ...serverOptions(redis), ...perNode },
    ...(keyPrefix !== undefined ? { keyPrefix } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(retryStrategy !== undefined ? { clusterRetryStrategy: retryStrategy } : {}),
  };
  return new Cluster(nodes(redis.cluster ?? []), options);
}

/**
 * A client for the store (sent log, rate limit, applications …), keys under `${namespace}:`.
 * On a Cluster it is an ioredis `Cluster`, typed as `Redis`: the store only sends commands the
 * two share (both are ioredis Commanders) plus disconnect/quit, and every key it sends is under
 * the one hash tag, so MULTI, MGET and EVAL reach one node.
 */
export function createRedis(config: RedisSettings, scope: RedisScope & { name?: string } = {}): Redis {
  const options = {
    keyPrefix: `${namespaceOf(config, scope)}:`,
    connectionName: scope.name ?? 'shenbao-store',
    // Store calls fail after a few retries instead of hanging forever while Redis is down.
    maxRetriesPerRequest: 3,
    lazyConnect: false,
  };
  switch (topologyOf(config.redis)) {
    case 'cluster':
      return clusterClient(config.redis, options) as unknown as Redis;
    case 'sentinel':
      return new Redis({ ...serverOptions(config.redis), ...options });
    default:
      return new Redis(config.redis.url, options);
  }
}

/** The `prefix` BullMQ puts before its keys: `${namespace}:bull:<queue>:…`. */
export function queuePrefix(scope: RedisScope = {}, config?: RedisSettings): string {
  return `${config ? namespaceOf(config, scope) : (scope.prefix ?? DEFAULT_PREFIX)}:bull`;
}

/** Where the settings say Redis is, for one-line errors (no password). */
export function redisWhere(config: RedisSettings): string {
  const r = config.redis;
  const list = (l: readonly HostPort[]) => l.map((n) => `${n.host}:${n.port}`).join(',');
  switch (topologyOf(r)) {
    case 'cluster': return `the Redis Cluster at ${list(r.cluster ?? [])} (REDIS_CLUSTER_NODES)`;
    case 'sentinel': return `Redis master "${r.sentinel?.name ?? ''}" via Sentinels ${list(r.sentinel?.sentinels ?? [])} (REDIS_SENTINELS)`;
    default: return `Redis at ${r.url.replace(/\/\/[^@/]*@/, '//***@')} (REDIS_URL)`;
  }
}

/** A client with no key prefix that gives up at once (probes, clean-up). */
function rawClient(config: RedisSettings, name: string, probe: boolean): Redis | Cluster {
  const o: IORedisOptions = probe
    ? { connectionName: name, lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 5000, retryStrategy: () => null }
    : { connectionName: name };
  switch (topologyOf(config.redis)) {
    case 'cluster':
      return clusterClient(config.redis, o);
    case 'sentinel':
      // Without a retry, a Sentinel that does not answer ends the attempt at once.
      return new Redis({ ...serverOptions(config.redis), ...o, ...(probe ? { sentinelRetryStrategy: () => null } : {}) });
    default:
      return new Redis(config.redis.url, o);
  }
}

/**
 * Null when Redis answers PING at start, else one line saying where it was looked for and why
 * not (`worker` and `report` exit 1 with it: a wrong address is a setting to fix).
 */
export async function redisProblem(config: RedisSettings): Promise<string | null> {
  const client = rawClient(config, 'shenbao-probe', true);
  let cause: Error | null = null;
  client.on('error', (err: Error) => { cause = err; });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    // ioredis rejects with "Connection is closed"; the error event said why (ECONNREFUSED …).
    const why = (cause as Error | null)?.message ?? (err instanceof Error ? err.message : String(err));
    return `${redisWhere(config)} cannot be reached: ${why}`;
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under the namespace of `prefix` (tests' clean-up; refuses the production prefix). */
export async function dropPrefix(config: RedisSettings, prefix: string): Promise<number> {
  if (!prefix || prefix === DEFAULT_PREFIX) throw new Error(`refusing to drop prefix "${prefix}"`);
  // A client without keyPrefix: SCAN patterns are not prefixed by ioredis, DEL arguments are.
  const raw = rawClient(config, 'shenbao-cleanup', false);
  // `{` and `}` are not glob characters: the pattern matches the hash-tagged keys literally.
  const pattern = `${namespaceOf(config, { prefix })}:*`;
  // SCAN sees one node's keys: on a Cluster, every master's (the namespace is on one of them).
  const servers: Redis[] = raw instanceof Cluster ? await mastersOf(raw) : [raw];
  try {
    let dropped = 0;
    for (const server of servers) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) dropped += await server.del(...keys);
      } while (cursor !== '0');
    }
    return dropped;
  } finally {
    raw.disconnect();
  }
}

async function mastersOf(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== 'ready') await new Promise<void>((resolve, reject) => {
    cluster.once('ready', () => resolve());
    cluster.once('error', reject);
  });
  return cluster.nodes('master');
}
