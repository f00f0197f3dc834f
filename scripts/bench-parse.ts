/**
 * `npm run bench:parse`: documents per second of shenbao's document parser (the worker
 * pool, one batch, every core) against the raw libraries on the same files in one
 * thread (mammoth.convertToHtml, pdf-parse getText, word-extractor), per format, with
 * the ratio (goal ≥ 0.8) and the peak RSS.
 *
 * Files: fixtures/documents/** (not hostile/), else ../shared/corpus. Scans (no text for
 * the raw reader) are left out: shenbao OCRs them, the libraries do not.
 * Options: --rounds N (default 2; the best round counts), --repeat N (each file N times
 * per batch, default 3), --json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import mammoth from 'mammoth';
import { PDFParse } from 'pdf-parse';
import WordExtractor from 'word-extractor';
import { createDocumentParser } from '../src/documents';
import { sniff } from '../src/documents/sniff';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'fixtures', 'documents');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const PDFJS = path.dirname(require.resolve('pdfjs-dist/package.json'));

type Family = 'docx' | 'doc' | 'pdf';

interface Doc {
  name: string;
  family: Family;
  bytes: Buffer;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'hostile' ? [] : walk(p);
    return e.name.endsWith('.json') || e.name.endsWith('.md') || e.name === 'LICENSE' ? [] : [p];
  });
}

function familyOf(bytes: Buffer, name: string): Family | null {
  const s = sniff(bytes);
  if (s === 'pdf') return 'pdf';
  if (s === 'ole') return 'doc';
  if (s === 'pk' && !name.endsWith('.zip')) return 'docx';
  return null;
}

/** The raw library call a one-threaded program would make; returns the text length. */
async function rawRead(doc: Doc): Promise<number> {
  if (doc.family === 'docx') return (await mammoth.convertToHtml({ buffer: doc.bytes })).value.length;
  if (doc.family === 'doc') return (await new WordExtractor().extract(doc.bytes)).getBody().trim().length;
  const parser = new PDFParse({ data: new Uint8Array(doc.bytes), cMapUrl: `${PDFJS}/cmaps/`, cMapPacked: true });
  try {
    return (await parser.getText()).pages.reduce((n, p) => n + p.text.trim().length, 0);
  } finally {
    await parser.destroy();
  }
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

interface Figures {
  docs: number;
  ms: number;
  /** CPU time used (this process, plus the pool's worker processes) */
  cpuMs: number;
}

/** Direct child processes (the pool's workers) from /proc: pid → [CPU ms, peak RSS MB]. */
function children(): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  if (!fs.existsSync('/proc/self/stat')) return out;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      const ticks = Number(fields[11]) + Number(fields[12]);
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      out.set(Number(pid), [ticks * 10, hwm ? Number(hwm[1]) / 1024 : 0]);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function cpuNow(): number {
  const own = process.cpuUsage();
  let kids = 0;
  for (const [cpu] of children().values()) kids += cpu;
  return (own.user + own.system) / 1000 + kids;
}

const perSecond = (f: Figures): number => (f.docs * 1000) / f.ms;

async function timeRaw(docs: Doc[], repeat: number): Promise<Figures> {
  const cpu = cpuNow();
  const started = performance.now();
  for (let r = 0; r < repeat; r++) for (const doc of docs) await rawRead(doc);
  return { docs: docs.length * repeat, ms: performance.now() - started, cpuMs: cpuNow() - cpu };
}

async function timePool(parser: ReturnType<typeof createDocumentParser>, docs: Doc[], repeat: number): Promise<Figures> {
  const batch = Array.from({ length: repeat }, () => docs).flat();
  const cpu = cpuNow();
  const started = performance.now();
  const records = (await Promise.all(batch.map((d) => parser.parse(d.name, d.bytes)))).flat();
  const ms = performance.now() - started;
  const cpuMs = cpuNow() - cpu;
  const failed = records.filter((r) => r.error);
  if (failed.length > 0) throw new Error(`bench documents failed: ${failed.map((r) => `${r.file}: ${r.error?.code}`).join(', ')}`);
  return { docs: batch.length, ms, cpuMs };
}

async function main(): Promise<void> {
  const rounds = argValue('--rounds', 2);
  const repeat = argValue('--repeat', 3);
  let files = walk(FIXTURES);
  const source = files.length > 0 ? 'fixtures/documents' : '../shared/corpus';
  if (files.length === 0) files = walk(path.join(CORPUS, 'mammoth')).concat(walk(path.join(CORPUS, 'pdf-parse')));
  const candidates: Doc[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const family = familyOf(bytes, file);
    if (family) candidates.push({ name: path.basename(file), family, bytes });
  }
  // Keep what the raw libraries can read and find text in: no scans, no broken files.
  const docs: Doc[] = [];
  for (const doc of candidates) if ((await rawRead(doc).catch(() => 0)) > 0) docs.push(doc);
  const families: Family[] = ['docx', 'doc', 'pdf'];
  const concurrency = os.availableParallelism();
  const parser = createDocumentParser({ concurrency });
  const startup = performance.now();
  await timePool(parser, docs.slice(0, concurrency), 1); // start the workers, load the readers
  const startupMs = performance.now() - startup;

  const best = (a: Figures | undefined, b: Figures): Figures => (a && perSecond(a) >= perSecond(b) ? a : b);
  const pool: Partial<Record<Family | 'all', Figures>> = {};
  const raw: Partial<Record<Family | 'all', Figures>> = {};
  for (let round = 0; round < rounds; round++) {
    // Alternate the two so that load from elsewhere on the machine hits both alike.
    for (const family of families) {
      const subset = docs.filter((d) => d.family === family);
      if (subset.length === 0) continue;
      raw[family] = best(raw[family], await timeRaw(subset, repeat));
      pool[family] = best(pool[family], await timePool(parser, subset, repeat));
    }
    raw.all = best(raw.all, await timeRaw(docs, repeat));
    pool.all = best(pool.all, await timePool(parser, docs, repeat));
  }
  const workerRss = [...children().values()].map(([, rss]) => rss);
  await parser.close();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const workersRssMb = workerRss.reduce((a, b) => a + b, 0);

  const rows = ([...families, 'all'] as const).flatMap((family) => {
    const p = pool[family];
    const r = raw[family];
    if (!p || !r) return [];
    const count = family === 'all' ? docs.length : docs.filter((d) => d.family === family).length;
    return [
      {
        format: family,
        files: count,
        docsPerBatch: p.docs,
        shenbaoDocsPerSec: perSecond(p),
        shenbaoMsPerDoc: p.ms / p.docs,
        shenbaoCpuMsPerDoc: p.cpuMs / p.docs,
        rawDocsPerSec: perSecond(r),
        rawMsPerDoc: r.ms / r.docs,
        rawCpuMsPerDoc: r.cpuMs / r.docs,
        ratio: perSecond(p) / perSecond(r),
      },
    ];
  });
  const summary = { source, concurrency, rounds, repeat, loadAverage: os.loadavg()[0], poolStartupMs: startupMs, peakRssMb: rssMb, workersPeakRssMb: workerRss, rows };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const f = (n: number, d = 1): string => n.toFixed(d).padStart(8);
  process.stdout.write(`shenbao parse benchmark over ${source}: ${docs.length} documents, each ${repeat}× per batch, best of ${rounds} rounds\n`);
  process.stdout.write(`workers: ${concurrency}; pool start-up (first documents, readers loading): ${startupMs.toFixed(0)} ms; load average: ${os.loadavg()[0]?.toFixed(2)}\n\n`);
  process.stdout.write('format  files |  shenbao docs/s   ms/doc  CPU ms/doc |  raw 1-thread docs/s   ms/doc  CPU ms/doc |  ratio\n');
  for (const r of rows) {
    process.stdout.write(
      `${r.format.padEnd(6)} ${String(r.files).padStart(6)} | ${f(r.shenbaoDocsPerSec)} ${f(r.shenbaoMsPerDoc)} ${f(r.shenbaoCpuMsPerDoc)}   | ${f(r.rawDocsPerSec)}            ${f(r.rawMsPerDoc)} ${f(r.rawCpuMsPerDoc)}   | ${f(r.ratio, 2)}\n`,
    );
  }
  process.stdout.write(`\nratio = shenbao docs/s ÷ raw docs/s (goal ≥ 0.8). CPU ms/doc counts this process and the worker processes.\n`);
  process.stdout.write(`peak RSS: this process ${rssMb.toFixed(0)} MB (raw libraries included); workers ${workerRss.map((m) => `${m.toFixed(0)} MB`).join(', ')} (total ${workersRssMb.toFixed(0)} MB)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
