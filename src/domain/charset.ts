/**
 * The one rule for Chinese bytes nobody labelled (or labelled wrongly) — raw 8-bit mail
 * headers and bodies, zip entry names without the UTF-8 flag, web pages saved as .doc:
 * UTF-8 when they validate as UTF-8, else GB18030 (a superset of GB2312 and GBK, what
 * Chinese Windows, Foxmail and WPS write).
 */
import iconv from 'iconv-lite';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function decodeUnlabelled(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : iconv.decode(bytes, 'gb18030');
}

/** GB2312-family labels. Text labelled gb2312 routinely holds GBK-only characters (镕, €): read the superset. */
export const GBK_FAMILY = /^(gb2312|gbk|gb18030|x-gbk|cp936|ms936|windows-936|936|euc-cn|x-euc-cn|csgb2312|gb_2312-80)$/;
