/**
 * `shenbao parse` over other projects' test files (mammoth's .docx/.zip, pdf-parse's PDFs,
 * read in place from ../shared/corpus): every file gives a record, readable or with a coded
 * error; nothing crashes or hangs. Needs the built dist/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENT_ERROR_CODES } from '../../src/domain/document';
import { byFile, runParse, type ParseRun } from './documents/run-parse';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
const FOLDERS = ['mammoth', 'pdf-parse'].map((f) => path.join(CORPUS, f));

if (!fs.existsSync(CORPUS)) {
  test('corpus folder is absent: nothing to read', () => {
    console.warn(`corpus test: ${CORPUS} is absent; skipped`);
    expect(fs.existsSync(CORPUS)).toBe(false);
  });
} else {
  const files = FOLDERS.flatMap((dir) => fs.readdirSync(dir).filter((n) => n !== 'LICENSE').map((n) => path.join(dir, n)));
  let run: ParseRun;

  beforeAll(async () => {
    run = await runParse(['--compact', '--text', '--timeout', '60000', ...files], 600_000);
  }, 610_000);

  describe('shenbao parse over the shared corpus', () => {
    it('exits 0 with a record for every file (archives: one per member)', () => {
      expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr.slice(-2000) }).toEqual({ status: 0, stderr: '' });
      const names = new Set(run.records.map((r) => r.file.split('/')[0]));
      expect([...names].sort()).toEqual(files.map((f) => path.basename(f)).sort());
    });

    it('gives every record a known format, a sha256 and either text or a coded error', () => {
      for (const r of run.records) {
        expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
        if (r.error) expect(DOCUMENT_ERROR_CODES).toContain(r.error.code);
        if (r.error) expect(r.error.messageZh.length).toBeGreaterThan(0);
      }
      // Nothing in this corpus is so slow that it should need the time limit.
      expect(run.records.filter((r) => r.error?.code === 'TIMEOUT').map((r) => r.file)).toEqual([]);
    });

    it('reports the encrypted and the invalid PDF with their codes', () => {
      const records = byFile(run.records);
      expect(records.get('password-123456.pdf')?.error?.code).toBe('ENCRYPTED');
      expect(records.get('invalid.pdf')?.error?.code).toBe('UNREADABLE');
      expect(records.get('empty.zip')).toMatchObject({ format: 'zip', error: { code: 'UNREADABLE' } });
    });

    it('reads Japanese text from jpn.pdf (CMaps configured)', () => {
      const jpn = byFile(run.records).get('jpn.pdf');
      expect(jpn).toMatchObject({ format: 'pdf', textLayer: true, error: null });
      expect(jpn?.text ?? '').toMatch(/[\u3040-\u30ff\u4e00-\u9fff]{4}/);
    });

    it('reads docx tables and a zip member', () => {
      const records = byFile(run.records);
      expect(records.get('tables.docx')).toMatchObject({ format: 'docx', textLayer: true, error: null });
      expect(records.get('tables.docx')?.text).toContain('\t');
      expect(records.get('hello.zip/hello')).toMatchObject({ format: 'text', error: null, text: 'Hello world' });
    });
  });
}
