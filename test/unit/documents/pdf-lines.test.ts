import { assembleLines, type TextItem } from '../../../src/documents/readers/pdf-lines';

/** A pdf.js text item at (x, y) in a 10-point font, 10 points per character. */
const item = (str: string, x: number, y: number, size = 10): TextItem => ({ str, transform: [size, 0, 0, size, x, y], width: str.length * size, height: size });

describe('PDF line assembly', () => {
  it('orders a line left to right even when a tick box comes later in the content stream', () => {
    const items = [item('基础软件', 20, 700), item('应用软件', 74, 700), item('☐', 10, 700), item('☑', 64, 700)];
    expect(assembleLines(items)).toEqual(['☐基础软件 ☑应用软件']);
  });

  it('keeps content-stream order between lines, so a cell keeps its lines together', () => {
    const items = [item('企业名称（填写', 0, 700), item('并盖章）：', 0, 688), item('武汉云帆软件有限公司', 100, 694)];
    expect(assembleLines(items)).toEqual(['企业名称（填写', '并盖章）：', '武汉云帆软件有限公司']);
  });

  it('separates cells by a tab and words by a space; blank items only mark a gap', () => {
    const items = [item('邮编：', 0, 500), item(' ', 30, 500), item('430074', 60, 500), item('V3.0', 200, 480), item(' ', 240, 480), item('2022', 245, 480)];
    expect(assembleLines(items)).toEqual(['邮编：\t430074', 'V3.0 2022']);
  });

  it('keeps a raised footnote mark on its line', () => {
    expect(assembleLines([item('细分类别', 0, 600), item('1', 40, 604, 6)])).toEqual(['细分类别1']);
  });
});
