/**
 * One file in, what it yields out: a record, or for an archive its members (to be read
 * in turn, each on its own) and coded records for the members that cannot be opened.
 * Routing is by content; the name only labels the record and breaks ties.
 */
import type { DocumentRecord } from '../domain/document';
import { classifyDocument, titleNamesForm } from '../forms';
import { hasText } from './content';
import { isGarbled } from './garbled';
import { DocumentFailure, unreadable, unsupported } from './failure';
import { buildRecord, sha256, type ReadDocument } from './record';
import type { ReadStage } from './stage';
import { formatFromName, formatOf, sniff } from './sniff';
import { DOCX_LIMITS, readDocx } from './readers/docx';
import { readHtml, readMht } from './readers/html';
import { ocrPdf, ocrPdfWholePage, ocrPhoto, ocrPhotoWhole } from './readers/ocr';
import { imageSeal, pdfSeal } from './seal';
import { readOle } from './readers/ole';
import { readPdf } from './readers/pdf';
import { readRtf } from './readers/rtf';
import { readText } from './readers/text';
import { expandArchive } from './archive';
import { checkLimits, openZip } from './readers/zip';

export interface ArchiveMember {
  file: string;
  bytes: Buffer;
  /** 1 for a member of the outer archive, 2 for a member of a zip inside it */
  depth: number;
}

export type ReadItem = { record: DocumentRecord } | { member: ArchiveMember };

export interface ReadOptions {
  /** 0 for a file as sent; archive members are deeper */
  depth: number;
  /** epoch ms by which the reading must be done: OCR gets what is left */
  deadline: number;
  /** put the text the reader saw into the record (`text`) */
  includeText?: boolean;
  /** src/documents/stage.ts; default 'all' */
  stage?: ReadStage;
  /** 'deep': sha256 of the scans whose seal to look for */
  scans?: ReadonlySet<string>;
  /** 'deep': sha256 of the scanned certificates whose whole first page to read */
  pages?: ReadonlySet<string>;
}

/**
 * What to read of a scan in this stage (src/documents/stage.ts), decided once per file: the top
 * part's OCR (what it is), the seal, and the whole first page — in 'all' when the top part makes
 * it a certificate, in 'deep' when asked; a scan's other kinds need only the top.
 */
interface ScanPlan {
  top: boolean;
  seal: boolean;
  wholePage: 'no' | 'yes' | 'if-certificate';
}

function scanPlan(opts: ReadOptions, digest: string | null): ScanPlan {
  switch (opts.stage ?? 'all') {
    case 'receipt': return { top: true, seal: false, wholePage: 'no' };
    case 'deep': return { top: false, seal: digest !== null && opts.scans?.has(digest) === true, wholePage: digest !== null && opts.pages?.has(digest) === true ? 'yes' : 'no' };
    default: return { top: true, seal: true, wholePage: 'if-certificate' };
  }
}

/** A scan's OCR (top part, then the whole page when the plan says so) beside its seal; each program waits for its turn. */
async function readScan(
  doc: ReadDocument, plan: ScanPlan,
  read: { top: () => Promise<string | null>; whole: () => Promise<string | null>; seal: () => Promise<boolean | null> },
): Promise<void> {
  const [ocr, seal] = await Promise.all([
    (async () => {
      const top = plan.top ? nonBlank(await read.top()) : null;
      const certificate = plan.wholePage === 'if-certificate' && top !== null && classifyDocument(doc.file, top, { ocr: true }) === 'copyrightProof';
      return { top, whole: plan.wholePage === 'yes' || certificate ? nonBlank(await read.whole()) : null };
    })(),
    plan.seal ? read.seal() : undefined,
  ]);
  doc.ocrText = ocr.top;
  if (ocr.whole !== null) doc.wholePageText = ocr.whole;
  if (seal !== undefined) doc.seal = seal;
}

/** OCR may use the time left, less a margin to build the record before the pool's limit. */
function ocrBudget(opts: ReadOptions): number {
  return opts.deadline - Date.now() - 1500;
}

