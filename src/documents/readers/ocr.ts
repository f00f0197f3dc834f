/**
 * OCR for scans and photos: the top part to recognise what a document is (a stamped 登记表
 * scan), before the receipt; a scanned certificate's whole first page after it, for its fields
 * lower on the page (cross-checks.md §1, §6). OCR text never fills a form. Uses the `tesseract` command with `chi_sim`
 * when installed (checked once per process) and `pdftoppm` to render a PDF's first
 * page. Everything goes through pipes: nothing is written to disk.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { runChild } from '../child';

let available: Promise<boolean> | undefined;

/** Waits for a turn to run an image program; resolves the function that gives it back. */
export type OcrGate = () => Promise<() => void>;
let gate: OcrGate = () => Promise.resolve(() => undefined);

/** The pool worker's gate (src/documents/worker.ts): the pool bounds the image programs running at once. */
export function setOcrGate(g: OcrGate): void {
  gate = g;
}

/**
 * One image program (pdftoppm, ImageMagick, tesseract) in its turn: over the whole pool only
 * `ocrConcurrency` run at once, so ImageMagick's 45 MB and tesseract's 70 MB are never on top
 * of each other (issue 10 §3's peak RSS); the time spent waiting counts against `timeoutMs`.
 */
export async function run(cmd: string, args: string[], input: Buffer | null, timeoutMs: number, maxBytes: number, env: string[] = []): Promise<Buffer | null> {
  if (timeoutMs <= 0) return null;
  const asked = Date.now();
  const release = await gate();
  try {
    const left = timeoutMs - (Date.now() - asked);
    if (left <= 0) return null;
    // `env VAR=… cmd` keeps the inherited environment and stops tesseract's OpenMP from taking every core.
    const r = await runChild('env', ['OMP_THREAD_LIMIT=1', ...env, cmd, ...args], input, { timeoutMs: left, maxStdout: maxBytes });
    return r.code === 0 ? r.stdout : null;
  } finally {
    release();
  }
}

/** tesseract with the Simplified Chinese model present on this machine? */
export function ocrAvailable(): Promise<boolean> {
  available ??= new Promise((resolve) => {
    // Outside the turns: a 20 ms listing, and a turn's wait must not make it time out for good.
    execFile('tesseract', ['--list-langs'], { timeout: 5000 }, (err, stdout, stderr) => {
      resolve(!err && /^chi_sim$/m.test(`${stdout}\n${stderr}`));
    });
  });
  return available;
}

/** The folder holding package.json (from src/ under ts-jest and from dist/src/ alike). */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** config/imagemagick/policy.xml: only the raster coders a scan comes in, no delegates, small limits. */
export const MAGICK_POLICY_DIR = path.join(packageRoot(), 'config', 'imagemagick');

/**
 * The coder ImageMagick must use, named from the bytes we already sniffed: never left to its
 * own detection (which would follow an SVG, MVG or MSL file wherever it points).
 */
export function magickCoder(image: Uint8Array): string | null {
  const b = image;
  if (b[0] === 0xff && b[1] === 0xd8) return 'jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return 'gif';
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a)) return 'tiff';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

/**
 * PNG written without compression: it only crosses a pipe to tesseract, and zlib was most of
 * convert's time (stamped-scan photo fixture: 1.5 s → 0.9 s on a loaded machine; the same pixels and
 * the same pHYs density, so tesseract reads the same text).
 */
const PNG_STORED = ['-define', 'png:compression-level=0', '-define', 'png:compression-filter=0', '-define', 'png:compression-strategy=0'];

/** ImageMagick under the shipped policy, reading stdin as `coder`, writing (uncompressed) PNG to stdout. */
export function magick(coder: string, args: string[], image: Buffer, timeoutMs: number): Promise<Buffer | null> {
  return run('convert', [`${coder}:-`, ...args, ...PNG_STORED, 'png:-'], image, timeoutMs, 64 * 1024 * 1024, [`MAGICK_CONFIGURE_PATH=${MAGICK_POLICY_DIR}`]);
}

/** ImageMagick under the shipped policy, reading stdin as `coder`, writing binary PPM (raw RGB for the seal detector) to stdout. */
export function magickPpm(coder: string, args: string[], image: Buffer, timeoutMs: number): Promise<Buffer | null> {
  return run('convert', [`${coder}:-`, ...args, '-depth', '8', 'ppm:-'], image, timeoutMs, 64 * 1024 * 1024, [`MAGICK_CONFIGURE_PATH=${MAGICK_POLICY_DIR}`]);
}

/**
 * The upper half of a photo or scan, upright and at most 1400 px wide, via ImageMagick
 * when present (a phone photo is 4000 px; OCR time grows with the area, and the title that
 * tells what a document is sits at the top; measured on the stamped-scan fixture, 1100 px:
 * tesseract 3.9 s on the whole page, 2.5 s on the cropped half, same title read). Null: use
 * as is. Formats we cannot name are not handed to ImageMagick at all.
 */
function upperPart(image: Buffer, timeoutMs: number): Promise<Buffer | null> {
  const coder = magickCoder(image);
  if (coder === null) return Promise.resolve(null);
  return magick(coder, ['-auto-orient', '-resize', '1400x1400>', '-gravity', 'North', '-crop', '100%x50%+0+0', '+repage'], image, Math.min(timeoutMs, 5000));
}

/** OCR of a photo or scan (its upper part when ImageMagick can cut it). */
export async function ocrPhoto(image: Buffer, timeoutMs: number): Promise<string | null> {
  if (!(await ocrAvailable())) return null;
  const started = Date.now();
  const upper = await upperPart(image, timeoutMs);
  return ocrImage(upper ?? image, timeoutMs - (Date.now() - started));
}

