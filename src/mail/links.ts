/**
 * Download links sent instead of files: mail-provider "超大附件" (large attachments) and
 * cloud drives. Ordinary links (a company website in a signature) are not file links.
 */
import type { Link } from '../domain/email';

interface FileHost {
  kind: string;
  /** Tested against `host + path` (lower-case host, path as written). */
  pattern: RegExp;
}

const FILE_HOSTS: FileHost[] = [
  { kind: 'qq-large-attachment', pattern: /^(wx\.mail|mail|exmail|wx\.exmail|dashi)\.qq\.com\/(ftn\/download|cgi-bin\/ftnexs_download|cgi-bin\/ftnExs_download|cgi-bin\/ftn)/i },
  { kind: 'qq-large-attachment', pattern: /^[\w.-]*ftn\.qq\.com\// },
  { kind: 'netease-large-attachment', pattern: /^(mail|dashi)\.(163|126|yeah)\.(com|net)\/.*(large-attachment|cloud-attachment|large_attach)/i },
  { kind: 'netease-large-attachment', pattern: /^fs\.(163|126)\.com\/fs\/display/i },
  { kind: 'onedrive', pattern: /^(1drv\.ms|onedrive\.live\.com|[\w-]+\.sharepoint\.com|[\w-]+-my\.sharepoint\.com)\//i },
  { kind: 'baidu-pan', pattern: /^(pan|yun)\.baidu\.com\/(s\/|share\/)/i },
  { kind: 'aliyun-drive', pattern: /^(www\.)?(aliyundrive|alipan)\.com\/s\//i },
  { kind: 'weiyun', pattern: /^share\.weiyun\.com\//i },
  { kind: '123pan', pattern: /^(www\.)?123(pan|684|865|912)\.(com|cn)\/s\//i },
  { kind: 'lanzou', pattern: /^([\w-]+\.)?lanzou[a-z]?\.com\//i },
  { kind: 'quark-pan', pattern: /^pan\.quark\.cn\/s\//i },
  { kind: 'google-drive', pattern: /^(drive|docs)\.google\.com\//i },
  { kind: 'dropbox', pattern: /^(www\.)?dropbox\.com\/(s|scl|sh|t)\/|^db\.tt\//i },
  { kind: 'cloud-drive', pattern: /^(pan\.xunlei\.com\/s\/|cloud\.189\.cn\/(t|web\/share)|caiyun\.139\.com\/|yun\.139\.com\/|www\.jianguoyun\.com\/p\/|(www\.)?wenshushu\.cn\/|(www\.)?cowtransfer\.com\/s\/|(www\.)?wetransfer\.com\/downloads\/|we\.tl\/)/i },
];

const URL_RE = /\bhttps?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
/** Links written without a scheme (`pan.baidu.com/s/1abc`), only for the known hosts. */
const BARE_RE = /(?<![\w./@-])(?:[a-z0-9-]+\.)+(?:com|cn|ms|tt)\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*/gi;

function trimUrl(url: string): string {
  let u = url.replace(/&amp;/g, '&');
  // Sentence punctuation and an unbalanced closing bracket are not part of a URL.
  for (;;) {
    const last = u.slice(-1);
    if (/[.,;:!?'"]/.test(last)) u = u.slice(0, -1);
    else if (last === ')' && (u.match(/\(/g) ?? []).length < (u.match(/\)/g) ?? []).length) u = u.slice(0, -1);
    else if (last === ']' && !u.includes('[')) u = u.slice(0, -1);
    else return u;
  }
}

export function classifyLink(url: string): string | null {
  const m = /^(?:https?:\/\/)?([^/?#]+)((?:[/?#][^]*)?)$/i.exec(url);
  if (!m) return null;
  const host = (m[1] ?? '').toLowerCase().replace(/:\d+$/, '');
  const rest = m[2] || '/';
  const target = host + (rest.startsWith('/') ? rest : `/${rest}`);
  for (const h of FILE_HOSTS) if (h.pattern.test(target)) return h.kind;
  return null;
}

/** File links in a text body and an HTML body (hrefs and visible text), in order, de-duplicated. */
export function findFileLinks(text: string, html?: string): Link[] {
  const candidates: string[] = [];
  const sources = [text, html ?? ''];
  for (const source of sources) {
    for (const m of source.matchAll(URL_RE)) candidates.push(trimUrl(m[0]));
    for (const m of source.matchAll(BARE_RE)) {
      candidates.push(`https://${trimUrl(m[0])}`);
    }
  }
  const seen = new Set<string>();
  const links: Link[] = [];
  for (const url of candidates) {
    if (seen.has(url)) continue;
    seen.add(url);
    const kind = classifyLink(url);
    if (kind) links.push({ url, kind });
  }
  return links;
}
