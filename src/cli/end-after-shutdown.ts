/**
 * The end of a long-running command (`worker`, `serve`) once its shutdown is complete.
 * Behind Sentinels the process would not end by itself: ioredis 6.0.0 leaves a client's
 * failover-detector subscriptions to the Sentinels open after quit() (redis/ioredis#1362,
 * fixed upstream after 6.0.0), and BullMQ closes its connections with quit(). Measured: a
 * worker still alive 40 s after logging "worker stopped", until its supervisor killed it.
 * Standalone and Cluster keep ending when their event loop drains, so a handle we leak
 * ourselves still shows there as a command that does not exit.
 */
import type { RedisConfig } from '../config/env';
import { topologyOf } from '../store/redis';

export function endAfterShutdown(redis: RedisConfig): void {
  if (topologyOf(redis) !== 'sentinel') return;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
}
