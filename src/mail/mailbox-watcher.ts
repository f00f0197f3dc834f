/**
 * Watches the submission mailbox: IDLE for push, a UID sweep every `sweepIntervalMs` as the
 * fallback (IDLE can stall silently). New mail is what lies above the UID cursor stored per
 * (mailbox, UIDVALIDITY) — never \Seen, which a person reading the mailbox changes.
 * Only the holder of a Redis lease polls, so two workers on one Redis fetch each mail once.
 * Each new message: size checked, downloaded as a stream into the raw store, an `intake`
 * job enqueued (jobId from mailbox + UIDVALIDITY + uid), then the cursor advanced.
 */
import type { ImapFlow, FetchMessageObject } from 'imapflow';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { intakeJobId, type IntakeJobData } from '../queues/intake';
import { Lease } from '../store/lease';
import type { IntakeLog, MessageRef } from '../store/intake-log';
import type { RawMailStore } from '../store/raw-mail';
import { createImapClient, markSelected, type ImapSettings, type ProcessedAction } from './imap';

export interface WatcherOptions {
  redis: Redis;
  imap: ImapSettings;
  mailbox: string;
  log: IntakeLog;
  raw: RawMailStore;
  logger: Logger;
  /** Puts the message on the `intake` queue; must be idempotent by jobId. */
  enqueue: (jobId: string, data: IntakeJobData) => Promise<void>;
  /** Keywords meaning "handled already": such messages are skipped even when Redis forgot them. */
  handledKeywords: string[];
  /** How a message refused here (too large) is marked. */
  failedAction: ProcessedAction;
  sweepIntervalMs?: number;
  leaseTtlMs?: number;
  maxMessageBytes?: number;
  maxIdleTimeMs?: number;
  /** Called after each sweep that completed (the health check's "last successful sweep"); must not throw. */
  onSweep?: () => void;
}

