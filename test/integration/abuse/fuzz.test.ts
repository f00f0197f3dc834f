/**
 * A bounded fuzz test (issue 8 §5): a seeded mutation loop over the fixture emails and form
 * documents, through the MIME reader and the form readers as the service runs them (the
 * document pool's worker processes, built dist/). Whatever a mutant holds, the caller gets a
 * value back in bounded time: an email or a coded failure, records with a known error code or
 * none. The caller's event loop never stalls (its lag is measured), and it never throws.
 *
 * Also: the MIME reader is bounded itself. A 45 MB email given a one-second budget ends as a
 * coded record, and the sender is still known from its header block.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDocumentParser, type DocumentParser } from '../../../src/documents';
import { DOCUMENT_ERROR_CODES, type DocumentRecord } from '../../../src/domain/document';
import { analyseEmail } from '../../../src/intake/analyse';
import { prng } from '../helpers/prng';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '../../..');
const SEED = 20230720;
const EMAIL_MUTANTS = 150;
const DOCUMENT_MUTANTS = 150;
const TIMEOUT_MS = 5000;

type Mutator = (b: Buffer, r: () => number) => Buffer;
const int = (r: () => number, n: number) => Math.floor(r() * n);

const MUTATORS: Record<string, Mutator> = {
  flip: (b, r) => {
    const out = Buffer.from(b);
    for (let i = 0, n = 1 + int(r, 20); i < n; i++) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  truncate: (b, r) => b.subarray(0, int(r, b.length)),
  splice: (b, r) => {
    const from = int(r, b.length);
    const chunk = b.subarray(from, from + 1 + int(r, 4096));
    const at = int(r, b.length);
    return Buffer.concat([b.subarray(0, at), chunk, chunk, b.subarray(at)]);
  },
  zero: (b, r) => {
    const out = Buffer.from(b);
    const from = int(r, out.length);
    out.fill(0, from, Math.min(out.length, from + 1 + int(r, 2048)));
    return out;
  },
  repeatLine: (b, r) => {
    const lines = b.toString('latin1').split('\n');
    const i = int(r, lines.length);
    lines.splice(i, 0, ...Array<string>(200 + int(r, 2000)).fill(lines[i] ?? ''));
    return Buffer.from(lines.join('\n'), 'latin1');
  },
  garbageHeader: (b, r) => {
    const junk = ['Content-Type: multipart/mixed; boundary=', 'Content-Transfer-Encoding: base64', 'Date: (((((((((((', '=?gbk?B?', 'Content-Disposition: attachment; filename*0*=', '--'];
    const line = `${junk[int(r, junk.length)]}${'('.repeat(int(r, 5000))}\r\n`;
    const at = Math.max(0, b.indexOf('\r\n') + 2);
    return Buffer.concat([b.subarray(0, at), Buffer.from(line, 'latin1'), b.subarray(at)]);
  },
};

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir).filter((f) => ext.test(f)).map((f) => path.join(dir, f));
}

interface Figures {
  tried: number;
  handled: number;
  slowestMs: number;
  slowest: string;
}

function report(label: string, f: Figures): void {
  process.stdout.write(`fuzz ${label}: tried ${f.tried}, handled ${f.handled}, slowest ${f.slowestMs} ms (${f.slowest})\n`);
}

/** Runs `count` mutants of `inputs` through `run`, two at a time, measuring the caller's event-loop lag. */
async function fuzz(
  inputs: string[],
  count: number,
  seed: number,
  mutators: string[],
  run: (name: string, bytes: Buffer) => Promise<boolean>,
): Promise<Figures & { lagMs: number }> {
  const r = prng(seed);
  const originals = inputs.map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) }));
  const figures = { tried: 0, handled: 0, slowestMs: 0, slowest: '', lagMs: 0 };
  let last = Date.now();
  const lag = setInterval(() => {
    figures.lagMs = Math.max(figures.lagMs, Date.now() - last - 50);
    last = Date.now();
  }, 50);
  try {
    const jobs = Array.from({ length: count }, () => {
      const input = originals[int(r, originals.length)] ?? originals[0];
      const how = mutators[int(r, mutators.length)] ?? 'flip';
      const mutate = MUTATORS[how] ?? MUTATORS.flip;
      let bytes: Buffer = input?.bytes ?? Buffer.alloc(0);
      for (let i = 0, n = 1 + int(r, 3); i < n; i++) bytes = (mutate as Mutator)(bytes, r);
      return { label: `${input?.name ?? '?'} ${how}`, name: input?.name ?? 'x', bytes };
    });
    for (let i = 0; i < jobs.length; i += 2) {
      await Promise.all(
        jobs.slice(i, i + 2).map(async (job) => {
          figures.tried++;
          const started = Date.now();
          if (await run(job.name, job.bytes)) figures.handled++;
          const ms = Date.now() - started;
          if (ms > figures.slowestMs) Object.assign(figures, { slowestMs: ms, slowest: job.label });
        }),
      );
    }
  } finally {
    clearInterval(lag);
  }
  return figures;
}

