/**
 * A small reader of raw MIME bytes, used beside mailparser where mailparser loses information:
 * raw 8-bit header bytes (GBK subjects), text parts with no charset, and messages mailparser
 * refuses (a header block over its limit). It never decodes the message into a JS string.
 */

export interface RawHeader {
  /** Lower-case header name. */
  key: string;
  /** The value's raw bytes, unfolded (CRLF + whitespace → one space), leading whitespace trimmed. */
  value: Buffer;
  /** Size of the whole field in the message, folding included. */
  size: number;
}

export interface RawPart {
  headers: RawHeader[];
  /** The body bytes as sent (still transfer-encoded). */
  body: Buffer;
}

const CR = 0x0d;
const LF = 0x0a;

/** Where the header block ends: index of the first byte of the body (after the blank line). */
export function headEnd(buf: Buffer): { headLength: number; bodyStart: number } {
  let i = 0;
  // A message may start with the blank line (no headers at all).
  if (buf[0] === LF) return { headLength: 0, bodyStart: 1 };
  if (buf[0] === CR && buf[1] === LF) return { headLength: 0, bodyStart: 2 };
  for (;;) {
    const nl = buf.indexOf(LF, i);
    if (nl < 0) return { headLength: buf.length, bodyStart: buf.length };
    const next = buf[nl + 1];
    if (next === LF) return { headLength: nl + 1, bodyStart: nl + 2 };
    if (next === CR && buf[nl + 2] === LF) return { headLength: nl + 1, bodyStart: nl + 3 };
    i = nl + 1;
  }
}

/** Splits a part into its header fields and its body. */
export function splitPart(buf: Buffer): RawPart {
  const { headLength, bodyStart } = headEnd(buf);
  return { headers: readHeaders(buf.subarray(0, headLength)), body: buf.subarray(bodyStart) };
}

/** The raw fields of a header block, folding included, in order. */
export function headerFields(head: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let start = 0;
  let i = 0;
  while (i < head.length) {
    const nl = head.indexOf(LF, i);
    const end = nl < 0 ? head.length : nl + 1;
    const following = head[end];
    // A line that starts with space or tab continues the field before it.
    if (end >= head.length || (following !== 0x20 && following !== 0x09)) {
      fields.push(head.subarray(start, end));
      start = end;
    }
    i = end;
  }
  return fields;
}

/** The header fields of a header block, in order, values unfolded. */
export function readHeaders(head: Buffer): RawHeader[] {
  const out: RawHeader[] = [];
  for (const field of headerFields(head)) {
    const colon = field.indexOf(0x3a);
    if (colon <= 0) continue;
    const key = field.subarray(0, colon).toString('latin1').trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(key)) continue;
    out.push({ key, value: unfold(field.subarray(colon + 1)), size: field.length });
  }
  return out;
}

function unfold(value: Buffer): Buffer {
  let out = value;
  if (value.includes(LF) || value.includes(CR)) {
    out = Buffer.alloc(value.length);
    let o = 0;
    let pendingSpace = false;
    for (const b of value) {
      if (b === CR || b === LF) {
        pendingSpace = o > 0;
        continue;
      }
      if (pendingSpace && (b === 0x20 || b === 0x09)) continue;
      if (pendingSpace) {
        out[o++] = 0x20;
        pendingSpace = false;
      }
      out[o++] = b;
    }
    out = out.subarray(0, o);
  }
  let from = 0;
  while (from < out.length && (out[from] === 0x20 || out[from] === 0x09)) from++;
  let to = out.length;
  while (to > from && (out[to - 1] === 0x20 || out[to - 1] === 0x09)) to--;
  return out.subarray(from, to);
}

/** First value of a header as an ASCII/latin1 string (for structured ASCII headers). */
export function headerAscii(headers: RawHeader[], key: string): string | null {
  const h = headers.find((x) => x.key === key);
  return h ? h.value.toString('latin1') : null;
}

export interface ContentType {
  type: string;
  params: Record<string, string>;
}

/** `text/plain; charset="gbk"` → { type: 'text/plain', params: { charset: 'gbk' } } (no RFC 2231). */
export function parseContentType(value: string | null): ContentType {
  if (!value) return { type: 'text/plain', params: {} };
  const [first = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  const re = /(?<![\w*.-])([\w*.-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s;]+)/g;
  const tail = rest.join(';');
  for (let m = re.exec(tail); m; m = re.exec(tail)) {
    const name = (m[1] ?? '').toLowerCase();
    params[name] = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[2] ?? '');
  }
  return { type: first.trim().toLowerCase() || 'text/plain', params };
}

