/** Plain text files (.txt, or text saved under another name): UTF-8/UTF-16 with BOM, UTF-8, else GB18030. */
import type { DocumentContent } from '../../domain/content';
import { contentFromLines } from '../content';
import { decodeText } from './html';

export function readText(bytes: Uint8Array): DocumentContent {
  return contentFromLines(decodeText(bytes).split(/\r\n|\n|\r|\f/));
}
