/**
 * readEmail over every email fixture (fixtures/make-emails.py, Python's `email` package) against
 * its hand-written .expected.json, and every attachment's bytes against the sha256 the producer
 * recorded in fixtures/emails/manifest.json.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEmail } from '../../../src/mail/read-email';

const DIR = join(__dirname, '../../../fixtures/emails');

interface Expected {
  messageId: string | null;
  from: { address: string; name: string } | null;
  subject: string;
  date: string | null;
  receivedHeaderAt: string | null;
  inReplyTo?: string;
  references?: string[];
  automatic: { reason: string } | null;
  attachments: string[];
  links: { url: string; kind: string }[];
  problems: string[];
  textIncludes: string | null;
  verdict: { complete: boolean; issueCodes: string[]; deadline: 'onTime' | 'late' | 'closed' };
}

const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Record<string, Record<string, string>>;
const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => f.replace(/\.eml$/, ''))
  .sort();

describe('email fixtures', () => {
  it('has at least 30 emails, each with an expected file', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
    const expectedFiles = readdirSync(DIR).filter((f) => f.endsWith('.expected.json'));
    expect(expectedFiles.map((f) => f.replace(/\.expected\.json$/, '')).sort()).toEqual(names);
  });

  it.each(names)('%s reads as expected', async (name) => {
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as Expected;
    const email = await readEmail(readFileSync(join(DIR, `${name}.eml`)));

    expect(email.messageId).toBe(expected.messageId);
    expect(email.from).toEqual(expected.from);
    expect(email.subject).toBe(expected.subject);
    expect(email.date?.toISOString() ?? null).toBe(expected.date);
    expect(email.receivedHeaderAt?.toISOString() ?? null).toBe(expected.receivedHeaderAt);
    if (expected.inReplyTo !== undefined) expect(email.inReplyTo).toBe(expected.inReplyTo);
    if (expected.references !== undefined) expect(email.references).toEqual(expected.references);
    expect(email.automatic).toEqual(expected.automatic);
    expect(email.attachments.map((a) => a.filename)).toEqual(expected.attachments);
    expect(email.links).toEqual(expected.links);
    expect(email.problems.map((p) => p.file)).toEqual(expected.problems);
    for (const p of email.problems) {
      expect(p.reasonZh).toMatch(/[\u4e00-\u9fff]/);
      expect(p.reason).toMatch(/^[\x20-\x7e]+$/);
    }
    if (expected.textIncludes !== null) expect(email.text).toContain(expected.textIncludes);
    expect(email.text).not.toContain('\ufffd');

    // The bytes are the producer's bytes; a part the script damaged is recorded as `damaged:<sha of the original>`.
    const recorded = manifest[name] ?? {};
    for (const a of email.attachments) {
      const own = a.filename.split('/').pop() ?? '';
      expect(Object.keys(recorded)).toContain(own);
      expect(a.size).toBe(a.content.length);
      const sha = recorded[own] ?? '';
      const actual = createHash('sha256').update(a.content).digest('hex');
      if (sha.startsWith('damaged:')) expect(actual).not.toBe(sha.slice('damaged:'.length));
      else expect(actual).toBe(sha);
    }
    expect(['onTime', 'late', 'closed']).toContain(expected.verdict.deadline);
  });
});
