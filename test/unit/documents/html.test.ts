import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CheckBox, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { htmlToContent } from '../../../src/documents/html-content';
import { decodeQuotedPrintable, readHtml, readMht } from '../../../src/documents/readers/html';
import { readDocx } from '../../../src/documents/readers/docx';

const FIXTURES = path.join(__dirname, 'fixtures');
const EXPECTED_TEXT = [
  '附件2',
  '优秀软件产品登记表',
  '企业名称\t武汉示例软件有限公司',
  '主营业务\t√基础软件\t□工业软件\t□支撑软件',
  '□应用软件\t□人工智能类软件\t□其他软件',
  '联系电话\t027-88886666\t邮箱\tinfo@example.cn',
  '软件产品简述：面向制造业的数据平台。',
].join('\n');

describe('HTML → content', () => {
  it('keeps tables with colspan/rowspan, check boxes as ☑/☐, <br> as line breaks, and drops scripts and styles', () => {
    const content = htmlToContent(
      '<html><head><style>p{}</style><title>t</title></head><body><p>第一行<br>第二行&nbsp;&amp;</p><script>x()</script>' +
        '<table><tbody><tr><td colspan="2"><p>企业名称</p><p>（盖章）</p></td><td rowspan="3">A</td></tr>' +
        '<tr><td><input type="checkbox" checked="checked" />基础软件 <input type="checkbox" />工业软件</td><td></td></tr></tbody></table></body></html>',
    );
    expect(content.blocks).toEqual([
      { type: 'paragraph', text: '第一行\n第二行 &' },
      {
        type: 'table',
        rows: [
          [
            { paragraphs: ['企业名称', '（盖章）'], colspan: 2, rowspan: 1 },
            { paragraphs: ['A'], colspan: 1, rowspan: 3 },
          ],
          [
            { paragraphs: ['☑基础软件 ☐工业软件'], colspan: 1, rowspan: 1 },
            { paragraphs: [], colspan: 1, rowspan: 1 },
          ],
        ],
      },
    ]);
    expect(content.text).toBe('第一行\n第二行 &\n企业名称 （盖章）\tA\n☑基础软件 ☐工业软件\t');
  });

  it('flattens a table nested in a cell into lines of that cell', () => {
    const content = htmlToContent('<table><tr><td>外<table><tr><td>a</td><td>b</td></tr></table></td></tr></table>');
    expect(content.blocks).toEqual([{ type: 'table', rows: [[{ paragraphs: ['外', 'a\tb'], colspan: 1, rowspan: 1 }]] }]);
  });
});

describe('web pages saved as .doc', () => {
  it('reads a GBK (charset gb2312) HTML page', () => {
    expect(readHtml(readFileSync(path.join(FIXTURES, 'form-gbk-html.doc'))).text).toBe(EXPECTED_TEXT);
  });

  it('reads an MHT web archive with a quoted-printable GBK HTML part (made by Python email)', () => {
    expect(readMht(readFileSync(path.join(FIXTURES, 'form-mht.doc'))).text).toBe(EXPECTED_TEXT);
  });

  it('decodes quoted-printable soft breaks and escapes', () => {
    expect(decodeQuotedPrintable(Buffer.from('a=3Db=\r\nc=E4=B8=AD')).toString('utf8')).toBe('a=bc中');
  });
});

describe('docx via mammoth HTML', () => {
  it('keeps LibreOffice table merges', async () => {
    const content = await readDocx(readFileSync(path.join(FIXTURES, 'form.docx')));
    const table = content.blocks.find((b) => b.type === 'table');
    if (table?.type !== 'table') throw new Error('no table');
    expect(table.rows[0]?.map((c) => [c.paragraphs.join(''), c.colspan])).toEqual([['企业名称', 1], ['武汉示例软件有限公司', 3]]);
    expect(table.rows[1]?.[0]).toEqual({ paragraphs: ['主营业务'], colspan: 1, rowspan: 2 });
    expect(content.text).toContain('主营业务\t☑基础软件\t☐工业软件');
  });

  it('renders Word content-control check boxes (made by the docx package) as ☑ and ☐', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Table({
              rows: [
                new TableRow({
                  children: [
                    new TableCell({ children: [new Paragraph('主营业务')] }),
                    new TableCell({
                      children: [new Paragraph({ children: [new CheckBox({ checked: true }), new TextRun('基础软件'), new CheckBox({ checked: false }), new TextRun('工业软件')] })],
                    }),
                  ],
                }),
              ],
            }),
          ],
        },
      ],
    });
    const content = await readDocx(await Packer.toBuffer(doc));
    expect(content.text).toBe('主营业务\t☑基础软件☐工业软件');
  });
});