async function readFile(file: string, bytes: Buffer, opts: ReadOptions, plan: ScanPlan): Promise<ReadDocument | ArchiveMember[] | ReadItem[]> {
  const sniffed = sniff(bytes);
  const doc: ReadDocument = { file, format: formatOf(sniffed, file), content: null, textLayer: true, ocrText: null, error: null };
  if (bytes.length === 0) throw unreadable('the file is empty').as(formatFromName(file));
  switch (sniffed) {
    case 'pk': {
      const zip = await openZip(bytes, Math.max(DOCX_LIMITS.maxEntries, 5000), 'zip container');
      const names = new Set(zip.entries.map((e) => e.name));
      if (names.has('word/document.xml')) {
        // The deep stage looks at scans only: a Word file is done with at the receipt.
        if (opts.stage === 'deep') {
          zip.zip.close();
          return [];
        }
        doc.format = formatOf('pk', file) === 'wps' ? 'wps' : 'docx';
        checkLimits(zip.entries, DOCX_LIMITS, 'Word document');
        zip.zip.close();
        doc.content = await readDocx(zip.bytes);
        return doc;
      }
      zip.zip.close();
      if (names.has('[Content_Types].xml')) throw unsupported('Excel/PowerPoint (xlsx/pptx)').as('other');
      if (names.has('OFD.xml')) throw unsupported('OFD').as('other');
      if (names.has('mimetype') && names.has('content.xml')) throw unsupported('OpenDocument (odt/ods)').as('other');
      return expandArchive(file, bytes, opts.depth);
    }
    case 'ole':
      doc.content = await readOle(bytes, file);
      return doc;
    case 'pdf': {
      const pdf = await readPdf(bytes);
      doc.content = pdf.content;
      // A text layer of mojibake (fonts without a Unicode map) is no text layer: read it as a scan.
      doc.textLayer = pdf.textLayer && !isGarbled(pdf.content.text);
      if (!doc.textLayer) {
        doc.content = null;
        await readScan(doc, plan, {
          top: () => ocrPdf(bytes, ocrBudget(opts), titleNamesForm),
          whole: () => ocrPdfWholePage(bytes, ocrBudget(opts)),
          seal: () => pdfSeal(bytes, pdf.pages, ocrBudget(opts)),
        });
      }
      return doc;
    }
    case 'image': {
      doc.textLayer = false;
      await readScan(doc, plan, {
        top: () => ocrPhoto(bytes, ocrBudget(opts)),
        whole: () => ocrPhotoWhole(bytes, ocrBudget(opts)),
        seal: () => imageSeal(bytes, ocrBudget(opts)),
      });
      return doc;
    }
    case 'rtf':
      doc.content = readRtf(bytes);
      return doc;
    case 'html':
      doc.content = readHtml(bytes);
      return doc;
    case 'mht':
      doc.content = readMht(bytes);
      return doc;
    case 'text':
      doc.content = readText(bytes);
      return doc;
    case 'rar':
    case '7z':
      return expandArchive(file, bytes, opts.depth);
    case 'unknown': {
      // Named as a format we read but unrecognisable inside: damaged. Anything else: not ours.
      const format = formatFromName(file);
      if (format !== 'other' && format !== 'text') throw unreadable(`the content is not a valid ${format} file`).as(format);
      throw unsupported(`unknown content${/\.[^./]+$/.test(file) ? ` (${file.slice(file.lastIndexOf('.'))})` : ''}`);
    }
  }
}

function nonBlank(s: string | null): string | null {
  return s !== null && s.trim() !== '' ? s : null;
}

/** Reads one file (a top-level attachment or an archive member) without any isolation. */
export async function readItems(file: string, bytes: Buffer, opts: ReadOptions): Promise<ReadItem[]> {
  // The deep stage reads the scans it was asked about, and opens archives to reach them.
  const plan = scanPlan(opts, opts.stage === 'deep' ? sha256(bytes) : null);
  if (opts.stage === 'deep' && !plan.seal && plan.wholePage === 'no' && !['pk', 'rar', '7z'].includes(sniff(bytes))) return [];
  let result: ReadDocument | ArchiveMember[] | ReadItem[];
  try {
    result = await readFile(file, bytes, opts, plan);
  } catch (err) {
    if (!(err instanceof DocumentFailure)) throw err;
    const format = err.format ?? formatOf(sniff(bytes), file);
    const doc: ReadDocument = { file, format, content: null, textLayer: false, ocrText: null, error: err.toError() };
    return [{ record: buildRecord(doc, bytes, opts.includeText) }];
  }
  if (Array.isArray(result)) return result.map((x) => ('file' in x ? { member: x } : x));
  if (result.content && !hasText(result.content) && result.textLayer && result.format !== 'pdf') {
    // A Word file with no text at all (only pictures: a scan pasted into Word) counts as a scan.
    result.textLayer = false;
  }
  return [{ record: buildRecord(result, bytes, opts.includeText) }];
}
