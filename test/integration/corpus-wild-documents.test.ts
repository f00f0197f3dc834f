/**
 * ../shared/corpus/wild/documents: real Chinese documents from other projects' test data (each
 * file's source in PROVENANCE.md there), read in place by `shenbao parse --text` (built dist/,
 * no servers) and compared with what a person reading them would say, written by hand in
 * corpus-wild-documents.expected.json: kind, format, text layer, error code, the form (none
 * of them is the 登记表), and words a person reads in each.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isGarbled } from '../../src/documents/garbled';

interface Expected {
  file: string;
  format: string;
  kind: string;
  textLayer: boolean;
  error: { code: string } | null;
  form: null;
  textIncludes?: string[];
}

interface ParsedRecord {
  file: string;
  format: string;
  kind: string;
  textLayer: boolean;
  error: { code: string } | null;
  form: unknown;
  ocr?: boolean;
  text?: string;
}

const ROOT = path.resolve(__dirname, '..', '..');
const WILD = path.resolve(ROOT, '..', 'shared', 'corpus', 'wild', 'documents');
const expected = (JSON.parse(fs.readFileSync(path.join(__dirname, 'corpus-wild-documents.expected.json'), 'utf8')) as { records: Expected[] }).records;

describe('wild documents (../shared/corpus/wild/documents) read as a person reads them', () => {
  let records = new Map<string, ParsedRecord>();

  beforeAll(() => {
    const files = fs.readdirSync(WILD).filter((f) => f !== 'PROVENANCE.md').map((f) => path.join(WILD, f));
    const run = spawnSync(process.execPath, ['bin/shenbao.js', 'parse', '--text', ...files], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60 * 1000 });
    expect(run.status).toBe(0);
    records = new Map((JSON.parse(run.stdout) as ParsedRecord[]).map((r) => [r.file, r]));
  }, 6 * 60 * 1000);

  test('one expectation for every file of the corpus, and one record for each expectation', () => {
    const files = fs.readdirSync(WILD).filter((f) => f !== 'PROVENANCE.md').sort();
    const covered = [...new Set(expected.map((e) => e.file.split('/')[0] as string))].sort();
    expect(covered).toEqual(files);
    expect([...records.keys()].sort()).toEqual(expected.map((e) => e.file).sort());
  });

  test.each(expected.map((e) => [e.file, e] as const))('%s', (file, e) => {
    const r = records.get(file);
    expect(r).toBeDefined();
    if (!r) return;
    expect({ format: r.format, kind: r.kind, textLayer: r.textLayer, error: r.error?.code ?? null, form: r.form })
      .toEqual({ format: e.format, kind: e.kind, textLayer: e.textLayer, error: e.error?.code ?? null, form: null });
    for (const words of e.textIncludes ?? []) expect(r.text ?? '').toContain(words);
    // What is read is language, never mojibake: a text layer of garbage is no text layer.
    if (r.textLayer) expect(isGarbled(r.text ?? '')).toBe(false);
  });
});