/** What this process's watcher is doing, for /healthz. */
export type WatcherState = 'starting' | 'standby' | 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export class MailboxWatcher {
  private stopping = false;
  private client: ImapFlow | null = null;
  private loop: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;
  private sweepAgain = false;
  private wake: (() => void) | null = null;
  private readonly lease: Lease;
  private stateNow: WatcherState = 'starting';
  private firstPassDone: () => void = () => undefined;
  /**
   * Settles once the first sweep has handed what waits in the mailbox to the intake (or
   * another worker holds the lease, or the watcher stops): the scheduler's catch-up waits
   * for it, so a digest or reminder at start counts the mail that arrived meanwhile.
   */
  readonly firstPass = new Promise<void>((resolve) => {
    this.firstPassDone = resolve;
  });
  private readonly o: Required<Omit<WatcherOptions, 'redis' | 'imap' | 'log' | 'raw' | 'logger' | 'enqueue' | 'handledKeywords' | 'failedAction' | 'onSweep'>> & WatcherOptions;

  constructor(opts: WatcherOptions) {
    const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as WatcherOptions;
    // A 15 s lease: after a crash of the watching worker another one polls within ~20 s (issue 9).
    this.o = { sweepIntervalMs: 60_000, leaseTtlMs: 15_000, maxMessageBytes: 50 * 1024 * 1024, maxIdleTimeMs: 5 * 60_000, ...given };
    this.lease = new Lease(opts.redis, `lease:watcher:${opts.mailbox}`, this.o.leaseTtlMs);
  }

  /** standby: another worker holds the lease and watches; connected: this one does. */
  get state(): WatcherState {
    return this.stateNow;
  }

  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  /** Stops fetching: ends the current sweep, gives up the lease, closes the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stateNow = 'stopped';
    this.firstPassDone();
    this.wake?.();
    const c = this.client;
    if (this.sweeping) await this.sweeping.catch(() => undefined);
    if (c && c.usable) await c.logout().catch(() => c.close());
    await this.loop;
    await this.lease.release().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { logger } = this.o;
    let backoff = 500;
    while (!this.stopping) {
      let held = false;
      try {
        held = await this.lease.acquire();
      } catch (err) {
        logger.warn({ err }, 'watcher: lease check failed');
      }
      if (!held) {
        if (!this.stopping) this.stateNow = 'standby';
        this.firstPassDone();
        // Another worker polls; try again when its lease could have expired.
        await this.pause(Math.min(this.o.leaseTtlMs / 2, 5_000));
        continue;
      }
      const started = Date.now();
      try {
        await this.session();
      } catch (err) {
        if (!this.stopping) logger.warn({ err }, 'watcher: IMAP session ended with an error');
      }
      if (this.stopping) break;
      this.stateNow = 'reconnecting';
      backoff = Date.now() - started > 60_000 ? 500 : Math.min(backoff * 2, 30_000);
      logger.info({ backoffMs: backoff }, 'watcher: reconnecting');
      await this.pause(backoff);
    }
  }

  /** One connection, from connect to close. */
  private async session(): Promise<void> {
    const { logger, mailbox } = this.o;
    // IDLE soon after each sweep (default is 15 s of quiet): new mail is pushed, not waited for.
    const client = createImapClient(this.o.imap, logger, { maxIdleTimeMs: this.o.maxIdleTimeMs, autoIdleDelayMs: 1000 });
    this.client = client;
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    client.on('error', (err: unknown) => logger.warn({ err }, 'watcher: IMAP error'));
    client.on('exists', () => this.requestSweep(client));
    const timers: NodeJS.Timeout[] = [];
    if (this.stateNow !== 'reconnecting') this.stateNow = 'connecting';
    try {
      await client.connect();
      if (!this.stopping) this.stateNow = 'connected';
      logger.info({ mailbox, idle: client.capabilities.has('IDLE') }, 'watcher: connected');
      // Selecting the mailbox once keeps it selected, so IDLE watches it between sweeps.
      (await client.getMailboxLock(mailbox)).release();
      this.requestSweep(client);
      timers.push(setInterval(() => this.requestSweep(client), this.o.sweepIntervalMs));
      timers.push(
        setInterval(() => {
          this.lease.renew().then(
            (ok) => {
              if (!ok) {
                logger.warn('watcher: lease lost; another worker polls now');
                client.close();
              }
            },
            (err: unknown) => logger.warn({ err }, 'watcher: lease renew failed'),
          );
        }, this.o.leaseTtlMs / 3),
      );
      await closed;
    } finally {
      for (const t of timers) clearInterval(t);
      if (this.sweeping) await this.sweeping.catch(() => undefined);
      if (client.usable) client.close();
      this.client = null;
    }
  }

  private requestSweep(client: ImapFlow): void {
    if (this.stopping) return;
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = (async () => {
      do {
        this.sweepAgain = false;
        try {
          await this.sweep(client);
          this.o.onSweep?.();
        } catch (err) {
          this.o.logger.warn({ err }, 'watcher: sweep failed');
        }
      } while (this.sweepAgain && !this.stopping && client.usable);
    })().finally(() => {
      this.sweeping = null;
      this.firstPassDone();
    });
  }

  /** Finds the UIDs above the cursor and hands each new message to the intake queue. */
  async sweep(client: ImapFlow): Promise<void> {
    const { log, logger, mailbox } = this.o;
    const lock = await client.getMailboxLock(mailbox);
    try {
      // The mailbox state (EXISTS, UIDVALIDITY) is only as fresh as the last server response:
      // without IDLE running (it starts after a quiet spell) nothing arrives unless we ask.
      await client.noop();
      if (!client.mailbox) return;
      const uidValidity = String(client.mailbox.uidValidity);
      const before = await log.swapGeneration(mailbox, uidValidity);
      if (before !== null && before !== uidValidity) {
        logger.warn({ mailbox, before, uidValidity }, 'watcher: UIDVALIDITY changed; rescanning (de-duplicated by Message-ID and content)');
      }
      const last = await log.lastUid(mailbox, uidValidity);
      if (client.mailbox.exists === 0) return;
      // Collect first, act after: no command may run inside a fetch iterator. `<last+1>:*`
      // always returns the newest message even when nothing is new, hence the filter.
      const found = await client.fetchAll(`${last + 1}:*`, { uid: true, size: true, flags: true, envelope: true, internalDate: true }, { uid: true });
      const fresh = found.filter((m) => m.uid > last).sort((a, b) => a.uid - b.uid);
      for (const m of fresh) {
        if (this.stopping) break;
        await this.take(client, { mailbox, uidValidity, uid: m.uid }, m);
        await log.advance(mailbox, uidValidity, m.uid);
      }
      if (fresh.length > 0) logger.info({ mailbox, count: fresh.length, lastUid: fresh[fresh.length - 1]?.uid }, 'watcher: new messages queued');
    } finally {
      lock.release();
    }
  }

  private async take(client: ImapFlow, ref: MessageRef, m: FetchMessageObject): Promise<void> {
    const { log, logger, raw } = this.o;
    const messageId = m.envelope?.messageId ?? null;
    // Already handled before Redis learnt it (flags survive a lost store) or before a UIDVALIDITY change.
    if (this.o.handledKeywords.some((k) => m.flags?.has(k))) return;
    const internalDate = m.internalDate instanceof Date ? m.internalDate.toISOString() : m.internalDate ? new Date(m.internalDate).toISOString() : null;
    const size = m.size ?? 0;
    if (size > this.o.maxMessageBytes) {
      logger.warn({ ...ref, size, limit: this.o.maxMessageBytes }, 'watcher: message too large; marked failed');
      await log.markFailed({ ref, messageId, sha256: null, error: `message of ${size} bytes exceeds the limit of ${this.o.maxMessageBytes}`, attempts: 0, at: new Date().toISOString() });
      await markSelected(client, ref.uidValidity, ref.uid, this.o.failedAction);
      return;
    }
    const dl = await client.download(String(ref.uid), undefined, { uid: true });
    if (!dl.content) return; // expunged between SEARCH and FETCH
    const stored = await raw.putStream(dl.content, this.o.maxMessageBytes);
    // Processed before a UIDVALIDITY change: the same bytes. Not by Message-ID alone: a known id
    // with other content is another email, which the intake reads and flags (issue 8 §2).
    if (await log.seenElsewhere(null, stored.sha256)) return;
    await this.o.enqueue(intakeJobId(ref), { ...ref, sha256: stored.sha256, size: stored.size, internalDate, messageId });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
