/**
 * Applicant text inside our emails must not become a link (issue 8: the submission address is
 * public and From can be forged). Anyone can name a company `请登录 www.bank-verify.cn 核对`,
 * a file `https://…/login`, or a subject the same, and have the association's own address send
 * it, auto-linked by the reader's mail client, to whatever address they wrote as the sender.
 * So every host-like word an applicant wrote is written the way security mail writes
 * indicators (`www[.]bank-verify[.]cn`, `https[:]//`): readable, never clickable.
 *
 * A word is host-like when its last dot-separated part is 2–24 ASCII letters (a top-level
 * domain, `xn--` punycode included) that is not a file extension: `登记表.docx` and
 * `用户使用报告1.pdf` stay as they are. The extensions `zip`, `mov` and `md` are also top-level
 * domains; a file named `材料.zip` is far likelier than a link, and keeps its dot.
 */

const FILE_EXTENSIONS = new Set([
  'pdf', 'doc', 'docx', 'docm', 'dot', 'dotx', 'wps', 'wpt', 'rtf', 'odt', 'txt', 'ofd', 'md',
  'xls', 'xlsx', 'et', 'ods', 'csv', 'ppt', 'pptx', 'dps', 'odp',
  'jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'heic', 'heif', 'webp',
  'zip', 'rar', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'cab', 'iso',
  'eml', 'msg', 'dat', 'htm', 'html', 'xml', 'json', 'mov', 'mp4',
]);

/** Scheme separators: `https://`, `ftp://`, also written with a full-width colon. */
const SCHEME = /([a-z][\d+.a-z-]{0,15})[:：]\/\//gi;
/**
 * Dot-separated words of letters, digits and hyphens (any script: IDN hosts are links too),
 * from the start of a word only (the look-behind keeps the scan linear).
 */
const DOTTED = /(?<![\p{L}\p{N}-])[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const TLD = /^(?:[a-z]{2,24}|xn--[\da-z-]{1,59})$/i;

function isHostLike(word: string): boolean {
  const last = word.split('.').pop() ?? '';
  return TLD.test(last) && !FILE_EXTENSIONS.has(last.toLowerCase());
}

/** `s` with its scheme separators and the dots of its host-like words bracketed. */
export function defangLinks(s: string): string {
  return s
    .replace(SCHEME, '$1[:]//')
    .replace(DOTTED, (word) => (isHostLike(word) ? word.replaceAll('.', '[.]') : word));
}
