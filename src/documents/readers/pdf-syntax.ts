/**
 * Just enough PDF syntax to read a page's content stream ourselves: pdf.js parses the
 * same stream but drops what its text layer does not use (marked-content properties
 * such as /ActualText). Objects are values; anything unusual ends a parse as `null`,
 * never an exception, since the caller only uses this to refine pdf.js's text.
 */

export interface PdfRef { ref: [number, number] }
export type PdfValue =
  | number
  | boolean
  | null
  | { name: string }
  | { bytes: Buffer }
  | { op: string }
  | PdfRef
  | PdfValue[]
  | Map<string, PdfValue>;

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const MAX_DEPTH = 32;

export const isName = (v: PdfValue | undefined): v is { name: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && 'name' in v;
export const isBytes = (v: PdfValue | undefined): v is { bytes: Buffer } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && 'bytes' in v;
export const isOp = (v: PdfValue | undefined): v is { op: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && 'op' in v;
export const isRef = (v: PdfValue | undefined): v is PdfRef =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && 'ref' in v;

/** A PDF text string: UTF-16BE with a byte-order mark, else (close enough to) PDFDocEncoding. */
export function textOf(v: PdfValue | undefined): string | null {
  if (!isBytes(v)) return null;
  const b = v.bytes;
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const body = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)));
    return body.swap16().toString('utf16le');
  }
  return b.toString('latin1');
}

/** Reads PDF objects and content-stream operators from `buf`, starting at `pos`. */
export class PdfLexer {
  /** Set when input ended inside an object (an unterminated string, dictionary or array). */
  broken = false;

  /**
   * @param refs whether `n g R` may occur (object bodies); content streams have no
   *   references, and looking two tokens ahead after every number there is costly.
   */
  private readonly text: string;

  /** `latin1` may be given as buf.toString('latin1') when the caller already has it. */
  constructor(readonly buf: Buffer, public pos = 0, private readonly refs = true, latin1?: string) {
    // Tokens are cut from a string: one Buffer#toString per token was most of the cost.
    this.text = latin1 ?? buf.toString('latin1');
  }

  private skipWhite(): void {
    const b = this.buf;
    while (this.pos < b.length) {
      const c = b[this.pos] as number;
      if (WHITE.has(c)) this.pos++;
      else if (c === 0x25) while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      else break;
    }
  }

  /** The next object or operator; undefined at the end of the buffer or on malformed input. */
  next(depth = 0): PdfValue | undefined {
    this.skipWhite();
    const b = this.buf;
    if (depth > MAX_DEPTH) return this.fail();
    if (this.pos >= b.length) return undefined;
    const c = b[this.pos] as number;
    if (c === 0x2f) return { name: this.word(this.pos + 1) };
    if (c === 0x28) return this.literal();
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      return this.dict(depth);
    }
    if (c === 0x3c) return this.hex();
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skipWhite();
        if (this.pos >= b.length) return this.fail();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        const v = this.value(depth + 1);
        if (v === undefined) return undefined;
        arr.push(v);
      }
    }
    if (c === 0x5d || c === 0x3e || c === 0x29 || c === 0x7b || c === 0x7d) {
      this.pos++;
      return { op: String.fromCharCode(c) };
    }
    const w = this.word(this.pos);
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const n = Number(w);
      if (!Number.isNaN(n) && w !== '' && w !== '+' && w !== '-' && w !== '.') return n;
    }
    if (w === 'true' || w === 'false') return w === 'true';
    if (w === 'null') return null;
    return { op: w };
  }

  private fail(): undefined {
    this.broken = true;
    return undefined;
  }

  private word(from: number): string {
    const b = this.buf;
    let end = from;
    while (end < b.length && !WHITE.has(b[end] as number) && !DELIM.has(b[end] as number)) end++;
    this.pos = Math.max(end, from + (end === from ? 1 : 0));
    return this.text.slice(from, end);
  }

  private dict(depth: number): Map<string, PdfValue> | undefined {
    const map = new Map<string, PdfValue>();
    for (;;) {
      this.skipWhite();
      if (this.pos >= this.buf.length) return this.fail();
      if (this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return map;
      }
      const key = this.next(depth + 1);
      if (!isName(key)) return this.fail();
      const value = this.value(depth + 1);
      if (value === undefined) return undefined;
      map.set(key.name, value);
    }
  }

  /** An object, folding `n g R` into a reference (only inside dictionaries and object bodies). */
  value(depth = 0): PdfValue | undefined {
    const v = this.next(depth);
    if (!this.refs || typeof v !== 'number' || !Number.isInteger(v)) return v;
    const save = this.pos;
    const gen = this.next(depth);
    const r = typeof gen === 'number' ? this.next(depth) : undefined;
    if (typeof gen === 'number' && isOp(r) && r.op === 'R') return { ref: [v, gen] };
    this.pos = save;
    return v;
  }

  private literal(): { bytes: Buffer } | undefined {
    const b = this.buf;
    const out: number[] = [];
    let nest = 0;
    this.pos++;
    while (this.pos < b.length) {
      const c = b[this.pos++] as number;
      if (c === 0x5c) {
        const e = b[this.pos++];
        if (e === undefined) break;
        const simple: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12 };
        if (simple[e] !== undefined) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let n = e - 0x30;
          for (let k = 0; k < 2 && (b[this.pos] ?? 0) >= 0x30 && (b[this.pos] ?? 0) <= 0x37; k++) n = n * 8 + ((b[this.pos++] as number) - 0x30);
          out.push(n & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out.push(e);
      } else if (c === 0x28) {
        nest++;
        out.push(c);
      } else if (c === 0x29) {
        if (nest === 0) return { bytes: Buffer.from(out) };
        nest--;
        out.push(c);
      } else out.push(c);
    }
    return this.fail();
  }

  private hex(): { bytes: Buffer } | undefined {
    const end = this.buf.indexOf(0x3e, this.pos);
    if (end < 0) return this.fail();
    let digits = this.text.slice(this.pos + 1, end).replace(/[^0-9a-fA-F]/g, '');
    if (digits.length % 2) digits += '0';
    this.pos = end + 1;
    return { bytes: Buffer.from(digits, 'hex') };
  }

  /** Skips an inline image's data after its `ID` operator, up to and including `EI`. */
  skipInlineImage(): boolean {
    const window = this.text.slice(this.pos, Math.min(this.buf.length, this.pos + (8 << 20)));
    const found = /[\0\t\n\f\r ]EI(?=[\0\t\n\f\r ]|$)/.exec(window);
    if (!found) return false;
    this.pos += found.index + found[0].length;
    return true;
  }
}
