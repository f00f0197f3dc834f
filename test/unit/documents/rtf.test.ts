import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readRtf } from '../../../src/documents/readers/rtf';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('RTF reader', () => {
  it('reads LibreOffice RTF (\\uN escapes) into paragraphs and a table with merged cells', () => {
    const content = readRtf(readFileSync(path.join(FIXTURES, 'form.rtf')));
    const paragraphs = content.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : []));
    expect(paragraphs).toEqual(['附件2', '优秀软件产品登记表', '软件产品简述：面向制造业的数据平台。']);
    const table = content.blocks.find((b) => b.type === 'table');
    if (table?.type !== 'table') throw new Error('no table');
    expect(table.rows.map((r) => r.map((c) => c.paragraphs.join('|')))).toEqual([
      ['企业名称', '武汉示例软件有限公司'],
      ['主营业务', '☑基础软件', '☐工业软件', '☐支撑软件'],
      ['☐应用软件', '☐人工智能类软件', '☐其他软件'],
      ['联系电话', '027-88886666', '邮箱', 'info@example.cn'],
    ]);
    expect(table.rows[0]?.[1]?.colspan).toBe(3);
    expect(table.rows[1]?.[0]?.rowspan).toBe(2);
    expect(content.text).toContain('企业名称\t武汉示例软件有限公司');
  });

  it("decodes \\'hh bytes as GBK under \\ansicpg936 and skips \\uN fallbacks and ignorable groups", () => {
    // 登记表 in GBK: b5c7 bcc7 b1ed; 优秀 as \u with a '?' fallback (\uc1).
    const rtf = String.raw`{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}}{\colortbl;\red0\green0\blue0;}{\*\generator WPS;}{\info{\title x}}` +
      String.raw`\pard\f0 \uc1\u20248?\u31168?\'b5\'c7\'bc\'c7\'b1\'ed\par {\pict\pngblip 89504e47}\pard \'c6\'f3\'d2\'b5\'c3\'fb\'b3\'c6\tab A\par}`;
    const content = readRtf(Buffer.from(rtf, 'latin1'));
    expect(content.text).toBe('优秀登记表\n企业名称\tA');
  });

  it('turns a legacy FORMCHECKBOX field into ☑ or ☐ from its result or default', () => {
    const box = (res: number, def: number): string =>
      String.raw`{\field{\*\fldinst {\lang1033 FORMCHECKBOX }{\*\formfield{\fftype1\ffres${res}\fftypetxt0\ffhps20\ffdefres${def}}}}{\fldrslt }}`;
    const rtf = String.raw`{\rtf1\ansi\ansicpg936 \pard ${box(1, 0)}A ${box(0, 1)}B ${box(25, 1)}C ${box(25, 0)}D\par}`;
    expect(readRtf(Buffer.from(rtf, 'latin1')).text).toBe('☑A ☐B ☑C ☐D');
  });
});
