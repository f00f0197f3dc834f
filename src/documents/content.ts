/** Building DocumentContent (src/domain/content.ts) from what the readers see. */
import type { Block, Cell, DocumentContent } from '../domain/content';
import { trimEndChars, trimStartChars } from '../domain/trim';

/** Whitespace as a reader sees it: NBSP and ideographic space stay, but runs of ASCII blanks fold. */
export function tidyLine(s: string): string {
  return trimStartChars(trimEndChars(s, ' \t'), ' ');
}

export function cellText(cell: Cell): string {
  return cell.paragraphs.join(' ');
}

export function blocksText(blocks: Block[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph') lines.push(block.text);
    else for (const row of block.rows) lines.push(row.map(cellText).join('\t'));
  }
  return lines.join('\n');
}

export function contentFromBlocks(blocks: Block[]): DocumentContent {
  return { blocks, text: blocksText(blocks) };
}

/** One paragraph per non-blank line (PDF pages, .doc bodies, plain text). */
export function contentFromLines(lines: string[]): DocumentContent {
  const blocks: Block[] = [];
  for (const raw of lines) {
    const line = tidyLine(raw.replace(/\r/g, ''));
    if (line.trim() !== '') blocks.push({ type: 'paragraph', text: line });
  }
  return contentFromBlocks(blocks);
}

export function hasText(content: DocumentContent): boolean {
  return content.text.trim() !== '';
}