/** Body bytes after Content-Transfer-Encoding; lenient with broken base64 (skips stray bytes). */
export function transferDecode(body: Buffer, encoding: string | null): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (enc === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

export function decodeQuotedPrintable(body: Buffer): Buffer {
  const out = Buffer.alloc(body.length);
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i] as number;
    if (b !== 0x3d) {
      out[o++] = b;
      continue;
    }
    const h = body.subarray(i + 1, i + 3).toString('latin1');
    if (/^[0-9A-Fa-f]{2}$/.test(h)) {
      out[o++] = parseInt(h, 16);
      i += 2;
    } else if (h.startsWith('\r\n')) {
      i += 2;
    } else if (h.startsWith('\n')) {
      i += 1;
    } else {
      out[o++] = b;
    }
  }
  return out.subarray(0, o);
}

export interface RawLeaf {
  contentType: ContentType;
  disposition: string | null;
  headers: RawHeader[];
  /** Body after transfer decoding. */
  content: Buffer;
}

/**
 * Every leaf part of a message, depth-first, multiparts opened (message/rfc822 is a leaf).
 * Tolerates a missing closing boundary. `maxParts` bounds the work on hostile input;
 * `want` picks the parts to return.
 */
export function leafParts(
  raw: Buffer,
  want: (type: string, disposition: string | null) => boolean = () => true,
  maxParts = 200,
): RawLeaf[] {
  const out: RawLeaf[] = [];
  const walk = (buf: Buffer, depth: number): void => {
    if (out.length >= maxParts) return;
    const part = splitPart(buf);
    const ct = parseContentType(headerAscii(part.headers, 'content-type'));
    const boundary = ct.params.boundary;
    if (ct.type.startsWith('multipart/') && boundary && depth < 20) {
      for (const child of splitMultipart(part.body, boundary)) walk(child, depth + 1);
      return;
    }
    const dispHeader = headerAscii(part.headers, 'content-disposition');
    const disposition = dispHeader ? (dispHeader.split(';')[0] ?? '').trim().toLowerCase() : null;
    // Only the parts asked for are decoded: a 25 MB attachment is never copied needlessly.
    if (!want(ct.type, disposition)) return;
    out.push({
      contentType: ct,
      disposition,
      headers: part.headers,
      content: transferDecode(part.body, headerAscii(part.headers, 'content-transfer-encoding')),
    });
  };
  walk(raw, 0);
  return out;
}

/** The children of a multipart body; a missing closing boundary ends the last child at the end. */
export function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const starts: number[] = [];
  let closeAt = -1;
  let i = 0;
  for (;;) {
    const at = body.indexOf(delimiter, i);
    if (at < 0) break;
    const atLineStart = at === 0 || body[at - 1] === LF;
    const after = at + delimiter.length;
    if (atLineStart) {
      if (body[after] === 0x2d && body[after + 1] === 0x2d) {
        closeAt = at;
        break;
      }
      const nl = body.indexOf(LF, after);
      starts.push(nl < 0 ? body.length : nl + 1);
    }
    i = after;
  }
  const children: Buffer[] = [];
  starts.forEach((start, n) => {
    const next = starts[n + 1];
    let end = next !== undefined ? body.lastIndexOf(delimiter, next) : closeAt >= 0 ? closeAt : body.length;
    // The line break before a delimiter belongs to the delimiter.
    if (end > start && body[end - 1] === LF) end--;
    if (end > start && body[end - 1] === CR) end--;
    children.push(body.subarray(start, Math.max(start, end)));
  });
  return children;
}

/**
 * The part with an IMAP-style id (`'2'`, `'1.3'`, as mailparser's `partId`), or the message itself
 * for `null` (a single-part message). Used to read a part's raw headers again.
 */
