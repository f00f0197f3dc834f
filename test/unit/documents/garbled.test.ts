import * as iconv from 'iconv-lite';
import { isGarbled } from '../../../src/documents/garbled';

/** What pdf.js gives for a font without a Unicode map: the GBK bytes read as Latin-1. */
const asLatin1 = (s: string): string => iconv.encode(s, 'gbk').toString('latin1');

describe('isGarbled: text that is not language', () => {
  it('GBK read as Latin-1 (小标宋 without ToUnicode) is garbled', () => {
    expect(isGarbled(asLatin1('关于红军作战的原则（一九三七年八月一日）'))).toBe(true);
    expect(isGarbled('Ä¿¡¡¡¡Â¼ \n¹ØÓÚºì¾ü×÷Õ½μÄÔ-Ôò ¡-¡-¡- £±')).toBe(true);
  });

  it('private-use code points only are garbled', () => {
    expect(isGarbled('\ue001\ue002\ue003\ue004 \ue005\ue006\ue007\ue008\ue009\ue00a')).toBe(true);
  });

  it('Chinese text, English, a Wingdings tick or two and a few accents are language', () => {
    expect(isGarbled('优秀软件产品登记表\n企业名称：武汉云帆软件有限公司')).toBe(false);
    expect(isGarbled('Software product registration form, Wuhan 2023')).toBe(false);
    expect(isGarbled('主营业务 \uf0fe基础软件 \uf0a8工业软件 \uf0a8支撑软件 \uf0fe应用软件 \uf0a8其他')).toBe(false);
    expect(isGarbled('Café société, à la carte: résumé of the naïve façade, 30 °C ± 2')).toBe(false);
    expect(isGarbled('')).toBe(false);
  });
});
