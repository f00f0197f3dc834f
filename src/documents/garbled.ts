/**
 * Text that is not language. A PDF whose fonts carry no Unicode map (common with Chinese
 * government fonts such as 小标宋 and 仿宋 variants) gives pdf.js the font's byte codes: GBK
 * bytes read as Latin-1 (`Ä¿Â¼` for 目录), or private-use code points. Such a text layer
 * says nothing a person would read; the PDF is better treated as a scan (OCR where available)
 * than read into fields. A few odd characters (a Wingdings tick is private-use) are normal.
 */

/** Characters that belong to readable text: CJK, kana, hangul, ASCII letters and digits, CJK punctuation. */
const READABLE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}A-Za-z0-9\u3000-\u303f\uff01-\uff5e]/u;
/**
 * Latin-1 letters and symbols (U+00A1–U+00FF, plus the μ pdf.js puts for byte 0xB5), private use,
 * replacement and control characters: what mojibake is made of.
 */
const SUSPECT = /[\u00a1-\u00ff\u03bc\ue000-\uf8ff\ufffd\u0080-\u009f]/u;

/** At least this many suspect characters, and more than this share of the letters. */
const MIN_SUSPECT = 8;
const MAX_SHARE = 0.3;

export function isGarbled(text: string): boolean {
  let readable = 0;
  let suspect = 0;
  for (const ch of text) {
    if (SUSPECT.test(ch)) suspect++;
    else if (READABLE.test(ch)) readable++;
  }
  return suspect >= MIN_SUSPECT && suspect / (suspect + readable) > MAX_SHARE;
}
