/**
 * Which MIME parts are the applicant's files, and what they are called.
 * Signature images and logos are not files; winmail.dat cannot be opened.
 */
import { decodeEncodedWords, repairMojibake } from './charset-recovery';

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
 * A signature image or logo: embedded in multipart/related with a Content-ID, or referenced from
 * the HTML by `cid:`, or tiny and not explicitly attached. An image attached as a file counts.
 */
export function isDecorativeImage(part: PartInfo, html: string): boolean {
  if (!part.contentType.toLowerCase().startsWith('image/')) return false;
  if (part.cid && part.related) return true;
  if (part.cid && html.includes(`cid:${part.cid}`)) return true;
  return part.size < TINY_IMAGE_BYTES && part.contentDisposition !== 'attachment';
}

export function isTnef(part: PartInfo): boolean {
  const type = part.contentType.toLowerCase();
  return type === 'application/ms-tnef' || type === 'application/vnd.ms-tnef' || /^winmail\.dat$/i.test(part.filename ?? '');
}

export const TNEF_REASON = {
  reasonZh: 'Outlook 富文本格式附件（winmail.dat）无法读取，请以普通附件重新发送',
  reason: 'winmail.dat (Outlook rich text, TNEF) cannot be read; please resend the files as ordinary attachments',
};

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
