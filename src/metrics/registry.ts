/**
 * The worker's Prometheus metrics (prom-client), in a Registry of its own per process (never
 * prom-client's global one: tests start several services in one process, and a second
 * `new Counter` with the same name on the global registry throws).
 *
 * Counters are per process: with `--scale worker=3` each worker counts what it did and
 * Prometheus sums them (`sum(rate(shenbao_emails_processed_total[5m]))`). Gauges read shared
 * state (queue depths, held-back emails) from Redis at scrape time, so every worker reports
 * the same figure: use `max()` over workers, not `sum()`.
 *
 * Labels are bounded sets only (outcome, kind, queue, state): never an address, a subject or
 * a message id, which would both leak applicant data and explode the series count.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Job counts per state of one BullMQ queue. */
export type QueueCounts = Record<string, number>;

export interface MetricsSources {
  /** Job counts per queue name (intake, outbound), read from Redis when scraped. */
  queueCounts?: () => Promise<Record<string, QueueCounts>>;
  /** Emails waiting for a rate-limit slot (the dashboard's held list). */
  heldBack?: () => Promise<number>;
  /** This process's /healthz verdict, so Prometheus can alert on it without probing /healthz. */
  health?: () => Promise<{ healthy: boolean; lastSweepAgeSeconds: number | null }>;
  /** The watched mailbox: the sweep-age gauge's label (a series that is absent when the age is unknown). */
  mailbox?: string;
}

export interface ShenbaoMetrics {
  readonly registry: Registry;
  /** Messages the mailbox watcher found and handed to the intake queue. */
  readonly emailsReceived: Counter<'mailbox'>;
  /** Messages the intake finished, by outcome (DoneRecord outcome: folded, automatic, ...). */
  readonly emailsProcessed: Counter<'outcome'>;
  /** Intake attempts that threw; `final` = "true" when the message was given up and listed for staff. */
  readonly emailsFailed: Counter<'final'>;
  /** Outgoing emails by kind (receipt, followUp, reminder, digest ...) and how they ended. */
  readonly emailsSent: Counter<'kind' | 'status'>;
  /** Time to read one document (each archive member counts once, with the archive itself). */
  readonly parseSeconds: Histogram<'what'>;
  /** From the watcher finding an email to SMTP accepting its receipt. */
  readonly receiptLatencySeconds: Histogram<'kind'>;
  /** Time one intake job took (read, fold, judge, plan, mark). */
  readonly intakeSeconds: Histogram;
  /** Metrics in the text exposition format, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(sources: MetricsSources = {}, opts: { defaultMetrics?: boolean } = {}): ShenbaoMetrics {
  const registry = new Registry();
  const registers = [registry];
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'shenbao_' });

  const emailsReceived = new Counter({ name: 'shenbao_emails_received_total', help: 'Emails found in the mailbox and queued for intake', labelNames: ['mailbox'] as const, registers });
  const emailsProcessed = new Counter({ name: 'shenbao_emails_processed_total', help: 'Emails the intake finished, by outcome', labelNames: ['outcome'] as const, registers });
  const emailsFailed = new Counter({ name: 'shenbao_emails_failed_total', help: 'Intake attempts that failed; final="true": given up, listed for staff', labelNames: ['final'] as const, registers });
  const emailsSent = new Counter({ name: 'shenbao_emails_sent_total', help: 'Outgoing emails by kind and status (sent, failed)', labelNames: ['kind', 'status'] as const, registers });
  const parseSeconds = new Histogram({
    name: 'shenbao_parse_seconds',
    help: 'Time to read one email (what="email") or one document (what="document") in the reader pool',
    labelNames: ['what'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40],
    registers,
  });
  const receiptLatencySeconds = new Histogram({
    name: 'shenbao_receipt_latency_seconds',
    help: 'From the watcher finding an email to SMTP accepting its receipt (receipt, lateNotice, closedNotice)',
    labelNames: ['kind'] as const,
    buckets: [1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
    registers,
  });
  const intakeSeconds = new Histogram({ name: 'shenbao_intake_seconds', help: 'Time one intake job took', buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120], registers });

  const { queueCounts, heldBack, health, mailbox = 'INBOX' } = sources;
  if (health) {
    // Both gauges are collected together (in parallel) on a scrape: one check feeds both.
    let pending: Promise<{ healthy: boolean; lastSweepAgeSeconds: number | null }> | null = null;
    const once = () => (pending ??= health().finally(() => { pending = null; }));
    new Gauge({
      name: 'shenbao_healthy',
      help: '1 when /healthz would answer 200, else 0',
      registers,
      async collect() {
        this.set((await once()).healthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'shenbao_mailbox_last_sweep_age_seconds',
      help: 'Seconds since any worker last swept the mailbox successfully (absent: none recorded or Redis down)',
      labelNames: ['mailbox'] as const,
      registers,
      async collect() {
        const age = (await once()).lastSweepAgeSeconds;
        this.reset();
        if (age !== null) this.set({ mailbox }, age);
      },
    });
  }
  if (queueCounts) {
    new Gauge({
      name: 'shenbao_queue_jobs',
      help: 'Jobs in each queue by state (shared: every worker reports the same figure)',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries(await queueCounts())) {
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
        }
      },
    });
  }
  if (heldBack) {
    new Gauge({
      name: 'shenbao_emails_held_back',
      help: 'Outgoing emails waiting for a rate-limit slot (shared)',
      registers,
      async collect() {
        this.set(await heldBack());
      },
    });
  }

  return {
    registry,
    emailsReceived,
    emailsProcessed,
    emailsFailed,
    emailsSent,
    parseSeconds,
    receiptLatencySeconds,
    intakeSeconds,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** Kinds whose latency is the receipt latency: the first answer to an applicant's email. */
export const RECEIPT_KINDS: ReadonlySet<string> = new Set(['receipt', 'lateNotice', 'closedNotice']);
