/**
 * .docx via mammoth.convertToHtml (extractRawText loses check boxes), after a look at
 * the zip's central directory: mammoth inflates everything in memory without limits,
 * so a docx bomb must be refused before it gets there.
 */
import mammoth from 'mammoth';
import type { DocumentContent } from '../../domain/content';
import { asFailure } from '../failure';
import { htmlToContent } from '../html-content';
import type { ZipLimits } from './zip';

export const DOCX_LIMITS: ZipLimits = {
  maxEntries: 2000,
  maxTotalBytes: 150 * 1024 * 1024,
  maxEntryBytes: 100 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 8 * 1024 * 1024,
};

/** Pictures are irrelevant to the text and would be inlined as base64: drop them. */
const noImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

export async function readDocx(bytes: Buffer): Promise<DocumentContent> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: bytes }, { convertImage: noImages, externalFileAccess: false });
    html = result.value;
  } catch (err) {
    throw asFailure(err);
  }
  return htmlToContent(html);
}
