import { extensionOf, safeFileName, uniqueIn } from '../../../src/http/safe-names';
import { packageFiles } from '../../../src/http/federation';
import type { Judged } from '../../../src/domain/application';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { loadCampaign } from '../../../src/config/campaign';
import { completeDocuments, doc, email, form } from '../rules/helpers';

describe('safeFileName', () => {
  it.each([
    ['"><img src=x onerror=alert(1)>.pdf', '___img src=x onerror=alert(1)_.pdf'],
    ['a<b>c:d"e/f\\g|h?i*j.docx', 'a_b_c_d_e_f_g_h_i_j.docx'],
    ['报告\u0000\u001f\u202e.pdf', '报告___.pdf'],
    ['名称. . .', '名称'],
    ['trailing space .pdf ', 'trailing space.pdf'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['COM1.pdf', '_COM1.pdf'],
    ['LPT9', '_LPT9'],
    ['NUL.tar.gz', '_NUL.tar.gz'],
    ['CONSOLE.pdf', 'CONSOLE.pdf'],
    ['', '未命名'],
    ['...', '未命名'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('keeps at most 100 characters, the extension kept, never splitting a surrogate pair', () => {
    const long = `${'软'.repeat(150)}.pdf`;
    const out = safeFileName(long);
    expect(Array.from(out)).toHaveLength(100);
    expect(out.endsWith('.pdf')).toBe(true);
    const emoji = safeFileName(`${'😀'.repeat(120)}.pdf`);
    expect(emoji.endsWith('😀.pdf')).toBe(true);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('finds extensions and keeps names unique in a folder', () => {
    expect(extensionOf('a.zip/inner/x.DOCX')).toBe('.docx');
    expect(extensionOf('noext')).toBe('');
    const used = new Set<string>();
    expect([uniqueIn(used, 'a.pdf'), uniqueIn(used, 'A.pdf'), uniqueIn(used, 'a.pdf')]).toEqual(['a.pdf', 'A (2).pdf', 'a (3).pdf']);
  });
});

describe('packageFiles (federation package plan)', () => {
  const campaign = loadCampaign();
  const judged = (docs = completeDocuments(), raw: string | null = 'ab'.repeat(32), companyName?: string): Judged => {
    const rawSha256 = raw ?? undefined;
    const f = companyName ? form(undefined, {}, { name: companyName }) : form();
    const documents = docs.map((d) => (d.kind === 'registrationForm' && d.form ? { ...d, form: f } : d));
    const app = foldEmail(newApplication('SB2023-0001', new Date('2023-07-10T10:00:00+08:00')), email('2023-07-10T10:00:00+08:00', documents, { rawSha256 }), campaign);
    return { app, verdict: judge(app, campaign) };
  };

  it('renames by kind (staff view), numbers proofs and reports, keeps the extension, stores compressed formats', () => {
    const j = judged();
    expect(j.verdict.complete).toBe(true);
    const { files, notes } = packageFiles([j]);
    expect(notes).toEqual([]);
    expect(files.map((f) => f.path)).toEqual([
      '武汉星云软件有限公司/武汉星云软件有限公司-登记表.docx',
      '武汉星云软件有限公司/武汉星云软件有限公司-盖章扫描件.jpg',
      '武汉星云软件有限公司/武汉星云软件有限公司-著作权证明1.pdf',
      '武汉星云软件有限公司/武汉星云软件有限公司-用户使用报告1.pdf',
      '武汉星云软件有限公司/武汉星云软件有限公司-用户使用报告2.pdf',
      '武汉星云软件有限公司/武汉星云软件有限公司-用户使用报告3.pdf',
    ]);
    expect(files.every((f) => f.compress === false)).toBe(true);
  });

  it('leaves out incomplete applications, and notes documents whose raw email is not kept', () => {
    const incomplete = judged(completeDocuments().slice(0, 3));
    expect(packageFiles([incomplete]).files).toEqual([]);
    const { files, notes } = packageFiles([judged(completeDocuments(), null)]);
    expect(files).toEqual([]);
    expect(notes[0]?.path).toBe('武汉星云软件有限公司/缺少原件.txt');
    expect(notes[0]?.text).toContain('用户使用报告1.pdf');
  });

  it('makes a hostile company name a safe folder and file name', () => {
    const { files } = packageFiles([judged(completeDocuments(), 'cd'.repeat(32), 'CON')]);
    expect(files[0]?.path).toBe('_CON/_CON-登记表.docx');
    const hostile = packageFiles([judged([...completeDocuments(), doc('x', 'other')], 'cd'.repeat(32), '<a>/../..\\x')]).files;
    for (const f of hostile) expect(f.path.split('/')).toHaveLength(2);
    expect(hostile.at(-1)?.path).toMatch(/-其他材料1\.docx$/);
  });
});
