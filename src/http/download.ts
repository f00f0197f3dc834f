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

/** Inline preview is offered only for these: the browser renders them without running anything of the sender's. */
const PREVIEWABLE = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/webp']);

/** The media type by the name's extension; `application/octet-stream` when unknown. */
export function typeOf(file: string): string {
  return TYPES[extensionOf(file)] ?? 'application/octet-stream';
}

export function previewable(file: string): boolean {
  return PREVIEWABLE.has(typeOf(file));
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
 * A PDF or image shown inside the page: inline, and its own CSP sandbox so nothing in the
 * file (a script in a PDF, an SVG trick) runs with the dashboard's origin.
 */
export function inline(reply: FastifyReply, name: string, type: string): FastifyReply {
  return reply
    .header('Content-Type', type)
    .header('Content-Disposition', contentDisposition(safeFileName(name), { type: 'inline' }))
    .header('Content-Security-Policy', "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'")
    .header('X-Content-Type-Options', 'nosniff');
}
