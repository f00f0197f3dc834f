/** The health verdict with an injected clock: when a worker turns unhealthy, and what it says. */
import { evaluateHealth, STALE_SWEEP_MS, type HealthObservation } from '../../../src/metrics/health';

const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);
const MIN = 60_000;

function worker(over: Partial<HealthObservation>): HealthObservation {
  return { now: T0 + 60 * MIN, startedAt: T0, redisOk: true, imap: 'connected', lastSweepAt: T0 + 59 * MIN, sweepMatters: true, ...over };
}

describe('evaluateHealth', () => {
  it('is healthy with Redis up and a sweep a minute ago, and says how old the sweep is', () => {
    const r = evaluateHealth(worker({}));
    expect(r).toEqual({ healthy: true, status: 'ok', redis: 'ok', imap: 'connected', lastSweepAgeSeconds: 60, problems: [] });
  });

  it('stays healthy at exactly 5 minutes and turns unhealthy one second later', () => {
    const last = T0 + 10 * MIN;
    expect(evaluateHealth(worker({ lastSweepAt: last, now: last + STALE_SWEEP_MS })).healthy).toBe(true);
    const late = evaluateHealth(worker({ lastSweepAt: last, now: last + STALE_SWEEP_MS + 1000, imap: 'reconnecting' }));
    expect(late.healthy).toBe(false);
    expect(late.status).toBe('unhealthy');
    expect(late.lastSweepAgeSeconds).toBe(301);
    expect(late.problems.map((p) => p.code)).toEqual(['MAILBOX_NOT_SWEPT']);
    expect(late.problems[0]?.messageZh).toContain('5 分钟');
  });

  it('counts from its own start when the recorded sweep is older (a restarted worker gets 5 minutes)', () => {
    const started = T0 + 60 * MIN;
    const old = T0; // a previous worker's last sweep, an hour ago
    expect(evaluateHealth(worker({ startedAt: started, lastSweepAt: old, now: started + 4 * MIN })).healthy).toBe(true);
    expect(evaluateHealth(worker({ startedAt: started, lastSweepAt: old, now: started + 6 * MIN })).healthy).toBe(false);
  });

  it('a mailbox never swept: healthy while starting, unhealthy after 5 minutes up', () => {
    expect(evaluateHealth(worker({ lastSweepAt: null, now: T0 + 2 * MIN, imap: 'connecting' }))).toMatchObject({ healthy: true, lastSweepAgeSeconds: null });
    expect(evaluateHealth(worker({ lastSweepAt: null, now: T0 + 6 * MIN })).problems.map((p) => p.code)).toEqual(['MAILBOX_NOT_SWEPT']);
  });

  it('a standby worker is judged by the lease holder\'s sweep, recorded in Redis', () => {
    expect(evaluateHealth(worker({ imap: 'standby' }))).toMatchObject({ healthy: true, imap: 'standby' });
    expect(evaluateHealth(worker({ imap: 'standby', lastSweepAt: T0 + 50 * MIN })).healthy).toBe(false);
  });

  it('Redis down: unhealthy, no sweep age (it cannot be known)', () => {
    const r = evaluateHealth(worker({ redisOk: false, lastSweepAt: undefined }));
    expect(r).toMatchObject({ healthy: false, redis: 'unreachable', lastSweepAgeSeconds: null });
    expect(r.problems.map((p) => p.code)).toEqual(['REDIS_UNREACHABLE']);
  });

  it('the dashboard reports a stale sweep but stays healthy (it serves what Redis holds)', () => {
    const r = evaluateHealth({ now: T0 + 60 * MIN, startedAt: T0, redisOk: true, lastSweepAt: T0, sweepMatters: false });
    expect(r).toEqual({ healthy: true, status: 'ok', redis: 'ok', lastSweepAgeSeconds: 3600, problems: [] });
    expect(evaluateHealth({ now: T0, startedAt: T0, redisOk: false, sweepMatters: false }).healthy).toBe(false);
  });

  it('a sweep stamped slightly in the future (clock skew between hosts) is age 0, not negative', () => {
    expect(evaluateHealth(worker({ lastSweepAt: T0 + 61 * MIN })).lastSweepAgeSeconds).toBe(0);
  });
});
