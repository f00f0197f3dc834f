import { csvField, reportRows, toCsv } from '../../../src/report';
import { ISSUE_COLUMNS, issueLinesOf } from '../../../src/report/columns';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { completeDocuments, email, form, product } from '../rules/helpers';
import { app, campaign, judged } from './build';

/** A small RFC 4180 reader, to check that what we wrote reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  return rows;
}

describe('csvField', () => {
  it('neutralises formula starts and quotes what needs it', () => {
    expect(csvField('=HYPERLINK("http://x","a")')).toBe('"\'=HYPERLINK(""http://x"",""a"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('武汉')).toBe('武汉');
    expect(csvField('027-8765')).toBe('027-8765');
  });
});

describe('toCsv', () => {
  const hostile = form([product('甲,"乙"\n丙')], {}, { name: '=HYPERLINK("http://x","a")', contact: { name: '李"四', phone: '+86 27', email: '@evil', position: null } });
  const rows = reportRows(judged(app('SB2023-0001', '2023-07-10T10:00:00+08:00', completeDocuments(hostile))), new Map());
  const text = toCsv(rows);

  it('UTF-8 BOM, CRLF records, Chinese header', () => {
    expect(text.startsWith('\uFEFF申报编号,企业名称,联系人,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(3);
  });

  it('reads back cell for cell: formula starts neutralised, quotes/commas/newlines kept', () => {
    const [header, row] = parseCsv(text.slice(1));
    const cell = (h: string) => row?.[header?.indexOf(h) ?? -1];
    expect(cell('申报编号')).toBe('SB2023-0001');
    expect(cell('企业名称')).toBe('\'=HYPERLINK("http://x","a")');
    expect(cell('联系人')).toBe('李"四');
    expect(cell('联系电话')).toBe("'+86 27");
    expect(cell('联系邮箱')).toBe("'@evil");
    expect(cell('产品1名称')).toBe('甲,"乙"\n丙');
    expect(cell('产品1类别')).toBe('应用软件');
    expect(cell('首次来件时间')).toBe('2023-07-10 10:00');
    expect(cell('是否齐全')).toBe('材料不全');
    expect(cell('截止状态')).toBe('按时');
    expect(cell('用户使用报告数')).toBe('3');
    expect(row).toHaveLength(header?.length ?? 0);
  });
});

describe('the 待补问题 cell', () => {
  it('says a repeated phrase once with its count; the issue sheet keeps each one', () => {
    const links = [{ url: 'https://pan.baidu.com/s/1a', kind: 'baidu-pan' }, { url: 'https://pan.baidu.com/s/1b', kind: 'baidu-pan' }];
    const linked = foldEmail(newApplication('SB2023-0002', new Date('2023-07-10T02:00:00Z')), email('2023-07-10T10:00:00+08:00', completeDocuments(), { links }), campaign);
    const rows = reportRows(judged(linked), new Map());
    const [header, row] = parseCsv(toCsv(rows).slice(1));
    expect(row?.[header?.indexOf('待补问题') ?? -1]).toBe('发来下载链接而非附件（×2）');
    expect(issueLinesOf(rows).map((l) => l.issue.url)).toEqual(['https://pan.baidu.com/s/1a', 'https://pan.baidu.com/s/1b']);
    const explained = ISSUE_COLUMNS.find((c) => c.header === '说明');
    expect(issueLinesOf(rows).map((l) => explained?.value(l))).toEqual([
      '邮件中的百度网盘下载链接无法作为申报材料接收，请将其中的文件直接作为邮件附件发送：https://pan.baidu.com/s/1a',
      '邮件中的百度网盘下载链接无法作为申报材料接收，请将其中的文件直接作为邮件附件发送：https://pan.baidu.com/s/1b',
    ]);
  });
});
