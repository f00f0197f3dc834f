/**
 * A parameter of a raw structured header (`Content-Disposition: attachment; filename*=gbk''%B1%A8`),
 * decoded: RFC 2231 (charset, continuations), RFC 2047 inside quotes, raw 8-bit bytes.
 * Used where mailparser cannot help (a message it refused).
 */
import { decodeCharset, headerText } from './charset-recovery';

export function paramOf(value: Buffer, name: string): string | null {
  const text = value.toString('latin1');
  const re = /;\s*([\w.-]+)(\*(\d+))?(\*)?\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s;]*)/g;
  const pieces: Array<{ n: number; encoded: boolean; value: string }> = [];
  let plain: string | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if ((m[1] ?? '').toLowerCase() !== name) continue;
    const v = m[6] !== undefined ? m[6].replace(/\\(.)/g, '$1') : (m[5] ?? '');
    if (m[2] === undefined && m[4] === undefined) plain = v;
    else pieces.push({ n: m[3] !== undefined ? Number(m[3]) : 0, encoded: m[4] !== undefined, value: v });
  }
  if (pieces.length === 0) return plain === null ? null : headerText(Buffer.from(plain, 'latin1'));
  pieces.sort((a, b) => a.n - b.n);
  let charset = '';
  const bytes: Buffer[] = [];
  for (const [i, p] of pieces.entries()) {
    let v = p.value;
    if (i === 0 && p.encoded) {
      const parts = /^([^']*)'[^']*'([^]*)$/.exec(v);
      if (parts) {
        charset = parts[1] ?? '';
        v = parts[2] ?? '';
      }
    }
    bytes.push(p.encoded ? Buffer.from(v.replace(/%([0-9A-Fa-f]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1') : Buffer.from(v, 'latin1'));
  }
  const joined = Buffer.concat(bytes);
  return charset ? decodeCharset(joined, charset) : headerText(joined);
}
