/**
 * PDF text via pdf-parse 2 (pdf.js). The CMaps must be passed, or Chinese text set in
 * non-embedded fonts (STSong-Light, UniGB-UCS2-H) comes out empty without any error.
 * A PDF whose pages carry no text at all is a scan: textLayer false.
 */
import * as path from 'node:path';
import { PDFParse } from 'pdf-parse';
import type { Block, DocumentContent } from '../../domain/content';
import { contentFromBlocks, hasText, tidyLine } from '../content';
import { assembleLines } from './pdf-lines';
import { applyActualText, markedSpans, type MarkedItem } from './pdf-marked';
import { PdfObjects } from './pdf-objects';
import { restoreLineEndSpaces, showEndings } from './pdf-spaces';
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
  getTextContent(params: { includeMarkedContent: boolean }): Promise<{ items: MarkedItem[] }>;
  /** The page object's number in the file, for reading its content stream ourselves. */
  ref: { num: number; gen: number } | null;
  cleanup(): void;
}
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPage>;
}

/**
 * One paragraph per non-blank line, as contentFromLines, except that a line ending in one
 * space keeps it: restoreLineEndSpaces put it there because the PDF wrapped at a space,
 * and a value wrapped onto the next line must be joined with it (市场部 / 经理).
 */
function pdfContent(lines: string[]): DocumentContent {
  const blocks: Block[] = [];
  for (const raw of lines) {
    const line = tidyLine(raw.replace(/\r/g, ''));
    if (line.trim() !== '') blocks.push({ type: 'paragraph', text: /\S $/.test(raw) ? `${line} ` : line });
  }
  return contentFromBlocks(blocks);
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
    let objects: PdfObjects | undefined;
    for (let n = 1; n <= Math.min(doc.numPages, MAX_PDF_PAGES); n++) {
      const page = await doc.getPage(n);
      const { items } = await page.getTextContent({ includeMarkedContent: true });
      // The raw objects are indexed only for a page whose text pdf.js may have cut short:
      // marked content with properties, or more than one line.
      let spans = null;
      let endings = null;
      if (page.ref && items.some((i) => i.type === 'beginMarkedContentProps' || i.hasEOL === true)) {
        objects ??= new PdfObjects(bytes);
        const content = objects.pageContent(page.ref.num);
        if (content && items.some((i) => i.type === 'beginMarkedContentProps')) spans = markedSpans(content);
        endings = content ? showEndings(objects, page.ref.num, content) : null;
      }
      lines.push(...assembleLines(applyActualText(restoreLineEndSpaces(items, endings), spans)));
      page.cleanup();
    }
    const content = pdfContent(lines);
    return { content, textLayer: hasText(content), pages: doc.numPages };
  } catch (err) {
    throw failureOf(err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}
