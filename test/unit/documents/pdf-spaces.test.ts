import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MarkedItem } from '../../../src/documents/readers/pdf-marked';
import { PdfObjects } from '../../../src/documents/readers/pdf-objects';
import { restoreLineEndSpaces, showEndings } from '../../../src/documents/readers/pdf-spaces';

/** LibreOffice's export of f09-values-in-same-cell.docx; page 1 is object 1 (qpdf --show-pages). */
const F09 = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'documents', 'forms', 'f09-values-in-same-cell.pdf');

const text = (str: string, x: number, y: number, hasEOL = false): MarkedItem => ({ str, transform: [10.5, 0, 0, 10.5, x, y], width: 10.5 * str.length, height: 10.5, hasEOL });

describe('spaces at the end of wrapped PDF lines', () => {
  it('decodes the f09 page through its fonts’ ToUnicode maps and finds the show ending in a space after 市场部', () => {
    const objects = new PdfObjects(fs.readFileSync(F09));
    const content = objects.pageContent(1);
    expect(content).not.toBeNull();
    const endings = content ? showEndings(objects, 1, content) : null;
    // Measured with pdf.js's getTextContent on this page: 945 non-blank characters in all,
    // the item 部门与职务：市场部 ends at the 215th. 180 and 206 end shows inside a line.
    expect(endings?.total).toBe(945);
    expect([...(endings?.ends ?? [])]).toEqual([180, 206, 215]);
  });

  it('gives the line-ending item its space back, and only that one', () => {
    // 部门与职务：市场部 ␠ | 经理 ; the counts say a show ended in a blank after 9 and after 13.
    const items = [text('部门与职务：市场部', 0, 600), text('', 0, 585, true), text('经理', 0, 585), text('', 0, 570, true), text('二、产品', 0, 570)];
    const out = restoreLineEndSpaces(items, { ends: new Set([9, 13]), total: 15 });
    expect(out.map((i) => i.str)).toEqual(['部门与职务：市场部 ', '', '经理', '', '二、产品']);
  });

  it('adds no space inside a line or when the page counts disagree', () => {
    const items = [text('邮箱：', 0, 600), text(' ', 31, 600), text('a@b.cn', 40, 600), text('', 0, 585, true), text('经理', 0, 585)];
    expect(restoreLineEndSpaces(items, { ends: new Set([3]), total: 11 }).map((i) => i.str)).toEqual(['邮箱：', ' ', 'a@b.cn', '', '经理']);
    const wrapped = [text('市场部', 0, 600), text('', 0, 585, true), text('经理', 0, 585)];
    expect(restoreLineEndSpaces(wrapped, { ends: new Set([3]), total: 6 }).map((i) => i.str)).toEqual(['市场部', '', '经理']);
    expect(restoreLineEndSpaces(wrapped, null).map((i) => i.str)).toEqual(['市场部', '', '经理']);
  });
});
