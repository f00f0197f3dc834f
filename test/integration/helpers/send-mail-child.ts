/**
 * A sender that dies at a chosen moment, run as a child process from the compiled dist/
 * (node dist/test/integration/helpers/send-mail-child.js) with CHILD_ARGS (JSON) and the
 * stack's environment. SIGKILL leaves no chance to clean up, like a crash or `kill -9`.
 *   crash-after-send: deliver one email; die as soon as the SMTP server accepted it
 *                     (before the sent log records it).
 *   crash-after-job:  run an `outbound` worker; die after a job's processing finished
 *                     (sent and recorded) but before BullMQ marks the job completed.
 */
import { Worker } from 'bullmq';
import { loadConfig } from '../../../src/config/env';
import { createMailer, type Mailer } from '../../../src/mail/smtp';
import { deliver, outboundProcessor, type DeliverDeps } from '../../../src/notify/outbox';
import { QUEUES } from '../../../src/queues/names';
import type { PlannedEmail } from '../../../src/domain/outgoing';
import type { OutboundJob } from '../../../src/queues/outbound';
import { RecipientRateLimit } from '../../../src/store/rate-limit';
import { bullOptions } from '../../../src/queues/connection';
import { createRedis } from '../../../src/store/redis';
import { SentLog } from '../../../src/store/sent-log';

export interface ChildArgs {
  mode: 'crash-after-send' | 'crash-after-job';
  prefix: string;
  loopId: string;
  claimTimeoutMs: number;
  lockDurationMs?: number;
  email?: PlannedEmail;
}

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

async function main(): Promise<void> {
  const args = JSON.parse(process.env.CHILD_ARGS ?? '{}') as ChildArgs;
  const config = loadConfig(process.env, { require: ['smtp', 'mailFrom'] });
  const redis = createRedis(config, { prefix: args.prefix });
  const real = createMailer(config.smtp);
  const mailer: Mailer = args.mode === 'crash-after-send'
    ? { ...real, send: async (m) => { await real.send(m); return die(); } }
    : real;
  const deps: DeliverDeps = {
    mailer,
    sentLog: new SentLog(redis, { claimTimeoutMs: args.claimTimeoutMs }),
    rateLimit: new RecipientRateLimit(redis, { max: 5 }),
    from: config.mailFrom,
    loopId: args.loopId,
  };
  if (args.mode === 'crash-after-send') {
    if (!args.email) throw new Error('crash-after-send needs an email');
    await deliver(deps, args.email);
    throw new Error('deliver returned: the crash did not happen');
  }
  const processor = outboundProcessor(deps);
  const worker = new Worker<OutboundJob>(QUEUES.outbound, async (job, token) => {
    await processor(job, token);
    process.stdout.write(`processed ${job.id}\n`);
    return die();
  }, { ...bullOptions(config, 'worker', { prefix: args.prefix }), 
    // The stalled check is shared by all workers of a queue through a key that lives one
    // stalledInterval: keep it as short as the lock, or the next worker waits 30 s.
    lockDuration: args.lockDurationMs ?? 30_000, stalledInterval: args.lockDurationMs ?? 30_000 });
  worker.on('error', (err) => process.stderr.write(`child worker: ${String(err)}\n`));
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`send-mail-child: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
