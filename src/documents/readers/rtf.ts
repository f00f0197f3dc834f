/**
 * A small RTF reader (many ".doc" attachments are RTF saved by Word or WPS). It keeps
 * what form extraction needs: paragraphs, and tables as rows of cells (\cell, \row),
 * Unicode (\uN with its \ucN fallback skipped) and 8-bit text (\'hh bytes and literal
 * bytes) decoded by the font's charset or the document's \ansicpg (936 → GBK).
 * Font tables, colours, styles, pictures, objects, headers and field instructions are
 * skipped; a legacy FORMCHECKBOX field becomes ☑ or ☐.
 */
import * as iconv from 'iconv-lite';
import type { Block, Cell, DocumentContent } from '../../domain/content';
import { contentFromBlocks, tidyLine } from '../content';
import { trimChars } from '../../domain/trim';

const SKIP_DESTINATIONS = new Set([
  'colortbl', 'stylesheet', 'info', 'pict', 'objdata', 'themedata', 'colorschememapping', 'latentstyles', 'datastore',
  'xmlnstbl', 'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'header', 'headerl', 'headerr', 'headerf', 'footer',
  'footerl', 'footerr', 'footerf', 'filetbl', 'revtbl', 'nonshppict', 'pntext', 'pntxta', 'pntxtb', 'listtext', 'xe', 'tc',
  'private', 'userprops', 'docvar', 'fchars', 'lchars', 'pgdsctbl', 'mmathPr', 'wgrffmtfilter', 'passwordhash',
]);

const CHARSET_CODEPAGE: Record<number, number> = {
  128: 932, 129: 949, 134: 936, 136: 950, 161: 1253, 162: 1254, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250,
};

/** Tick boxes drawn with symbol fonts (as mammoth maps Wingdings), so src/forms sees them. */
const WINGDINGS: Record<number, string> = { 0xfe: '🗹', 0xa8: '🞎', 0xfd: '☒', 0x6f: '☐', 0xfc: '✓' };
const WINGDINGS2: Record<number, string> = { 0x52: '☑', 0x54: '☒', 0xa3: '☐', 0x50: '✓' };

function encodingFor(codepage: number): string {
  if (codepage === 936 || codepage === 54936) return 'gb18030';
  if (codepage === 950) return 'big5';
  if (codepage === 932) return 'shiftjis';
  if (codepage === 65001) return 'utf8';
  const name = `cp${codepage}`;
  return iconv.encodingExists(name) ? name : 'win1252';
}

interface Font {
  codepage?: number;
  name: string;
}

interface GroupState {
  /** 'text' (visible), 'skip', 'fonttbl', 'fldinst' */
  dest: 'text' | 'skip' | 'fonttbl' | 'fldinst';
  font: number;
  uc: number;
  /** this group opened a field instruction (its end decides a FORMCHECKBOX) */
  opensField: boolean;
}

/** A cell as the row definition (\trowd … \cellx) describes it. */
interface CellDef {
  right: number;
  vmerge: 'first' | 'cont' | null;
  hmerge: 'first' | 'cont' | null;
}

interface Row {
  cells: Cell[];
  defs: CellDef[];
}

interface FieldState {
  inst: string;
  res?: number;
  def?: number;
}

class RtfReader {
  private readonly blocks: Block[] = [];
  private rows: Row[] = [];
  private defs: CellDef[] = [];
  private pendingDef: Omit<CellDef, 'right'> = { vmerge: null, hmerge: null };
  private cells: Cell[] = [];
  private cellParagraphs: string[] = [];
  private line = '';
  private inTable = false;
  private bytes: number[] = [];
  private readonly fonts = new Map<number, Font>();
  private fontEntry = -1;
  private ansiCodepage = 1252;
  private skipFallback = 0;
  private field: FieldState | undefined;

  constructor(private readonly src: string) {}

  private codepageOf(font: number): number {
    return this.fonts.get(font)?.codepage ?? this.ansiCodepage;
  }

  private flushBytes(state: GroupState): void {
    if (this.bytes.length === 0) return;
    const bytes = Buffer.from(this.bytes);
    this.bytes = [];
    const fontName = this.fonts.get(state.font)?.name ?? '';
    if (/wingdings 2/i.test(fontName) || /wingdings/i.test(fontName)) {
      const table = /wingdings 2/i.test(fontName) ? WINGDINGS2 : WINGDINGS;
      this.emit(state, [...bytes].map((b) => table[b] ?? '').join(''));
      return;
    }
    this.emit(state, iconv.decode(bytes, encodingFor(this.codepageOf(state.font))));
  }

