/**
 * PDF text via pdf-parse 2 (pdf.js). The CMaps must be passed, or Chinese text set in
 * non-embedded fonts (STSong-Light, UniGB-UCS2-H) comes out empty without any error.
 * A PDF whose pages carry no text at all is a scan: textLayer false.
 */
import * as path from 'node:path';
import { PDFParse } from 'pdf-parse';
import type { DocumentContent } from '../../domain/content';
import { contentFromLines, hasText } from '../content';
import { assembleLines, type TextItem } from './pdf-lines';
import { asFailure, encrypted, unreadable } from '../failure';

const PDFJS_DIR = path.dirname(require.resolve('pdfjs-dist/package.json'));
const CMAP_URL = path.join(PDFJS_DIR, 'cmaps') + '/';
const STANDARD_FONT_URL = path.join(PDFJS_DIR, 'standard_fonts') + '/';

/** Forms are a few pages; a 500-page annual report needs no more than its start read. */
export const MAX_PDF_PAGES = 30;

export interface PdfText {
  content: DocumentContent;
  textLayer: boolean;
  pages: number;
}

function failureOf(err: unknown): Error {
  const name = err instanceof Error ? err.name : '';
  if (name === 'PasswordException') return encrypted();
  if (name === 'InvalidPDFException') return unreadable('invalid PDF structure');
  return asFailure(err);
}

/** The parts of pdf.js's document and page that the line assembly needs. */
interface PdfPage {
  getTextContent(): Promise<{ items: TextItem[] }>;
  cleanup(): void;
}
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPage>;
}

export async function readPdf(bytes: Buffer): Promise<PdfText> {
  // pdf.js may detach the array it is given: hand it a copy, the caller still hashes the bytes.
  const parser = new PDFParse({
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONT_URL,
    isEvalSupported: false,
    stopAtErrors: false,
  });
  try {
    // pdf-parse 2.4 keeps its pdf.js document behind load(); positions need the pages themselves.
    const doc = await (parser as unknown as { load(): Promise<PdfDocument> }).load();
    const lines: string[] = [];
    for (let n = 1; n <= Math.min(doc.numPages, MAX_PDF_PAGES); n++) {
      const page = await doc.getPage(n);
      lines.push(...assembleLines((await page.getTextContent()).items));
      page.cleanup();
    }
    const content = contentFromLines(lines);
    return { content, textLayer: hasText(content), pages: doc.numPages };
  } catch (err) {
    throw failureOf(err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}
