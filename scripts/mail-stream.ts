/**
 * The mixed email stream of the long runs (scripts/faults.ts, scripts/soak.ts): the fixture
 * emails with unique senders and Message-IDs, emails composed from fixture documents, and one
 * whose sender the stack's SMTP server refuses with 550; the campaign file those runs use; and
 * how often the SMTP sink took each Message-ID of a run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeEmail, FIXTURE_EMAILS, ROOT } from './demo';
import { LOOP_HEADER } from '../src/mail/smtp';

export interface Mail { raw: Buffer; at: Date; messageId: string }

function withUniqueSender(raw: Buffer, n: number, tag: string): Buffer {
  let text = raw.toString('latin1');
  const from = /^From:[^\r\n]*?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/im.exec(text)?.[1];
  if (from) text = text.split(from).join(`u${n}-${tag}-${from}`);
  return Buffer.from(text, 'latin1');
}

function withMessageId(raw: Buffer, id: string): Buffer {
  const text = raw.toString('latin1');
  const replaced = text.replace(/^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*/im, `Message-ID: ${id}`);
  return Buffer.from(replaced === text ? `Message-ID: ${id}\r\n${text}` : replaced, 'latin1');
}

/**
 * The stream, one email at a time (a long run need not hold thousands in memory): email `i`
 * is the same for the same `tag` and the same sequence of `rnd`.
 */
export async function* streamMail(count: number, tag: string, rnd: () => number): AsyncGenerator<Mail> {
  const fixtures = fs.readdirSync(FIXTURE_EMAILS).filter((f) => f.endsWith('.eml')).sort();
  const docs = ['forms/core-form.docx', 'forms/core-form.pdf', 'forms/f01-two-products.docx', 'forms/f02-three-products.docx', 'forms/f05-missing-fields.docx',
    'other/core-copyright-certificate.pdf', 'other/core-user-report-1.docx', 'other/copyright-certificate-guanggu.docx', 'forms/f25-guanggu-company.docx']
    .filter((f) => fs.existsSync(path.join(ROOT, 'fixtures/documents', f)));
  for (let i = 0; i < count; i++) {
    const messageId = `<f${i}-${tag}@faults.test>`;
    const at = new Date(Date.parse('2023-07-10T09:00:00+08:00') + i * 60_000);
    let raw: Buffer;
    if (i === 1) {
      // A user report alone: no company named, so it is placed by its sender in every run (a
      // form of a company others also send would race them for the company's first application).
      raw = await composeEmail({ from: `reject-${tag}@refused.test`, subject: '申报材料（退信测试）', text: '附件', files: ['other/core-user-report-1.docx'], messageId });
    } else if (i % 3 === 0) {
      const f = fixtures[(i / 3) % fixtures.length] ?? fixtures[0] ?? '';
      raw = withMessageId(withUniqueSender(fs.readFileSync(path.join(FIXTURE_EMAILS, f)), i, tag), messageId);
    } else {
      const files = docs.filter(() => rnd() < 0.35);
      raw = await composeEmail({ from: `c${i}-${tag}@firm${i % 40}.cn`, subject: `申报材料 ${i}`, text: files.length ? '附件为申报材料' : '请问如何申报？', files, messageId });
    }
    yield { raw, at, messageId };
  }
}

/** The whole stream in memory. */
export async function buildStream(count: number, tag: string, rnd: () => number): Promise<Mail[]> {
  const out: Mail[] = [];
  for await (const m of streamMail(count, tag, rnd)) out.push(m);
  return out;
}

export function campaignFile(dir: string, idPrefix: string): string {
  const base = fs.readFileSync(path.join(ROOT, 'campaigns/2023.yaml'), 'utf8');
  // The fixture forms name a few contacts again and again: the hourly limits would hold their
  // follow-ups back for an hour, which is not what this run is about.
  const text = base.replace(/^idPrefix: SB2023$/m, `idPrefix: ${idPrefix}`)
    .replace(/perRecipientPerHour: \d+/, 'perRecipientPerHour: 100000')
    .replace(/perDomainPerHour: \d+/, 'perDomainPerHour: 100000')
    .replace(/globalPerHour: \d+/, 'globalPerHour: 100000');
  const file = path.join(dir, `${idPrefix}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

/** How many times the SMTP sink took each Message-ID of the emails one run (its loop id) sent. */
export function sinkMessageIds(sinkDir: string, loopId: string): Map<string, number> {
  const ids = new Map<string, number>();
  for (const f of fs.readdirSync(sinkDir).filter((n) => n.endsWith('.eml'))) {
    const raw = fs.readFileSync(path.join(sinkDir, f), 'latin1');
    const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
    if (!new RegExp(`^${LOOP_HEADER}: ${loopId}\\s*$`, 'im').test(head)) continue;
    const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? f;
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  return ids;
}