/** The whole photo, upright and at most 1400 px wide (ImageMagick; null: as is). */
function wholePhoto(image: Buffer, timeoutMs: number): Promise<Buffer | null> {
  const coder = magickCoder(image);
  if (coder === null) return Promise.resolve(null);
  return magick(coder, ['-auto-orient', '-resize', '1400x1400>', '+repage'], image, Math.min(timeoutMs, 5000));
}

/** OCR of a whole photo (a photographed certificate, after the receipt). */
export async function ocrPhotoWhole(image: Buffer, timeoutMs: number): Promise<string | null> {
  if (!(await ocrAvailable())) return null;
  const started = Date.now();
  const whole = await wholePhoto(image, timeoutMs);
  return ocrImage(whole ?? image, timeoutMs - (Date.now() - started));
}

/**
 * `dpi`: the resolution of an image that carries none (a PPM): tesseract scales its layout
 * analysis by it, and guesses otherwise (a different reading of the same pixels).
 */
export async function ocrImage(image: Buffer, timeoutMs: number, dpi?: number): Promise<string | null> {
  if (!(await ocrAvailable())) return null;
  // chi_sim alone reads the Latin letters of a title too, at two thirds of chi_sim+eng's time.
  const args = ['stdin', 'stdout', '-l', 'chi_sim', '--psm', '3', ...(dpi ? ['--dpi', String(dpi)] : [])];
  const out = await run('tesseract', args, image, timeoutMs, 4 * 1024 * 1024);
  return out ? out.toString('utf8') : null;
}

/** The resolution of the first page's render for OCR. */
const PDF_OCR_DPI = 100;

/** Rows of the render read first: the top 14 % of an A4 page at 100 dpi, where a title stands. */
const TITLE_STRIP_ROWS = 160;

/**
 * The upper 45 % of page 1 of a PDF (A4) as a PPM at 100 dpi: the title that tells what a
 * document is sits there, and OCR time grows with the area (measured on the stamped-scan
 * fixture: 150 dpi and 63 % of the page 2.2 s of tesseract, this 0.9 s, same title read).
 * PPM, not PNG: pdftoppm's PNG encoding took 1.1 s of its 1.3 s (loaded machine; PPM 0.3 s);
 * tesseract reads the same text from it once told the resolution (`--dpi`, which PNG carried).
 */
export async function renderFirstPage(pdf: Buffer, timeoutMs: number): Promise<Buffer | null> {
  return run('pdftoppm', ['-r', String(PDF_OCR_DPI), '-f', '1', '-l', '1', '-x', '0', '-y', '0', '-W', '1600', '-H', '520', '-'], pdf, timeoutMs, 64 * 1024 * 1024);
}

/** The whole of page 1 at the same 100 dpi (A4: 827 × 1169 px). */
function renderWholeFirstPage(pdf: Buffer, timeoutMs: number): Promise<Buffer | null> {
  return run('pdftoppm', ['-r', String(PDF_OCR_DPI), '-f', '1', '-l', '1', '-'], pdf, timeoutMs, 64 * 1024 * 1024);
}

/** OCR of page 1 whole: a scanned certificate's date at its foot is below the top part read before the receipt. */
export async function ocrPdfWholePage(pdf: Buffer, timeoutMs: number): Promise<string | null> {
  if (!(await ocrAvailable())) return null;
  const started = Date.now();
  const ppm = await renderWholeFirstPage(pdf, timeoutMs);
  if (!ppm) return null;
  return ocrImage(ppm, timeoutMs - (Date.now() - started), PDF_OCR_DPI);
}

/**
 * The first `rows` rows of a binary PPM (P6, 8 bit, as pdftoppm writes it), or null when the
 * bytes are not one. A header comment (`#`) is not expected from pdftoppm and not accepted.
 */
export function ppmTopRows(ppm: Buffer, rows: number): Buffer | null {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'));
  if (!header) return null;
  const width = Number(header[1]);
  const height = Number(header[2]);
  const start = header[0].length;
  if (ppm.length < start + width * height * 3) return null;
  if (rows >= height) return ppm;
  return Buffer.concat([Buffer.from(`P6\n${width} ${rows}\n255\n`, 'latin1'), ppm.subarray(start, start + width * rows * 3)]);
}

/**
 * OCR of page 1's top part. `titleSuffices`: the title strip's text alone is enough (a stamped
 * scan of the form, whose OCR text only says what it is); then the larger part is not read
 * (stamped-scan fixture: 0.2 s of tesseract instead of 0.6 s). Otherwise (a certificate or a
 * report, whose text names its product, or no title read) the upper 45 % is read as before.
 */
export async function ocrPdf(pdf: Buffer, timeoutMs: number, titleSuffices?: (text: string) => boolean): Promise<string | null> {
  if (!(await ocrAvailable())) return null;
  const started = Date.now();
  const ppm = await renderFirstPage(pdf, timeoutMs);
  if (!ppm) return null;
  const strip = titleSuffices ? ppmTopRows(ppm, TITLE_STRIP_ROWS) : null;
  if (titleSuffices && strip && strip !== ppm) {
    const title = await ocrImage(strip, timeoutMs - (Date.now() - started), PDF_OCR_DPI);
    if (title !== null && titleSuffices(title)) return title;
  }
  return ocrImage(ppm, timeoutMs - (Date.now() - started), PDF_OCR_DPI);
}
