/**
 * What the preview route answers when there is no preview: a small picture that says so in
 * Chinese (the page shows it where the preview would be, no script needed), with the reason
 * in a header for tests and IT. Its text is ours alone: no applicant string goes into it.
 */
import type { FastifyReply } from 'fastify';
import type { NoPreview } from '../documents/preview';

export type NoPreviewReason = NoPreview['reason'] | 'not-kept' | 'bad-page';

const TEXT: Record<NoPreviewReason, string> = {
  format: '此类文件不能预览，请下载查看',
  unreadable: '文件已损坏或无法渲染，不能预览，请下载查看',
  'no-page': '没有这一页',
  timeout: '渲染超时，不能预览，请下载查看',
  unavailable: '预览程序不可用，请下载查看',
  'not-kept': '原始邮件未保存，无法预览',
  'bad-page': '页码无效',
};

function svg(text: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="120" viewBox="0 0 360 120">`
    + `<rect x="0.5" y="0.5" width="359" height="119" rx="6" fill="#f6f8fa" stroke="#d8dde3"/>`
    + `<text x="180" y="55" text-anchor="middle" font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" font-size="15" fill="#5d6670">无预览 No preview</text>`
    + `<text x="180" y="82" text-anchor="middle" font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" font-size="13" fill="#5d6670">${text}</text>`
    + `</svg>`;
}

/** 422 (415 for a format never previewed, 404 for a page that is not there), an SVG the <img> shows. */
export function sendNoPreview(reply: FastifyReply, reason: NoPreviewReason): FastifyReply {
  const status = reason === 'format' ? 415 : reason === 'no-page' || reason === 'not-kept' ? 404 : reason === 'bad-page' ? 400 : 422;
  return reply
    .code(status)
    .header('Content-Type', 'image/svg+xml; charset=utf-8')
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    .header('X-Shenbao-Preview', `none; reason=${reason}`)
    .header('X-Content-Type-Options', 'nosniff')
    .send(svg(TEXT[reason]));
}
