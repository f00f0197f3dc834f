/** The metrics registry: names, labels, per-process registries, gauges read at scrape time, the timed parser. */
import type { DocumentParser } from '../../../src/documents';
import { createMetrics } from '../../../src/metrics/registry';
import { timedParser } from '../../../workers/ops';

/** The value of one sample line, e.g. `shenbao_emails_sent_total{kind="receipt",status="sent"}`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createMetrics', () => {
  it('renders counters, histograms and scrape-time gauges in the Prometheus text format', async () => {
    let depth = 3;
    const m = createMetrics({
      queueCounts: async () => ({ intake: { waiting: depth, active: 1 }, outbound: { delayed: 2 } }),
      heldBack: async () => 4,
    }, { defaultMetrics: false });
    m.emailsReceived.inc({ mailbox: 'INBOX' });
    m.emailsProcessed.inc({ outcome: 'folded' });
    m.emailsFailed.inc({ final: 'false' });
    m.emailsSent.inc({ kind: 'receipt', status: 'sent' }, 2);
    m.receiptLatencySeconds.observe({ kind: 'receipt' }, 3.5);
    m.parseSeconds.observe({ what: 'document' }, 0.2);

    const { contentType, body } = await m.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(body, 'shenbao_emails_received_total{mailbox="INBOX"}')).toBe(1);
    expect(sample(body, 'shenbao_emails_processed_total{outcome="folded"}')).toBe(1);
    expect(sample(body, 'shenbao_emails_failed_total{final="false"}')).toBe(1);
    expect(sample(body, 'shenbao_emails_sent_total{kind="receipt",status="sent"}')).toBe(2);
    expect(sample(body, 'shenbao_receipt_latency_seconds_bucket{le="5",kind="receipt"}')).toBe(1);
    expect(sample(body, 'shenbao_receipt_latency_seconds_bucket{le="2",kind="receipt"}')).toBe(0);
    expect(sample(body, 'shenbao_parse_seconds_count{what="document"}')).toBe(1);
    expect(sample(body, 'shenbao_queue_jobs{queue="intake",state="waiting"}')).toBe(3);
    expect(sample(body, 'shenbao_queue_jobs{queue="outbound",state="delayed"}')).toBe(2);
    expect(sample(body, 'shenbao_emails_held_back')).toBe(4);
    expect(body).toContain('# TYPE shenbao_receipt_latency_seconds histogram');

    depth = 0; // gauges are read again on every scrape
    expect(sample((await m.render()).body, 'shenbao_queue_jobs{queue="intake",state="waiting"}')).toBe(0);
  });

  it('gives each service its own registry: two in one process do not clash or share counts', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.emailsReceived.inc({ mailbox: 'INBOX' }, 5);
    expect(sample((await a.render()).body, 'shenbao_emails_received_total{mailbox="INBOX"}')).toBe(5);
    expect(sample((await b.render()).body, 'shenbao_emails_received_total{mailbox="INBOX"}')).toBeUndefined();
    expect((await a.render()).body).toContain('shenbao_process_resident_memory_bytes');
  });
});

it('exposes the health verdict as gauges, from one check per scrape', async () => {
  let calls = 0;
  let report = { healthy: true, lastSweepAgeSeconds: 42 as number | null };
  const m = createMetrics({ mailbox: 'INBOX', health: async () => { calls += 1; return report; } }, { defaultMetrics: false });
  const first = (await m.render()).body;
  expect([sample(first, 'shenbao_healthy'), sample(first, 'shenbao_mailbox_last_sweep_age_seconds{mailbox="INBOX"}'), calls]).toEqual([1, 42, 1]);
  report = { healthy: false, lastSweepAgeSeconds: null };
  const second = (await m.render()).body;
  expect([sample(second, 'shenbao_healthy'), sample(second, 'shenbao_mailbox_last_sweep_age_seconds{mailbox="INBOX"}'), calls]).toEqual([0, undefined, 2]);
});

describe('timedParser', () => {
  it('observes every email read and document parse, also when the reader throws', async () => {
    const m = createMetrics({}, { defaultMetrics: false });
    let t = 1000;
    const inner: DocumentParser = {
      parse: async () => {
        t += 1500;
        return [];
      },
      readEmail: async () => {
        t += 250;
        throw new Error('pool closed');
      },
      close: async () => undefined,
    };
    const p = timedParser(inner, m, () => t);
    await p.parse('a.docx', Buffer.from('x'));
    await expect(p.readEmail(Buffer.from('x'), { maxForwardDepth: 3, timeoutMs: 1000 })).rejects.toThrow('pool closed');
    const { body } = await m.render();
    expect(sample(body, 'shenbao_parse_seconds_sum{what="document"}')).toBe(1.5);
    expect(sample(body, 'shenbao_parse_seconds_sum{what="email"}')).toBe(0.25);
  });
});
