/** Word 97–2003 (.doc) and WPS (.wps) files: OLE compound files read by word-extractor. */
import WordExtractor from 'word-extractor';
import type { DocumentContent } from '../../domain/content';
import { contentFromLines } from '../content';
import { asFailure, encrypted, unreadable, unsupported } from '../failure';
import { inspectOle } from './cfb';

function whatElse(streams: string[]): string {
  if (streams.includes('Workbook') || streams.includes('Book')) return 'Excel 97-2003 workbook (.xls)';
  if (streams.includes('PowerPoint Document')) return 'PowerPoint 97-2003 presentation (.ppt)';
  if (streams.some((s) => s.startsWith('__substg1.0_'))) return 'Outlook message (.msg)';
  return 'OLE file that is not a Word document';
}

/** word-extractor marks table cells with \x07 and fields with \x13..\x15; keep cells as tabs. */
function clean(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code === 0x07) out += '\t';
    else if (code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) out += ch;
  }
  return out;
}

export async function readOle(bytes: Buffer, fileName: string): Promise<DocumentContent> {
  let info: ReturnType<typeof inspectOle>;
  try {
    info = inspectOle(bytes);
  } catch (err) {
    throw asFailure(err, (d) => unreadable(`damaged OLE container (${d})`));
  }
  if (info.kind === 'encryptedPackage' || info.kind === 'encryptedWord') throw encrypted();
  // Old WPS files may lack a WordDocument stream yet still be Word-compatible: let word-extractor try.
  if (info.kind === 'other' && !/\.wps$/i.test(fileName)) throw unsupported(whatElse(info.streams));
  let doc: WordExtractor.Document;
  try {
    doc = await new WordExtractor().extract(bytes);
  } catch (err) {
    if (info.kind === 'other') throw unsupported('WPS file in an old format; please save it as .docx');
    throw asFailure(err);
  }
  const parts = [doc.getBody(), doc.getTextboxes({ includeHeadersAndFooters: false, includeBody: true })];
  return contentFromLines(clean(parts.join('\n')).split('\n'));
}
