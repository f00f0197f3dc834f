/**
 * Which MIME parts are the applicant's files, and what they are called.
 * Signature images and logos are not files; winmail.dat is opened (src/mail/tnef.ts).
 */
import { decodeEncodedWords, repairMojibake } from './charset-recovery';
import { paramOf } from './mime-params';
import { leafParts } from './raw-mime';
import { readTnef } from './tnef';
import type { Attachment, MailProblem } from '../domain/email';

/** What we need of a mailparser attachment (kept narrow so tests can build one). */
export interface PartInfo {
  filename?: string;
  contentType: string;
  contentDisposition?: string;
  cid?: string;
  related?: boolean;
  size: number;
}

/** Below this size an image that is not explicitly attached is a spacer, pixel or icon. */
export const TINY_IMAGE_BYTES = 5 * 1024;

/**
 * Up to this size an image the HTML shows (`cid:`) is a signature image or logo. A photo or scan
 * of a stamped page that anyone could read is larger (the fixtures' smallest is 148 KB).
 */
export const SIGNATURE_IMAGE_BYTES = 64 * 1024;

/**
 * A signature image or logo: shown by the HTML (`cid:`) and small, or tiny and not explicitly
 * attached. Apple Mail and iOS Mail send photos and PDFs as `inline` parts of multipart/related
 * that no HTML shows: those are the applicant's files, Content-ID or not.
 */
export function isDecorativeImage(part: PartInfo, html: string): boolean {
  if (!part.contentType.toLowerCase().startsWith('image/')) return false;
  if (part.cid && part.size <= SIGNATURE_IMAGE_BYTES && html.includes(`cid:${part.cid}`)) return true;
  return part.size < TINY_IMAGE_BYTES && part.contentDisposition !== 'attachment';
}

export function isTnef(part: PartInfo): boolean {
  const type = part.contentType.toLowerCase();
  return type === 'application/ms-tnef' || type === 'application/vnd.ms-tnef' || /^winmail\.dat$/i.test(part.filename ?? '');
}

export const TNEF_REASON = {
  reasonZh: 'Outlook 富文本格式附件（winmail.dat）已损坏，未能完整读取，请以普通附件重新发送',
  reason: 'winmail.dat (Outlook rich text, TNEF) is damaged and could not be read in full; please resend the files as ordinary attachments',
};

export const TNEF_EMBEDDED_REASON = {
  reasonZh: 'winmail.dat 中附带的 Outlook 项目（邮件、日程等）无法打开，请将其中的文件作为普通附件发送',
  reason: 'an Outlook item attached inside winmail.dat cannot be opened; please send its files as ordinary attachments',
};

/**
 * The files inside winmail.dat. They are named as the applicant attached them in Outlook
 * (`登记表.docx`, not `winmail.dat/登记表.docx`): Outlook never shows winmail.dat to its user,
 * so a prefix would name a file the applicant never saw. A TNEF that holds only the message body
 * gives no files and no problem.
 */
export function tnefParts(content: Buffer, tnefName: string, firstIndex: number): { attachments: Attachment[]; problems: MailProblem[] } {
  const tnef = readTnef(content);
  const attachments = tnef.files.map((f, i) => {
    const contentType = f.mimeType && /^[\w.+-]+\/[\w.+-]+$/.test(f.mimeType) ? f.mimeType.toLowerCase() : 'application/octet-stream';
    return { filename: fileNameOf({ filename: f.name, contentType, size: f.content.length }, firstIndex + i), contentType, content: f.content, size: f.content.length };
  });
  const problems: MailProblem[] = [];
  if (tnef.damaged) problems.push({ file: tnefName, ...TNEF_REASON });
  for (const name of tnef.unopened) problems.push({ file: `${tnefName}/${fileNameOf({ filename: name, contentType: 'message/rfc822', size: 0 }, 0)}`, ...TNEF_EMBEDDED_REASON });
  return { attachments, problems };
}

/**
 * Text parts with a file name that mailparser reads into the body (it takes every inline
 * text/plain or text/html part for text): `Content-Disposition: inline; filename*0*=…` from
 * @nifty and Apple Mail. The message's first text part is its body, named or not.
 */
export function namedInlineTextParts(raw: Buffer): Attachment[] {
  const parts = leafParts(raw, (type, disposition) => (type === 'text/plain' || type === 'text/html') && disposition !== 'attachment');
  const out: Attachment[] = [];
  for (const p of parts.slice(1)) {
    const disposition = p.headers.find((h) => h.key === 'content-disposition')?.value;
    const type = p.headers.find((h) => h.key === 'content-type')?.value;
    const name = (disposition && paramOf(disposition, 'filename')) || (type && paramOf(type, 'name')) || null;
    if (!name) continue;
    const info = { filename: name, contentType: p.contentType.type, size: p.content.length };
    out.push({ filename: fileNameOf(info, out.length), contentType: p.contentType.type, content: p.content, size: p.content.length });
  }
  return out;
}

export const TOO_DEEP_REASON = {
  reasonZh: '转发邮件嵌套层数过多，未能打开，请直接发送附件',
  reason: 'forwarded message nested too deeply to open; please send the files directly',
};

const EXTENSIONS: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/msword': '.doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'application/zip': '.zip',
  'application/x-zip-compressed': '.zip',
  'application/x-rar-compressed': '.rar',
  'application/vnd.rar': '.rar',
  'application/x-7z-compressed': '.7z',
  'application/wps-office.wps': '.wps',
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/tiff': '.tif',
  'message/rfc822': '.eml',
  'text/plain': '.txt',
  'text/html': '.html',
};

function withoutControls(text: string): string {
  return [...text].filter((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f').join('');
}

/** A file name as the applicant meant it: GBK recovered, no path, never empty. */
export function fileNameOf(part: PartInfo, index: number): string {
  let name = part.filename ?? '';
  if (/=\?[^?]+\?[BbQq]\?/.test(name)) name = decodeEncodedWords(name);
  name = repairMojibake(name);
  // Some clients send the sender's local path (C:\Users\...\登记表.docx); '/' is our separator.
  name = withoutControls(name.split(/[\\/]/).pop() ?? '').trim();
  if (name) return name;
  return `未命名附件${index + 1}${EXTENSIONS[part.contentType.toLowerCase()] ?? '.bin'}`;
}

/**
 * The folder-like prefix for the files of a forwarded email: the attachment's own name
 * (`申报材料.eml`) when it has one, else its subject plus `.eml`, else `转发邮件.eml`.
 */
export function forwardedPrefix(part: PartInfo, innerSubject: string): string {
  const own = part.filename ? fileNameOf(part, 0) : '';
  const subject = withoutControls(innerSubject.replace(/[\\/]/g, '_')).trim();
  const base = own || (subject ? `${subject}.eml` : '转发邮件.eml');
  return /\.eml$/i.test(base) ? base : `${base}.eml`;
}
