/**
 * HTML → DocumentContent: paragraphs and tables with their cells (colspan/rowspan).
 * Used for mammoth's output (.docx) and for web pages saved as ".doc" (HTML/MHT).
 * A check box (`<input type=checkbox>`) becomes ☑ when checked, ☐ when not: mammoth
 * renders Word's content-control and legacy check boxes that way.
 */
import { parse, type HTMLElement, type Node } from 'node-html-parser';
import type { Block, Cell } from '../domain/content';
import type { DocumentContent } from '../domain/content';
import { contentFromBlocks, tidyLine } from './content';
import { trimChars } from '../domain/trim';

const ELEMENT = 1;
const TEXT = 3;

const SKIPPED = new Set(['head', 'script', 'style', 'noscript', 'title', 'img', 'svg', 'object', 'iframe', 'xml', 'template', 'select', 'button']);
const BLOCK = new Set([
  'p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'section', 'article',
  'header', 'footer', 'main', 'nav', 'aside', 'center', 'address', 'pre', 'hr', 'form', 'fieldset', 'caption', 'figure', 'body', 'html',
]);

function tag(el: HTMLElement): string {
  return (el.rawTagName ?? '').toLowerCase();
}

function attr(el: HTMLElement, name: string): string | undefined {
  for (const [k, v] of Object.entries(el.attributes)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function span(el: HTMLElement, name: string): number {
  const n = Number.parseInt(attr(el, name) ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 1000) : 1;
}

function children(node: Node): Node[] {
  return node.childNodes;
}

/** Collects paragraphs (and, at the top level, tables) while walking inline content. */
class Collector {
  readonly blocks: Block[] = [];
  private line = '';

  text(s: string): void {
    this.line += s;
  }

  flush(): void {
    const text = trimChars(this.line
      .split('\n')
      .map((l) => tidyLine(l.replace(/ {2,}/g, ' ')))
      .join('\n'), '\n');
    this.line = '';
    if (text.trim() !== '') this.blocks.push({ type: 'paragraph', text });
  }

  table(rows: Cell[][]): void {
    this.flush();
    if (rows.length > 0) this.blocks.push({ type: 'table', rows });
  }
}

function walk(node: Node, out: Collector, flattenTables: boolean): void {
  for (const child of children(node)) {
    if (child.nodeType === TEXT) {
      // HTML whitespace folds to one space; the NBSP a user typed counts as a space too.
      out.text(child.text.replace(/[\s\u00a0]+/g, ' '));
      continue;
    }
    if (child.nodeType !== ELEMENT) continue;
    const el = child as HTMLElement;
    const name = tag(el);
    if (SKIPPED.has(name)) continue;
    if (name === 'br') out.text('\n');
    else if (name === 'input') {
      const type = (attr(el, 'type') ?? '').toLowerCase();
      if (type === 'checkbox' || type === 'radio') out.text(attr(el, 'checked') !== undefined ? '☑' : '☐');
      else if (attr(el, 'value')) out.text(attr(el, 'value') ?? '');
    } else if (name === 'table') {
      const rows = readTable(el);
      if (flattenTables) {
        out.flush();
        for (const row of rows) {
          out.text(row.map((c) => c.paragraphs.join(' ')).join('\t'));
          out.flush();
        }
      } else out.table(rows);
    } else if (name === 'td' || name === 'th') {
      out.text('\t');
      walk(el, out, flattenTables);
    } else if (BLOCK.has(name) || name === 'tr') {
      out.flush();
      walk(el, out, flattenTables);
      out.flush();
    } else walk(el, out, flattenTables);
  }
}

/** Direct rows of a table (through thead/tbody/tfoot), never those of a nested table. */
function rowsOf(table: HTMLElement): HTMLElement[] {
  const rows: HTMLElement[] = [];
  for (const child of table.childNodes) {
    if (child.nodeType !== ELEMENT) continue;
    const el = child as HTMLElement;
    const name = tag(el);
    if (name === 'tr') rows.push(el);
    else if (name === 'thead' || name === 'tbody' || name === 'tfoot') rows.push(...rowsOf(el));
  }
  return rows;
}

function readTable(table: HTMLElement): Cell[][] {
  const rows: Cell[][] = [];
  for (const tr of rowsOf(table)) {
    const cells: Cell[] = [];
    for (const child of tr.childNodes) {
      if (child.nodeType !== ELEMENT) continue;
      const td = child as HTMLElement;
      if (tag(td) !== 'td' && tag(td) !== 'th') continue;
      const inner = new Collector();
      walk(td, inner, true);
      inner.flush();
      const paragraphs = inner.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : []));
      cells.push({ paragraphs, colspan: span(td, 'colspan'), rowspan: span(td, 'rowspan') });
    }
    if (cells.length > 0) rows.push(cells);
  }
  return rows;
}

/** Word's HTML wraps list bullets in `<![if !supportLists]>`; those are not comments to the parser. */
function dropConditionals(html: string): string {
  return html.replace(/<!\[(?:end)?if[^\]]*\]>/gi, '');
}

export function htmlToContent(html: string): DocumentContent {
  const root = parse(dropConditionals(html), {
    comment: false,
    lowerCaseTagName: false,
    blockTextElements: { script: false, style: false, noscript: false, pre: true },
  });
  const out = new Collector();
  walk(root, out, false);
  out.flush();
  return contentFromBlocks(out.blocks);
}
