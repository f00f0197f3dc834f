/**
 * A small reader of TNEF (winmail.dat, application/ms-tnef): what Outlook sends in "Rich Text"
 * mode, with the applicant's files inside. Written here rather than taken from npm: node-tnef
 * logs to stdout, copies the input per record (1.75 GB for 20 MB) and has no long file names
 * (see the staff-libraries notes §5.4).
 *
 * Layout (MS-OXTNEF): signature 0x223E9F78, a 2-byte key, then records of
 * level (1 message, 2 attachment), attribute id (4, low 16 bits the id), length (4), data, checksum (2).
 * An attachment starts at attAttachRendData; its bytes are attAttachData; its name is
 * PR_ATTACH_LONG_FILENAME (0x3707) in the attAttachment MAPI properties, else attAttachTitle (8.3).
 * 8-bit names are in the message's code page (attOemCodepage: 936 for Chinese Windows).
 * Never throws; every slice is a view of the input (no copies).
 */
import iconv from 'iconv-lite';

export const TNEF_SIGNATURE = 0x223e9f78;

export interface TnefFile {
  name: string;
  /** PR_ATTACH_MIME_TAG when Outlook recorded one. */
  mimeType: string | null;
  content: Buffer;
}

export interface TnefContent {
  files: TnefFile[];
  /** Not a TNEF stream, or a record runs past the end / has an unknown level: what was read before is kept. */
  damaged: boolean;
  /** Attachments Outlook embedded as objects (an attached Outlook item): listed, not opened. */
  unopened: string[];
}

const LVL_MESSAGE = 1;
const LVL_ATTACHMENT = 2;
const ATT_ATTACH_REND_DATA = 0x9002;
const ATT_ATTACH_TITLE = 0x8010;
const ATT_ATTACH_DATA = 0x800f;
const ATT_ATTACHMENT = 0x9005;
const ATT_OEM_CODEPAGE = 0x9007;

const PR_ATTACH_DATA = 0x3701;
const PR_ATTACH_LONG_FILENAME = 0x3707;
const PR_ATTACH_MIME_TAG = 0x370e;
const PR_DISPLAY_NAME = 0x3001;

const PT_STRING8 = 0x001e;
const PT_UNICODE = 0x001f;
const PT_BINARY = 0x0102;
const PT_OBJECT = 0x000d;
const MV_FLAG = 0x1000;

/** Bytes of one fixed-size MAPI value (MS-OXTNEF 2.1.3.4); variable types are handled apart. */
const FIXED_SIZE: Record<number, number> = {
  0x0001: 4, // PT_NULL
  0x0002: 4, // PT_SHORT, padded
  0x0003: 4, // PT_LONG
  0x0004: 4, // PT_FLOAT
  0x0005: 8, // PT_DOUBLE
  0x0006: 8, // PT_CURRENCY
  0x0007: 8, // PT_APPTIME
  0x000a: 4, // PT_ERROR
  0x000b: 4, // PT_BOOLEAN, padded
  0x0014: 8, // PT_I8
  0x0040: 8, // PT_SYSTIME
  0x0048: 16, // PT_CLSID
};

const MAX_FILES = 500;
const MAX_PROPS = 10_000;

export function isTnefStream(buf: Buffer): boolean {
  return buf.length >= 6 && buf.readUInt32LE(0) === TNEF_SIGNATURE;
}

interface Draft {
  title: string | null;
  longName: string | null;
  displayName: string | null;
  mimeType: string | null;
  data: Buffer | null;
  embedded: boolean;
}

function emptyDraft(): Draft {
  return { title: null, longName: null, displayName: null, mimeType: null, data: null, embedded: false };
}

function cString(bytes: Buffer, codepage: string): string {
  const nul = bytes.indexOf(0);
  const body = nul >= 0 ? bytes.subarray(0, nul) : bytes;
  return iconv.decode(body, codepage).trim();
}

function utf16String(bytes: Buffer): string {
  let end = 0;
  while (end + 1 < bytes.length && (bytes[end] !== 0 || bytes[end + 1] !== 0)) end += 2;
  return bytes.subarray(0, end).toString('utf16le').trim();
}

/** Windows code page number → an iconv-lite label; unknown → windows-1252. */
function codepageLabel(cp: number): string {
  const label = cp === 65001 ? 'utf8' : `cp${cp}`;
  return iconv.encodingExists(label) ? label : 'windows-1252';
}

