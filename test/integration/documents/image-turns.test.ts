/**
 * Image programs (pdftoppm, ImageMagick, tesseract) take turns over the whole document pool
 * (src/documents/readers/ocr `run`, the pool's ocrConcurrency): with one turn, two document
 * processes reading scans and photos at once never have two of them running together, so
 * their memory (45-70 MB each) never adds up (issue 10 §3). The process table is sampled
 * every 5 ms while four scans are read on two processes (each in the 'all' stage: OCR and seal).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDocumentParser } from '../../../src/documents';
import { treePids } from '../../../scripts/proc-tree';
import { assertBuilt } from './run-parse';

const ROOT = path.resolve(__dirname, '../../..');
const SCANS = ['other/core-stamped-scan.jpg', 'other/软著证书-扫描件.pdf', 'seals/登记表扫描件-有章.jpg', 'seals/用户使用报告扫描件-无章.pdf'].map((f) => ({
  name: path.basename(f),
  bytes: fs.readFileSync(path.join(ROOT, 'fixtures/documents', f)),
}));
const IMAGE_PROGRAMS = new Set(['pdftoppm', 'convert', 'tesseract']);

function imagePrograms(pid: number): string[] {
  return treePids(pid).flatMap((p) => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // A process exiting has given back its memory (no command line left, or a zombie: Z);
      // `tesseract --list-langs` (is OCR installed?) runs once per process, outside the turns.
      const cmdline = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      const exited = cmdline === '' || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
      return IMAGE_PROGRAMS.has(name) && !exited && !cmdline.includes('--list-langs') ? [name] : [];
    } catch {
      return [];
    }
  });
}

async function mostAtOnce(ocrConcurrency: number): Promise<{ most: number; seen: Set<string>; kinds: string[] }> {
  const parser = createDocumentParser({ concurrency: 2, ocrConcurrency });
  let most = 0;
  const seen = new Set<string>();
  const sampler = setInterval(() => {
    const now = imagePrograms(process.pid);
    for (const n of now) seen.add(n);
    most = Math.max(most, now.length);
  }, 5);
  try {
    const records = await Promise.all(SCANS.map((s) => parser.parse(s.name, s.bytes)));
    return { most, seen, kinds: records.map((r) => r[0]?.kind ?? '?') };
  } finally {
    clearInterval(sampler);
    await parser.close();
  }
}

beforeAll(() => assertBuilt());

test('one turn: never two image programs at once, and every scan is still read', async () => {
  const one = await mostAtOnce(1);
  expect([...one.seen].sort()).toEqual(['convert', 'pdftoppm', 'tesseract']);
  expect(one.most).toBe(1);
  expect(one.kinds).toEqual(['registrationForm', 'copyrightProof', 'registrationForm', 'userReport']);
}, 120_000);

test('two turns: the sampler does see two at once (it can tell)', async () => {
  const two = await mostAtOnce(2);
  expect(two.most).toBe(2);
}, 120_000);
