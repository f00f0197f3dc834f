/** Headers of every file the dashboard hands out: a safe name, the right type, never sniffed. */
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { extensionOf, safeFileName } from './safe-names';

const TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.bmp': 'image/bmp',
  '.tif': 'image/tiff', '.tiff': 'image/tiff', '.webp': 'image/webp',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.doc': 'application/msword', '.wps': 'application/vnd.ms-works', '.rtf': 'application/rtf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '.xls': 'application/vnd.ms-excel',
  '.zip': 'application/zip', '.rar': 'application/vnd.rar', '.7z': 'application/x-7z-compressed',
  '.txt': 'text/plain; charset=utf-8', '.eml': 'message/rfc822',
};

/** The media type by the name's extension; `application/octet-stream` when unknown. */
export function typeOf(file: string): string {
  return TYPES[extensionOf(file)] ?? 'application/octet-stream';
}

/**
 * Whether the detail page offers a preview: a PDF (by its sniffed format; shown as a PNG of a
 * page) or an image named JPEG/PNG. Only a hint: the preview route looks at the bytes again.
 */
export function previewable(file: string, format: string): boolean {
  return format === 'pdf' || (format === 'image' && /\.(jpe?g|png)$/i.test(file));
}

/** The last segment of `a.zip/inner/x.docx`, made safe on Windows. */
export function downloadName(file: string): string {
  return safeFileName(file.slice(file.lastIndexOf('/') + 1));
}

export function attachment(reply: FastifyReply, name: string, type: string): FastifyReply {
  return reply
    .header('Content-Type', type)
    .header('Content-Disposition', contentDisposition(safeFileName(name)))
    .header('X-Content-Type-Options', 'nosniff');
}

/**
 * A preview image (a PNG we rendered, or a JPEG/PNG whose bytes were checked): typed by what
 * the bytes are, never sniffed by the browser, and its own CSP so that opened in a tab of its
 * own it is a picture and nothing else. Content-addressed, so the browser may keep it.
 */
export function previewImage(reply: FastifyReply, name: string, type: 'image/png' | 'image/jpeg'): FastifyReply {
  return reply
    .header('Content-Type', type)
    .header('Content-Disposition', contentDisposition(safeFileName(name), { type: 'inline' }))
    .header('Content-Security-Policy', "default-src 'none'; img-src 'self'; sandbox")
    .header('Cache-Control', 'private, max-age=86400')
    .header('X-Content-Type-Options', 'nosniff');
}