/**
 * The properties of one attAttachment record that name and hold the file. Stops quietly at the
 * first property it cannot size: the long name comes early, and the title is the fallback.
 */
function readAttachmentProps(data: Buffer, draft: Draft, codepage: string): void {
  let at = 0;
  const need = (n: number): boolean => at + n <= data.length;
  if (!need(4)) return;
  const count = Math.min(data.readUInt32LE(at), MAX_PROPS);
  at += 4;
  for (let i = 0; i < count; i++) {
    if (!need(4)) return;
    const type = data.readUInt16LE(at);
    const id = data.readUInt16LE(at + 2);
    at += 4;
    if (id >= 0x8000) {
      // A named property: GUID, kind, then a number or a UTF-16 name.
      if (!need(20)) return;
      const kind = data.readUInt32LE(at + 16);
      at += 20;
      if (kind === 0) at += 4;
      else {
        if (!need(4)) return;
        const len = data.readUInt32LE(at);
        at += 4 + len + ((4 - (len % 4)) % 4);
      }
    }
    const base = type & ~MV_FLAG;
    const multi = (type & MV_FLAG) !== 0;
    const fixed = FIXED_SIZE[base];
    if (fixed !== undefined) {
      let n = 1;
      if (multi) {
        if (!need(4)) return;
        n = data.readUInt32LE(at);
        at += 4;
      }
      at += n * fixed;
      continue;
    }
    if (![PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT].includes(base)) return;
    if (!need(4)) return;
    const n = data.readUInt32LE(at);
    at += 4;
    for (let v = 0; v < n; v++) {
      if (!need(4)) return;
      const len = data.readUInt32LE(at);
      at += 4;
      if (!need(len)) return;
      const value = data.subarray(at, at + len);
      at += len + ((4 - (len % 4)) % 4);
      if (v > 0) continue;
      const text = (): string => (base === PT_UNICODE ? utf16String(value) : cString(value, codepage));
      if (id === PR_ATTACH_LONG_FILENAME) draft.longName = text() || draft.longName;
      else if (id === PR_DISPLAY_NAME) draft.displayName = text() || draft.displayName;
      else if (id === PR_ATTACH_MIME_TAG) draft.mimeType = text() || draft.mimeType;
      else if (id === PR_ATTACH_DATA && base === PT_OBJECT) draft.embedded = true;
    }
  }
}

export function readTnef(buf: Buffer): TnefContent {
  const out: TnefContent = { files: [], damaged: false, unopened: [] };
  if (!isTnefStream(buf)) return { ...out, damaged: true };
  let codepage = 'windows-1252';
  let draft: Draft | null = null;
  const finish = (): void => {
    if (!draft) return;
    const name = draft.longName ?? draft.displayName ?? draft.title ?? '';
    if (draft.data) out.files.push({ name, mimeType: draft.mimeType, content: draft.data });
    else if (draft.embedded) out.unopened.push(name);
    draft = null;
  };
  let at = 6;
  while (at < buf.length) {
    if (at + 9 > buf.length) {
      out.damaged = true;
      break;
    }
    const level = buf[at];
    const id = buf.readUInt32LE(at + 1) & 0xffff;
    const length = buf.readUInt32LE(at + 5);
    const start = at + 9;
    if ((level !== LVL_MESSAGE && level !== LVL_ATTACHMENT) || start + length + 2 > buf.length) {
      out.damaged = true;
      break;
    }
    const data = buf.subarray(start, start + length);
    at = start + length + 2;
    if (level === LVL_MESSAGE) {
      if (id === ATT_OEM_CODEPAGE && data.length >= 4) codepage = codepageLabel(data.readUInt32LE(0));
      continue;
    }
    if (id === ATT_ATTACH_REND_DATA) {
      finish();
      if (out.files.length >= MAX_FILES) break;
      draft = emptyDraft();
      continue;
    }
    draft ??= emptyDraft();
    if (id === ATT_ATTACH_TITLE) draft.title = cString(data, codepage) || draft.title;
    else if (id === ATT_ATTACH_DATA) draft.data = data;
    else if (id === ATT_ATTACHMENT) readAttachmentProps(data, draft, codepage);
  }
  finish();
  return out;
}
