/**
 * A scan is OCR'd title strip first (src/documents/readers/ocr): when the strip's title names a
 * form, the rest of the page is not read before the receipt. That must never change what a scan
 * is: every scanned PDF among the fixtures gets the kind the upper 45 % of its page gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { classifyDocument, titleNamesForm } from '../../../src/forms';
import { ocrAvailable, ocrPdf } from '../../../src/documents/readers/ocr';

const ROOT = path.resolve(__dirname, '../../..');
const SCANS: Array<[string, string]> = [
  ['seals/登记表扫描件-无章.pdf', 'registrationForm'],
  ['other/f01-two-products-stamped-scan.pdf', 'registrationForm'],
  ['other/core-stamped-scan.pdf', 'registrationForm'],
  ['other/登记表盖章扫描件.pdf', 'registrationForm'],
  ['other/软著证书-扫描件.pdf', 'copyrightProof'],
  ['seals/用户使用报告扫描件-无章.pdf', 'userReport'],
  ['other/用户使用报告-扫描件.pdf', 'userReport'],
];

beforeAll(async () => {
  // The test image installs tesseract with chi_sim (scripts/ensure-deps.sh): without it this proves nothing.
  expect(await ocrAvailable()).toBe(true);
});

test.each(SCANS)('%s: the same kind (%s) from its title strip first as from the upper part', async (name, kind) => {
  const bytes = fs.readFileSync(path.join(ROOT, 'fixtures/documents', name));
  const [titleFirst, upper] = [await ocrPdf(bytes, 20_000, titleNamesForm), await ocrPdf(bytes, 20_000)];
  expect(classifyDocument(name, titleFirst, { ocr: true })).toBe(kind);
  expect(classifyDocument(name, upper, { ocr: true })).toBe(kind);
  // A form stops at its title; a certificate or report is read as far as before (its product name).
  if (kind === 'registrationForm') {
    expect(titleFirst).not.toContain('企业名称');
    expect(upper).toContain('企业名称');
  } else {
    expect(titleFirst).toBe(upper);
  }
});
