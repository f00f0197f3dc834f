/**
 * A page's decoded content stream, read from the raw PDF bytes by object number (pdf.js
 * gives each page's reference). Objects are found by scanning for `n g obj` (the last
 * definition wins, as with incremental updates) and inside object streams; only
 * FlateDecode (or unfiltered) streams are read. Anything else gives null: the caller
 * then keeps pdf.js's text as it is.
 */
import * as zlib from 'node:zlib';
import { isName, isOp, isRef, PdfLexer, type PdfValue } from './pdf-syntax';

/** A form's content streams are kilobytes; a bomb must not get to inflate gigabytes. */
const MAX_STREAM_BYTES = 16 << 20;

interface Located { buf: Buffer; pos: number; text: string }

export class PdfObjects {
  private readonly direct = new Map<number, number>();
  private packed: Map<number, Located> | undefined;

  private readonly text: string;

  constructor(private readonly bytes: Buffer) {
    const re = /(?:^|[^0-9])(\d{1,9})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj\b/g;
    const text = bytes.toString('latin1');
    this.text = text;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      this.direct.set(Number(m[1]), m.index + m[0].length);
    }
  }

  /** The object `num`, and the decoded data of a stream when `wantsData` says so (inflating costs). */
  get(num: number, wantsData: (dict: Map<string, PdfValue>) => boolean = () => false): { value: PdfValue; data: Buffer | null } | null {
    const at = this.direct.get(num);
    const loc: Located | undefined = at !== undefined ? { buf: this.bytes, pos: at, text: this.text } : this.inObjectStreams().get(num);
    if (!loc) return null;
    const lexer = new PdfLexer(loc.buf, loc.pos, true, loc.text);
    const value = lexer.value();
    if (value === undefined) return null;
    if (!(value instanceof Map) || loc.buf !== this.bytes || !wantsData(value)) return { value, data: null };
    const save = lexer.pos;
    const kw = lexer.next();
    if (!isOp(kw) || kw.op !== 'stream') {
      lexer.pos = save;
      return { value, data: null };
    }
    return { value, data: this.streamData(value, lexer.pos) };
  }

  /** `v`, or the object it refers to. */
  resolve(v: PdfValue | undefined): PdfValue | undefined {
    return isRef(v) ? this.get(v.ref[0])?.value : v;
  }

  private streamData(dict: Map<string, PdfValue>, afterKeyword: number): Buffer | null {
    const b = this.bytes;
    let start = afterKeyword;
    if (b[start] === 0x0d) start++;
    if (b[start] === 0x0a) start++;
    const length = this.resolve(dict.get('Length'));
    let end = typeof length === 'number' && length >= 0 ? start + length : -1;
    const close = end >= 0 && end <= b.length ? b.indexOf('endstream', end, 'latin1') : -1;
    if (close < 0 || close - end > 4) {
      end = b.indexOf('endstream', start, 'latin1');
      if (end < 0) return null;
    }
    const raw = b.subarray(start, end);
    const filter = this.resolve(dict.get('Filter'));
    const filters = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
    if (filters.length === 0) return raw;
    if (filters.length !== 1 || !isName(filters[0]) || filters[0].name !== 'FlateDecode' || dict.has('DecodeParms')) return null;
    try {
      return zlib.inflateSync(raw, { maxOutputLength: MAX_STREAM_BYTES, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      return null;
    }
  }

  /** Objects packed in /Type /ObjStm streams, read once when first needed. */
  private inObjectStreams(): Map<number, Located> {
    if (this.packed) return this.packed;
    this.packed = new Map();
    for (const num of [...this.direct.keys()]) {
      // Only object streams are inflated here, not every image of the file.
      const obj = this.get(num, (d) => isName(d.get('Type')) && (d.get('Type') as { name: string }).name === 'ObjStm');
      if (!obj?.data || !(obj.value instanceof Map)) continue;
      const type = obj.value.get('Type');
      const n = obj.value.get('N');
      const first = obj.value.get('First');
      if (!isName(type) || type.name !== 'ObjStm' || typeof n !== 'number' || typeof first !== 'number') continue;
      const text = obj.data.toString('latin1');
      const header = new PdfLexer(obj.data, 0, true, text);
      for (let i = 0; i < Math.min(n, 100_000); i++) {
        const id = header.next();
        const offset = header.next();
        if (typeof id !== 'number' || typeof offset !== 'number') break;
        if (!this.direct.has(id)) this.packed.set(id, { buf: obj.data, pos: first + offset, text });
      }
    }
    return this.packed;
  }

  /** The page's /Resources, inherited from its page-tree parents if it has none. */
  pageResources(pageNum: number): Map<string, PdfValue> | null {
    let node = this.get(pageNum)?.value;
    for (let depth = 0; depth < 32 && node instanceof Map; depth++) {
      const res = this.resolve(node.get('Resources'));
      if (res instanceof Map) return res;
      node = this.resolve(node.get('Parent'));
    }
    return null;
  }

  /** The page's /Contents, decoded and joined (a content array is one stream split up). */
  pageContent(pageNum: number): Buffer | null {
    const page = this.get(pageNum)?.value;
    if (!(page instanceof Map)) return null;
    const contents = this.resolve(page.get('Contents'));
    const refs = Array.isArray(contents) ? contents : [page.get('Contents')];
    const parts: Buffer[] = [];
    let total = 0;
    for (const r of refs) {
      if (!isRef(r)) return null;
      const data = this.get(r.ref[0], () => true)?.data;
      if (!data) return null;
      total += data.length + 1;
      if (total > MAX_STREAM_BYTES) return null;
      parts.push(data, Buffer.from('\n'));
    }
    return Buffer.concat(parts);
  }
}
