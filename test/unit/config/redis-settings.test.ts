/**
 * REDIS_CLUSTER_NODES / REDIS_SENTINELS / REDIS_SENTINEL_NAME / REDIS_PASSWORD (src/config/env.ts)
 * and what they make of the key namespace (src/store/redis.ts). The servers themselves:
 * test/integration/cluster.test.ts.
 */
import { ConfigError, loadConfig } from '../../../src/config/env';
import { bullOptions } from '../../../src/queues/connection';
import { namespaceOf, queuePrefix, redisWhere, replicasToConfirm, topologyOf } from '../../../src/store/redis';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no ConfigError');
}

describe('Redis topology settings', () => {
  test('none: standalone at REDIS_URL, keys and queues as before', () => {
    const c = loadConfig({});
    expect(c.redis).toEqual({ url: 'redis://127.0.0.1:6379', cluster: null, sentinel: null, password: null, waitReplicas: null });
    expect(topologyOf(c.redis)).toBe('standalone');
    expect(replicasToConfirm(c.redis)).toBe(0);
    expect(namespaceOf(c, { prefix: 'p1' })).toBe('p1');
    expect(bullOptions(c, 'worker', { prefix: 'p1' }).prefix).toBe('p1:bull');
    expect(queuePrefix({ prefix: 'p1' })).toBe('p1:bull');
  });

  test('REDIS_CLUSTER_NODES: the seed nodes; every key and queue under one hash tag', () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-b:7001,[::1]:7002 ', REDIS_PASSWORD: 's3cret' });
    expect(c.redis.cluster).toEqual([{ host: '10.0.0.1', port: 7000 }, { host: 'redis-b', port: 7001 }, { host: '::1', port: 7002 }]);
    expect(c.redis.password).toBe('s3cret');
    expect(topologyOf(c.redis)).toBe('cluster');
    expect(namespaceOf(c)).toBe('{shenbao}');
    expect(namespaceOf(c, { prefix: 't-x' })).toBe('{t-x}');
    expect(bullOptions(c, 'producer', { prefix: 't-x' }).prefix).toBe('{t-x}:bull');
    expect(queuePrefix({ prefix: 't-x' }, c)).toBe('{t-x}:bull');
    expect(redisWhere(c)).toBe('the Redis Cluster at 10.0.0.1:7000,redis-b:7001,::1:7002 (REDIS_CLUSTER_NODES)');
    expect(redisWhere(c)).not.toContain('s3cret');
  });

  test('REDIS_SENTINELS + REDIS_SENTINEL_NAME: the master by name, keys as standalone', () => {
    const c = loadConfig({ REDIS_SENTINELS: '127.0.0.1:26379,127.0.0.1:26380', REDIS_SENTINEL_NAME: 'mymaster' });
    expect(c.redis.sentinel).toEqual({ sentinels: [{ host: '127.0.0.1', port: 26379 }, { host: '127.0.0.1', port: 26380 }], name: 'mymaster' });
    expect(topologyOf(c.redis)).toBe('sentinel');
    expect(replicasToConfirm(c.redis)).toBe(1);
    expect(namespaceOf(c, { prefix: 'p1' })).toBe('p1');
    expect(bullOptions(c, 'worker').connection).toMatchObject({ sentinels: [{ host: '127.0.0.1', port: 26379 }, { host: '127.0.0.1', port: 26380 }], name: 'mymaster', maxRetriesPerRequest: null });
  });

  test('REDIS_WAIT_REPLICAS: how many replicas hold a sent-log write before a sender relies on it', () => {
    expect(replicasToConfirm(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000' }).redis)).toBe(0);
    expect(replicasToConfirm(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_WAIT_REPLICAS: '1' }).redis)).toBe(1);
    expect(replicasToConfirm(loadConfig({ REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm', REDIS_WAIT_REPLICAS: '2' }).redis)).toBe(2);
    // 0 behind Sentinels: the operator's choice (no waiting), not the default.
    expect(replicasToConfirm(loadConfig({ REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm', REDIS_WAIT_REPLICAS: '0' }).redis)).toBe(0);
    for (const bad of ['-1', '1.5', 'one', '17']) {
      const err = configError({ REDIS_WAIT_REPLICAS: bad });
      expect(err.variable).toBe('REDIS_WAIT_REPLICAS');
      expect(err.message).toContain('must be a whole number from 0 to 16');
    }
  });

  test.each([
    [{ REDIS_CLUSTER_NODES: 'localhost' }, 'REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_NODES must be a comma-separated list of host:port (got "localhost")'],
    [{ REDIS_CLUSTER_NODES: 'a:7000,b:99999' }, 'REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_NODES must be a comma-separated list of host:port (got "a:7000,b:99999")'],
    [{ REDIS_CLUSTER_NODES: ' , ' }, 'REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_NODES must name at least one host:port (got " , ")'],
    [{ REDIS_SENTINELS: 'a:26379' }, 'REDIS_SENTINEL_NAME', "REDIS_SENTINEL_NAME is required when REDIS_SENTINELS is set (the master's name, e.g. mymaster)"],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINELS', 'REDIS_SENTINELS is required when REDIS_SENTINEL_NAME is set'],
    [{ REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'b:7000' }, 'REDIS_SENTINELS', 'REDIS_SENTINELS and REDIS_CLUSTER_NODES exclude each other (a Cluster has no Sentinels)'],
  ])('%j is refused in one line naming %s', (env, variable, message) => {
    const err = configError(env);
    expect(err.variable).toBe(variable);
    expect(err.message).toBe(message);
    expect(err.messageZh).toMatch(/设置|缺少/);
  });

  test('REDIS_PASSWORD is read as given and never shown where Redis is said to be', () => {
    const c = loadConfig({ REDIS_PASSWORD: 'hunter2', REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'm' });
    expect(c.redis.password).toBe('hunter2');
    expect(redisWhere(c)).toBe('Redis master "m" via Sentinels s1:26379 (REDIS_SENTINELS)');
    expect(redisWhere(loadConfig({ REDIS_URL: 'redis://user:hunter2@h:6379' }))).toBe('Redis at redis://***@h:6379 (REDIS_URL)');
  });
});