const coded = (records: DocumentRecord[]) => records.length > 0 && records.every((d) => d.error === null || (DOCUMENT_ERROR_CODES as readonly string[]).includes(d.error.code));

let parser: DocumentParser;
beforeAll(() => {
  parser = createDocumentParser({ concurrency: 2, timeoutMs: TIMEOUT_MS });
});
afterAll(async () => parser.close());

test('mutated emails through the MIME reader: an email or a coded failure, in bounded time', async () => {
  const emails = files(path.join(ROOT, 'fixtures/emails'), /\.eml$/);
  const figures = await fuzz(emails, EMAIL_MUTANTS, SEED, Object.keys(MUTATORS), async (_name, bytes) => {
    const reading = await parser.readEmail(bytes, { maxForwardDepth: 3, timeoutMs: TIMEOUT_MS });
    if ('failure' in reading) return (DOCUMENT_ERROR_CODES as readonly string[]).includes(reading.failure.code);
    const e = reading.email;
    return typeof e.subject === 'string' && Array.isArray(e.attachments) && e.attachments.every((a) => Buffer.isBuffer(a.content)) && Array.isArray(e.links);
  });
  report('MIME reader (emails)', figures);
  process.stdout.write(`fuzz MIME reader: caller's worst event-loop lag ${figures.lagMs} ms\n`);
  expect(figures.tried).toBe(EMAIL_MUTANTS);
  expect(figures.handled).toBe(figures.tried);
  expect(figures.slowestMs).toBeLessThan(TIMEOUT_MS + 3000);
  expect(figures.lagMs).toBeLessThan(1000);
});

test('mutated form documents through the form readers: records with known codes, in bounded time', async () => {
  const forms = files(path.join(ROOT, 'fixtures/documents/forms'), /\.(docx|doc|pdf|wps)$/);
  const figures = await fuzz(forms, DOCUMENT_MUTANTS, SEED + 1, ['flip', 'truncate', 'splice', 'zero'], async (name, bytes) => coded(await parser.parse(name, bytes)));
  report('form readers (documents)', figures);
  process.stdout.write(`fuzz form readers: caller's worst event-loop lag ${figures.lagMs} ms\n`);
  expect(figures.tried).toBe(DOCUMENT_MUTANTS);
  expect(figures.handled).toBe(figures.tried);
  // A reader that overruns is ended at TIMEOUT_MS; archive members are read one after another.
  expect(figures.slowestMs).toBeLessThan(3 * TIMEOUT_MS);
  expect(figures.lagMs).toBeLessThan(1000);
});

test('a 45 MB email over a one-second budget ends as a coded record; its sender is still known', async () => {
  const big = Buffer.concat([
    Buffer.from('From: big@big-corp.cn\r\nTo: intake@assoc.test\r\nSubject: big\r\nMessage-ID: <big@big-corp.cn>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'),
    ...Array.from({ length: 6 }, (_, i) =>
      Buffer.from(`--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="b${i}.bin"\r\n\r\n${Buffer.alloc(5_600_000, i + 1).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`),
    ),
    Buffer.from('--b--\r\n'),
  ]);
  let worst = 0;
  let last = Date.now();
  const lag = setInterval(() => {
    worst = Math.max(worst, Date.now() - last - 20);
    last = Date.now();
  }, 20);
  const started = Date.now();
  const analysed = await analyseEmail(big, { parser }, { limits: { documents: 200, nestingDepth: 3, seconds: 1 }, now: new Date() }).finally(() => clearInterval(lag));
  const ms = Date.now() - started;
  process.stdout.write(`fuzz big email: ${Math.round(big.length / 1e6)} MB, 1 s budget, answered in ${ms} ms, caller's worst event-loop lag ${worst} ms, documents ${analysed.documents.map((d) => `${d.file}:${d.error?.code ?? 'ok'}`).join(' ')}\n`);
  expect(analysed.email.from?.address).toBe('big@big-corp.cn');
  expect(analysed.email.messageId).toBe('<big@big-corp.cn>');
  // Which way the budget runs out depends on the machine: the MIME read itself (one '(邮件)'
  // record) or the documents after it (each coded). Either way nothing is read past it: on a
  // fast machine the first attachments are read within the second (filler bytes, no format:
  // UNSUPPORTED_FORMAT), and from the first one the budget stops, every later one is coded for it.
  const codes = analysed.documents.map((d) => d.error?.code ?? 'read');
  const stopped = codes.findIndex((c) => c === 'TIMEOUT' || c === 'TOO_LARGE');
  expect(stopped).toBeGreaterThanOrEqual(0);
  expect(codes.slice(0, stopped).every((c) => c === 'UNSUPPORTED_FORMAT')).toBe(true);
  expect(codes.slice(stopped).every((c) => c === 'TIMEOUT' || c === 'TOO_LARGE')).toBe(true);
  expect(ms).toBeLessThan(1000 + 5000 + 2000);
  expect(worst).toBeLessThan(500);
});
