/**
 * `npm run bench:classify`: precision and recall of every document kind over every file
 * whose kind was written down by hand:
 *   - fixtures/documents/** (`<name>.expected.json`, one record or an archive's array);
 *   - ../shared/corpus/archives (`<file>.expected.json` beside each RAR; the email
 *     x13-rar-attachment.eml, whose expected `documents` name the kind of each attachment);
 *   - ../shared/corpus/wild/documents (test/integration/corpus-wild-documents.expected.json).
 * Each file is read by shenbao's document parser (worker pool, OCR where tesseract is
 * installed), as `shenbao parse` does. Prints one line per kind (tp, fp, fn, precision,
 * recall), every misclassified file, and with --json the whole result.
 * fixtures/emails are not counted: their expected records give verdicts, not kinds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDocumentParser } from '../src/documents';
import { DOCUMENT_KINDS, type DocumentKind, type DocumentRecord } from '../src/domain/document';
import { readEmail } from '../src/mail/read-email';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'fixtures', 'documents');
const ARCHIVES = path.resolve(ROOT, '..', 'shared', 'corpus', 'archives');
const WILD = path.resolve(ROOT, '..', 'shared', 'corpus', 'wild', 'documents');
const WILD_EXPECTED = path.join(ROOT, 'test', 'integration', 'corpus-wild-documents.expected.json');

interface Case {
  /** where the expectation comes from */
  source: string;
  /** the file to read (an archive gives several records) */
  name: string;
  bytes: Buffer;
  /** expected kind by record `file`; optional records are not scored */
  expected: Map<string, DocumentKind>;
}

interface ExpectedRecord {
  file: string;
  kind?: DocumentKind;
  _optional?: boolean;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function expectedMap(records: ExpectedRecord[]): Map<string, DocumentKind> {
  return new Map(records.filter((r) => !r._optional && r.kind).map((r) => [r.file, r.kind as DocumentKind]));
}

function fixtureCases(): Case[] {
  return walk(DOCS)
    .filter((p) => p.endsWith('.expected.json'))
    .map((p) => {
      const raw = JSON.parse(fs.readFileSync(p, 'utf8')) as ExpectedRecord | ExpectedRecord[];
      const file = p.slice(0, -'.expected.json'.length);
      return { source: 'fixtures', name: path.basename(file), bytes: fs.readFileSync(file), expected: expectedMap(Array.isArray(raw) ? raw : [raw]) };
    });
}

function archiveCases(): Case[] {
  return walk(ARCHIVES)
    .filter((p) => p.endsWith('.rar.expected.json'))
    .map((p) => {
      const file = p.slice(0, -'.expected.json'.length);
      return { source: 'corpus/archives', name: path.basename(file), bytes: fs.readFileSync(file), expected: expectedMap(JSON.parse(fs.readFileSync(p, 'utf8')) as ExpectedRecord[]) };
    });
}

function wildCases(): Case[] {
  if (!fs.existsSync(WILD_EXPECTED) || !fs.existsSync(WILD)) return [];
  const records = (JSON.parse(fs.readFileSync(WILD_EXPECTED, 'utf8')) as { records: ExpectedRecord[] }).records;
  const byTop = new Map<string, ExpectedRecord[]>();
  for (const r of records) {
    const top = r.file.split('/')[0] as string;
    byTop.set(top, [...(byTop.get(top) ?? []), r]);
  }
  return [...byTop].map(([top, recs]) => ({ source: 'corpus/wild', name: top, bytes: fs.readFileSync(path.join(WILD, top)), expected: expectedMap(recs) }));
}

/** The email's attachments, each a case with the kind its expected `documents` give. */
async function emailCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const p of walk(ARCHIVES).filter((f) => f.endsWith('.eml'))) {
    const expectedPath = p.replace(/\.eml$/, '.expected.json');
    if (!fs.existsSync(expectedPath)) continue;
    const docs = (JSON.parse(fs.readFileSync(expectedPath, 'utf8')) as { documents?: ExpectedRecord[] }).documents ?? [];
    const email = await readEmail(fs.readFileSync(p));
    for (const a of email.attachments) {
      const expected = expectedMap(docs.filter((d) => d.file === a.filename || d.file.startsWith(`${a.filename}/`)));
      if (expected.size > 0) cases.push({ source: `email ${path.basename(p)}`, name: a.filename, bytes: a.content, expected });
    }
  }
  return cases;
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
}

const pct = (n: number, d: number): string => (d === 0 ? '   —  ' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const cases = [...fixtureCases(), ...archiveCases(), ...(await emailCases()), ...wildCases()];
  const parser = createDocumentParser();
  const scores = new Map<DocumentKind, Score>(DOCUMENT_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  const wrong: Array<{ source: string; file: string; expected: DocumentKind; got: DocumentKind | 'no record' }> = [];
  let scored = 0;
  const started = Date.now();
  try {
    const results = await Promise.all(cases.map(async (c) => ({ c, records: await parser.parse(c.name, c.bytes) })));
    for (const { c, records } of results) {
      const byFile = new Map<string, DocumentRecord>(records.map((r) => [r.file, r]));
      for (const [file, expected] of c.expected) {
        scored++;
        const got = byFile.get(file)?.kind ?? 'no record';
        const e = scores.get(expected) as Score;
        if (got === expected) {
          e.tp++;
          continue;
        }
        e.fn++;
        if (got !== 'no record') (scores.get(got) as Score).fp++;
        wrong.push({ source: c.source, file, expected, got });
      }
    }
  } finally {
    await parser.close();
  }
  const bySource = new Map<string, number>();
  for (const c of cases) {
    const key = c.source.startsWith('email') ? 'corpus/archives (email)' : c.source;
    bySource.set(key, (bySource.get(key) ?? 0) + c.expected.size);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ scored, sources: Object.fromEntries(bySource), kinds: Object.fromEntries(scores), wrong }, null, 2)}\n`);
    return;
  }
  const lines = [
    `documents scored: ${scored} (${[...bySource].map(([s, n]) => `${s} ${n}`).join(', ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    '',
    'kind               expected   tp   fp   fn  precision  recall',
  ];
  for (const [kind, s] of scores) {
    lines.push(`${kind.padEnd(18)} ${String(s.tp + s.fn).padStart(8)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}     ${pct(s.tp, s.tp + s.fp)}  ${pct(s.tp, s.tp + s.fn)}`);
  }
  lines.push('', wrong.length === 0 ? 'misclassified: none' : `misclassified (${wrong.length}):`);
  for (const w of wrong) lines.push(`  [${w.source}] ${w.file}: expected ${w.expected}, got ${w.got}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:classify: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
