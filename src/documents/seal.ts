/**
 * cross-checks.md §5: `seal` of a scan's record. Renders the scan small as raw RGB — a PDF's
 * first and last page through pdftoppm, an image through ImageMagick under the shipped policy
 * (config/imagemagick/policy.xml, the coder named from the sniffed bytes) — and asks the pure
 * detector (seal-detect.ts). Runs in the document worker process, through pipes, nothing on disk.
 * Null when the page could not be rendered in time: not looked at, so no warning follows.
 */
import { detectSeal, parsePpm, type RgbImage } from './seal-detect';
import { magickCoder, magickPpm, run } from './readers/ocr';

/** Long side of the render: an A4 page at ~72 dpi, where a 40 mm seal is ~115 px across and its ring ~3 px thick. */
const RENDER_PX = 800;
const MAX_PPM_BYTES = 3 * RENDER_PX * RENDER_PX * 3;

function pages(ppm: Buffer | null): RgbImage[] | null {
  if (!ppm) return null;
  try {
    return parsePpm(ppm);
  } catch {
    return null;
  }
}

/** Page numbers to look at: the form's seal is on page 1, a user report's at its end. */
function pagesToLook(pageCount: number): number[] {
  return pageCount > 1 ? [1, pageCount] : [1];
}

export async function pdfSeal(pdf: Buffer, pageCount: number, timeoutMs: number): Promise<boolean | null> {
  const started = Date.now();
  let looked = false;
  for (const n of pagesToLook(Math.max(1, pageCount))) {
    const left = timeoutMs - (Date.now() - started);
    const ppm = await run('pdftoppm', ['-scale-to', String(RENDER_PX), '-f', String(n), '-l', String(n), '-'], pdf, left, MAX_PPM_BYTES);
    const rendered = pages(ppm);
    if (!rendered) continue;
    looked = true;
    if (rendered.some((p) => detectSeal(p).seal)) return true;
  }
  return looked ? false : null;
}

export async function imageSeal(image: Buffer, timeoutMs: number): Promise<boolean | null> {
  const coder = magickCoder(image);
  if (coder === null) return null;
  const ppm = await magickPpm(coder, ['-auto-orient', '-resize', `${RENDER_PX}x${RENDER_PX}>`], image, Math.min(timeoutMs, 5000));
  // A GIF or a multi-page TIFF gives one PPM per frame.
  const rendered = pages(ppm);
  if (!rendered || rendered.length === 0) return null;
  return rendered.some((p) => detectSeal(p).seal);
}