  private emit(state: GroupState, s: string): void {
    if (state.dest === 'text') this.line += s;
    else if (state.dest === 'fldinst' && this.field) this.field.inst += s;
    else if (state.dest === 'fonttbl' && this.fontEntry >= 0) {
      const font = this.fonts.get(this.fontEntry) ?? { name: '' };
      font.name += s.replace(/;$/, '');
      this.fonts.set(this.fontEntry, font);
    }
  }

  private endParagraph(): string {
    const text = trimChars(this.line
      .split('\n')
      .map((l) => tidyLine(l))
      .join('\n'), '\n');
    this.line = '';
    return text;
  }

  private closeTable(): void {
    if (this.cells.length > 0) this.endRow();
    if (this.rows.length > 0) this.blocks.push({ type: 'table', rows: mergeCells(this.rows) });
    this.rows = [];
  }

  private par(): void {
    const text = this.endParagraph();
    if (this.inTable) {
      if (text !== '') this.cellParagraphs.push(text);
      return;
    }
    this.closeTable();
    if (text.trim() !== '') this.blocks.push({ type: 'paragraph', text });
  }

  private endCell(): void {
    const text = this.endParagraph();
    if (text !== '') this.cellParagraphs.push(text);
    this.cells.push({ paragraphs: this.cellParagraphs, colspan: 1, rowspan: 1 });
    this.cellParagraphs = [];
  }

  private endRow(): void {
    if (this.line.trim() !== '' || this.cellParagraphs.length > 0) this.endCell();
    if (this.cells.length > 0) this.rows.push({ cells: this.cells, defs: this.defs });
    this.cells = [];
  }

  private word(state: GroupState, name: string, arg: number | undefined, starred: boolean): void {
    if (state.dest === 'fonttbl') {
      if (name === 'f' && arg !== undefined) {
        this.fontEntry = arg;
        if (!this.fonts.has(arg)) this.fonts.set(arg, { name: '' });
      } else if (name === 'fcharset' && arg !== undefined && this.fontEntry >= 0) {
        const cp = CHARSET_CODEPAGE[arg];
        if (cp !== undefined) (this.fonts.get(this.fontEntry) as Font).codepage = cp;
      } else if (name === 'cpg' && arg !== undefined && this.fontEntry >= 0) (this.fonts.get(this.fontEntry) as Font).codepage = arg;
      return;
    }
    if (state.dest === 'fldinst') {
      if (this.field && name === 'ffres') this.field.res = arg;
      if (this.field && name === 'ffdefres') this.field.def = arg;
      return;
    }
    if (name === 'fonttbl') state.dest = 'fonttbl';
    else if (name === 'fldinst') {
      state.dest = 'fldinst';
      state.opensField = true;
      this.field = { inst: '' };
    } else if (SKIP_DESTINATIONS.has(name) || starred) state.dest = 'skip';
    if (state.dest !== 'text') return;
    switch (name) {
      case 'ansicpg': if (arg) this.ansiCodepage = arg; break;
      case 'f': if (arg !== undefined) state.font = arg; break;
      case 'uc': state.uc = arg ?? 1; break;
      case 'u': if (arg !== undefined) { this.line += String.fromCharCode(arg < 0 ? arg + 65536 : arg); this.skipFallback = state.uc; } break;
      case 'par': case 'sect': case 'page': this.par(); break;
      case 'line': this.line += '\n'; break;
      case 'tab': this.line += '\t'; break;
      case 'nestcell': this.line += '\t'; break;
      case 'nestrow': this.line += '\n'; break;
      case 'pard': this.inTable = false; break;
      case 'intbl': this.inTable = true; break;
      case 'cell': this.endCell(); break;
      case 'trowd': this.defs = []; this.pendingDef = { vmerge: null, hmerge: null }; break;
      case 'clvmgf': this.pendingDef.vmerge = 'first'; break;
      case 'clvmrg': this.pendingDef.vmerge = 'cont'; break;
      case 'clmgf': this.pendingDef.hmerge = 'first'; break;
      case 'clmrg': this.pendingDef.hmerge = 'cont'; break;
      case 'cellx':
        this.defs = [...this.defs, { right: arg ?? 0, ...this.pendingDef }];
        this.pendingDef = { vmerge: null, hmerge: null };
        break;
      case 'row': this.endRow(); break;
      case 'emdash': this.line += '—'; break;
      case 'endash': this.line += '–'; break;
      case 'lquote': this.line += '‘'; break;
      case 'rquote': this.line += '’'; break;
      case 'ldblquote': this.line += '“'; break;
      case 'rdblquote': this.line += '”'; break;
      case 'bullet': this.line += '•'; break;
      case 'emspace': case 'enspace': case 'qmspace': this.line += ' '; break;
    }
  }

