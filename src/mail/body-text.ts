/**
 * The plain text of a message read again from the raw bytes, for when mailparser's text has
 * U+FFFD: a text part with no charset (or a wrong `utf-8` label) holding 8-bit GBK.
 */
import { parse as parseHtml } from 'node-html-parser';
import { decodeCharset, decodeUnlabelled } from './charset-recovery';
import { leafParts, type RawLeaf } from './raw-mime';

function partText(part: RawLeaf): string {
  const charset = part.contentType.params.charset;
  const text = charset ? decodeCharset(part.content, charset) : decodeUnlabelled(part.content);
  return text.replace(/\r\n?/g, '\n');
}

/** What a reader of the HTML sees: style sheets, scripts and the head (Word's CSS) are not text. */
export function htmlToText(html: string): string {
  const root = parseHtml(html);
  for (const node of root.querySelectorAll('style, script, head, title')) node.remove();
  return root.structuredText;
}

/** Plain text parts (else HTML parts as text) that are not attachments, each decoded anew. */
export function recoverBodyText(raw: Buffer): string {
  const parts = leafParts(
    raw,
    (type, disposition) => (type === 'text/plain' || type === 'text/html') && disposition !== 'attachment',
  );
  const plain = parts.filter((p) => p.contentType.type === 'text/plain');
  if (plain.length > 0) return plain.map(partText).join('\n');
  return parts.map((p) => htmlToText(partText(p))).join('\n');
}

/** Whichever reading lost fewer characters. */
export function betterText(parsed: string, raw: Buffer): string {
  if (!parsed.includes('\ufffd')) return parsed;
  const recovered = recoverBodyText(raw);
  const lost = (s: string): number => s.split('\ufffd').length - 1;
  return lost(recovered) < lost(parsed) ? recovered : parsed;
}
