/**
 * Staff actions on the real stack: a Redis namespace per test, the real outbox and send-mail
 * worker (so what staff cause ends in the SMTP sink), applications built by the pure fold
 * from the rules tests' builders and saved as the intake saves them.
 */
import type { Redis } from 'ioredis';
import { loadCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import { clockStartingAt } from '../../../src/domain/clock';
import { Outbox } from '../../../src/notify/outbox';
import type { PlannedEmail } from '../../../src/notify/plan';
import { outboundJobId } from '../../../src/queues/outbound';
import { foldEmail, newApplication, type FoldInput } from '../../../src/rules/fold';
import { ApplicationStore } from '../../../src/store/applications';
import { IntakeLog, type MessageRef } from '../../../src/store/intake-log';
import { createRedis } from '../../../src/store/redis';
import { SentLog } from '../../../src/store/sent-log';
import { StaffActions } from '../../../src/store/staff-actions';
import { startSendMailWorker, type SendMailWorker } from '../../../workers/send-mail';
import { readSink, to, withHeader, type SinkFilter, type SinkMessage } from '../helpers/sink';
import { cleanPrefix, stackConfig, uid, uniquePrefix, waitFor } from '../helpers/stack';

export const campaign = loadCampaign();
export const config = stackConfig(['smtp', 'mailFrom']);

export interface Harness {
  prefix: string;
  loopId: string;
  redis: Redis;
  apps: ApplicationStore;
  sentLog: SentLog;
  intakeLog: IntakeLog;
  outbox: Outbox;
  staff: StaffActions;
  reprocessed: MessageRef[];
  /** Starts the send-mail worker (tests that check "nothing is sent" start it after suppressing). */
  startWorker(): SendMailWorker;
  /** Saves applications as the intake does. */
  save(...apps: Application[]): Promise<void>;
  /** Messages in the sink from this test (loop header) to `address`. */
  sink(address: string): Promise<SinkMessage[]>;
  jobState(key: string): Promise<string>;
  jobResult(key: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function openHarness(label: string): Promise<Harness> {
  const prefix = uniquePrefix(label);
  const loopId = `T${uid()}`;
  const redis = createRedis(config, { prefix });
  const apps = new ApplicationStore(redis);
  const sentLog = new SentLog(redis);
  const intakeLog = new IntakeLog(redis);
  const outbox = Outbox.open(config, { prefix }, { attempts: 3, backoffMs: 200 });
  const reprocessed: MessageRef[] = [];
  // The clock of 2023-07-15 (before the association deadline), running forward.
  const clock = clockStartingAt(new Date('2023-07-15T10:00:00+08:00'));
  const staff = new StaffActions({
    redis, apps, sentLog, intakeLog, campaign, clock,
    enqueue: (planned: PlannedEmail[]) => outbox.enqueue(planned),
    reprocess: async (failed) => { reprocessed.push(failed.ref); },
  });
  const workers: SendMailWorker[] = [];
  const mine: SinkFilter = withHeader('x-shenbao-loop', loopId);
  return {
    prefix, loopId, redis, apps, sentLog, intakeLog, outbox, staff, reprocessed,
    startWorker() {
      const w = startSendMailWorker({ config, campaign: { id: loopId, perRecipientPerHour: 20 }, scope: { prefix } });
      workers.push(w);
      return w;
    },
    async save(...list) {
      const multi = redis.multi();
      for (const app of list) apps.writeApplication(multi, app, Date.parse(app.updatedAt));
      await multi.exec();
    },
    sink: (address) => readSink((m) => mine(m) && to(address)(m)),
    jobState: (key) => outbox.queue.getJobState(outboundJobId(key)),
    async jobResult(key) {
      return (await outbox.queue.getJob(outboundJobId(key)))?.returnvalue as unknown;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close(5_000)));
      await outbox.close();
      redis.disconnect();
      await cleanPrefix(prefix);
    },
  };
}

export function fold(id: string, inputs: FoldInput[]): Application {
  return inputs.reduce((app, e) => foldEmail(app, e, campaign), newApplication(id, inputs[0]?.arrival.at ?? new Date('2023-07-01T00:00:00Z')));
}

/** Waits until the outbound job of `key` has finished (completed or failed). */
export async function settled(h: Harness, key: string): Promise<string> {
  return waitFor(`job ${key} settled`, async () => {
    const state = await h.jobState(key);
    return state === 'completed' || state === 'failed' ? state : null;
  }, 20_000);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