export function partById(raw: Buffer, id: string | null): RawPart | null {
  let part = splitPart(raw);
  if (id === null) return part;
  for (const step of id.split('.')) {
    const n = Number(step);
    const ct = parseContentType(headerAscii(part.headers, 'content-type'));
    const boundary = ct.params.boundary;
    if (!ct.type.startsWith('multipart/') || !boundary || !Number.isInteger(n) || n < 1) return null;
    const child = splitMultipart(part.body, boundary)[n - 1];
    if (!child) return null;
    part = splitPart(child);
  }
  return part;
}

/**
 * The charset the message declares for its text: the top Content-Type's, else the first text
 * part's. Raw 8-bit header bytes are first read in it. Only headers are read; nothing is decoded.
 */
export function declaredCharset(raw: Buffer, maxParts = 50): string | null {
  let seen = 0;
  const walk = (buf: Buffer, depth: number): string | null => {
    if (seen++ >= maxParts) return null;
    const part = splitPart(buf);
    const ct = parseContentType(headerAscii(part.headers, 'content-type'));
    if (ct.params.charset) return ct.params.charset;
    const boundary = ct.params.boundary;
    if (!ct.type.startsWith('multipart/') || !boundary || depth >= 10) return null;
    for (const child of splitMultipart(part.body, boundary)) {
      const childType = parseContentType(headerAscii(splitPart(child).headers, 'content-type')).type;
      if (!childType.startsWith('text/') && !childType.startsWith('multipart/')) continue;
      const found = walk(child, depth + 1);
      if (found) return found;
    }
    return null;
  };
  return walk(raw, 0);
}

/**
 * A file that starts with blank lines before its headers (as some archives and web forms store
 * mail) would be read as a message with no headers at all: the blank lines are skipped when a
 * header field follows them. A real header-less body does not start with `Name: value`.
 */
export function skipLeadingBlankLines(raw: Buffer): Buffer {
  let at = 0;
  while (at < raw.length && at < 1024) {
    if (raw[at] === LF) at += 1;
    else if (raw[at] === CR && raw[at + 1] === LF) at += 2;
    else break;
  }
  if (at === 0) return raw;
  const line = raw.subarray(at, Math.min(raw.length, at + 200)).toString('latin1');
  return /^[\x21-\x39\x3b-\x7e]+:/.test(line) ? raw.subarray(at) : raw;
}

/** Boundaries shorter than this are not repaired: `--a` may well occur inside a line. */
const MIN_REPAIRED_BOUNDARY = 12;

/**
 * A delimiter glued to the end of the line before it (`</html>------=_NextPart_01D8…`, written by
 * a mail-capture tool) hides every part after it. A long boundary is made to be unique, so a
 * whole delimiter followed by the end of its line is one: a line break is put before it.
 * Returns the input itself when nothing needs repair.
 */
export function repairGluedBoundaries(raw: Buffer, maxBoundaries = 50): Buffer {
  const boundaries = new Set<string>();
  const key = Buffer.from('boundary=', 'latin1');
  for (let at = raw.indexOf(key); at >= 0 && boundaries.size < maxBoundaries; at = raw.indexOf(key, at + key.length)) {
    const rest = raw.subarray(at + key.length, at + key.length + 200).toString('latin1');
    const m = /^"([^"\r\n]+)"|^([^\s;"]+)/.exec(rest);
    const b = m?.[1] ?? m?.[2];
    if (b && b.length >= MIN_REPAIRED_BOUNDARY) boundaries.add(b);
  }
  const cuts: number[] = [];
  for (const b of boundaries) {
    const delimiter = Buffer.from(`--${b}`, 'latin1');
    for (let at = raw.indexOf(delimiter); at >= 0; at = raw.indexOf(delimiter, at + delimiter.length)) {
      // At a line start it is already a delimiter; after a '-' it is the tail of a longer boundary.
      if (at === 0 || raw[at - 1] === LF || raw[at - 1] === 0x2d) continue;
      let end = at + delimiter.length;
      if (raw[end] === 0x2d && raw[end + 1] === 0x2d) end += 2;
      while (raw[end] === 0x20 || raw[end] === 0x09) end++;
      if (end >= raw.length || raw[end] === CR || raw[end] === LF) cuts.push(at);
    }
  }
  if (cuts.length === 0) return raw;
  cuts.sort((x, y) => x - y);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    pieces.push(raw.subarray(from, cut), Buffer.from('\r\n', 'latin1'));
    from = cut;
  }
  pieces.push(raw.subarray(from));
  return Buffer.concat(pieces);
}