  private endGroup(state: GroupState): void {
    if (!state.opensField || !this.field) return;
    if (/FORMCHECKBOX/.test(this.field.inst)) {
      const res = this.field.res ?? 25;
      const checked = res === 25 ? this.field.def === 1 : res === 1;
      this.line += checked ? '☑' : '☐';
    }
    this.field = undefined;
  }

  read(): DocumentContent {
    const s = this.src;
    const stack: GroupState[] = [];
    let state: GroupState = { dest: 'text', font: -1, uc: 1, opensField: false };
    let i = 0;
    let groupStart = false;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x7b /* { */) {
        this.flushBytes(state);
        stack.push(state);
        state = { ...state, opensField: false };
        groupStart = true;
        this.skipFallback = 0;
        i++;
        continue;
      }
      if (c === 0x7d /* } */) {
        this.flushBytes(state);
        this.endGroup(state);
        state = stack.pop() ?? state;
        if (state.dest !== 'fonttbl') this.fontEntry = -1;
        this.skipFallback = 0;
        groupStart = false;
        i++;
        continue;
      }
      if (c === 0x5c /* \ */) {
        const next = s[i + 1] ?? '';
        if (next === "'") {
          const byte = Number.parseInt(s.slice(i + 2, i + 4), 16);
          i += 4;
          if (this.skipFallback > 0) this.skipFallback--;
          else if (Number.isFinite(byte)) this.bytes.push(byte);
          continue;
        }
        if (/[a-zA-Z]/.test(next)) {
          const m = /^([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(s.slice(i + 1, i + 48));
          const name = m?.[1] ?? '';
          const arg = m?.[2] !== undefined ? Number.parseInt(m[2], 10) : undefined;
          i += 1 + (m?.[0].length ?? 1);
          if (name === 'bin') {
            i += Math.max(0, arg ?? 0);
            continue;
          }
          this.flushBytes(state);
          const starred = groupStart && state.dest === 'text' && this.pendingStar;
          this.pendingStar = false;
          groupStart = false;
          if (name !== 'u') this.skipFallback = 0;
          this.word(state, name, arg, starred);
          continue;
        }
        i += 2;
        this.flushBytes(state);
        if (next === '*') {
          this.pendingStar = true;
          continue;
        }
        groupStart = false;
        if (next === '\\' || next === '{' || next === '}') this.literal(state, next.charCodeAt(0));
        else if (next === '~') this.emit(state, '\u00a0');
        else if (next === '_') this.emit(state, '-');
        else if (next === '\n' || next === '\r') {
          if (state.dest === 'text') this.par();
        }
        continue;
      }
      groupStart = false;
      i++;
      if (c === 0x0a || c === 0x0d) continue;
      if (this.skipFallback > 0) {
        this.skipFallback--;
        continue;
      }
      this.literal(state, c);
    }
    this.flushBytes(state);
    this.par();
    this.closeTable();
    return contentFromBlocks(this.blocks);
  }

  private pendingStar = false;

  private literal(state: GroupState, byte: number): void {
    if (state.dest === 'skip') return;
    this.bytes.push(byte);
  }
}

/**
 * Turns the row definitions into colspan/rowspan as mammoth gives them for .docx: a cell
 * spans the column edges (\cellx) it covers; merged continuation cells are dropped.
 */
function mergeCells(rows: Row[]): Cell[][] {
  const edges = [...new Set(rows.flatMap((r) => r.defs.map((d) => d.right)))].sort((a, b) => a - b);
  const origins = new Map<number, Cell>();
  const out: Cell[][] = [];
  for (const row of rows) {
    if (row.defs.length !== row.cells.length) {
      out.push(row.cells);
      continue;
    }
    const cells: Cell[] = [];
    let left = Number.NEGATIVE_INFINITY;
    let previous: Cell | undefined;
    row.cells.forEach((cell, i) => {
      const def = row.defs[i] as CellDef;
      const colspan = Math.max(1, edges.filter((e) => e > left && e <= def.right).length);
      const start = left;
      left = def.right;
      if (def.hmerge === 'cont' && previous) {
        previous.colspan += colspan;
        previous.paragraphs.push(...cell.paragraphs);
        return;
      }
      const origin = origins.get(start);
      if (def.vmerge === 'cont' && origin) {
        origin.rowspan += 1;
        origin.paragraphs.push(...cell.paragraphs);
        return;
      }
      const kept: Cell = { paragraphs: cell.paragraphs, colspan, rowspan: 1 };
      if (def.vmerge === 'first') origins.set(start, kept);
      else origins.delete(start);
      cells.push(kept);
      previous = kept;
    });
    out.push(cells);
  }
  return out;
}

export function readRtf(bytes: Uint8Array): DocumentContent {
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return new RtfReader(src).read();
}
