/**
 * A reply that carries an application number joins that application when its sender is an
 * address the application knows (here the form's contact email), and not otherwise: the
 * same number from a stranger starts an application of its own (rules.md).
 */
import { composeEmail } from '../../../scripts/demo';
import { at, openCase, subjects, type Case } from './harness';

jest.setTimeout(150_000);

let c: Case;
afterAll(async () => c && c.close());

test('a numbered reply joins its application only from a known address', async () => {
  c = openCase('numbered-reply');
  const number = `${c.loopId}-0001`;
  try {
    await c.append([
      {
        raw: await composeEmail({
          from: '"李娜" <lina@guanggu-tech.cn>',
          subject: '申报优秀软件产品-武汉光谷数智科技有限公司',
          text: '附件为登记表、著作权证书和一份用户使用报告。',
          files: ['forms/f25-guanggu-company.docx', 'other/copyright-certificate-guanggu.docx'],
          messageId: '<first@guanggu-tech.cn>',
        }),
        at: at('2023-07-14T15:30:00+08:00'),
      },
    ]);
    const worker = c.startWorker('2023-07-15T10:00:00+08:00');
    await c.observer.settle(1, 90_000);

    // The form names zhaomin@ggsz.com.cn as its contact: that address is known to the application.
    await c.append([
      {
        raw: await composeEmail({
          from: '"赵敏" <zhaomin@ggsz.com.cn>',
          subject: `Re: 申报优秀软件产品-武汉光谷数智科技有限公司 [${number}]`,
          text: '补充用户使用报告。',
          files: ['other/user-report-guanggu-1.pdf'],
          messageId: '<reply@ggsz.com.cn>',
          headers: { 'In-Reply-To': '<first@guanggu-tech.cn>' },
        }),
        at: at('2023-07-15T11:00:00+08:00'),
      },
      {
        raw: await composeEmail({
          from: 'someone@elsewhere.example.cn',
          subject: `[${number}] 补充材料`,
          text: '附件为用户使用报告。',
          files: ['other/core-user-report-1.docx'],
          messageId: '<stranger@elsewhere.example.cn>',
        }),
        at: at('2023-07-15T11:05:00+08:00'),
      },
    ]);
    await c.observer.settle(3, 90_000);

    const apps = await c.observer.apps.all();
    const joined = apps.find((a) => a.id === number);
    expect(joined?.emails.map((e) => e.messageId)).toEqual(['<first@guanggu-tech.cn>', '<reply@ggsz.com.cn>']);
    expect(joined?.documents.filter((d) => d.kind === 'userReport')).toHaveLength(1);
    const other = apps.filter((a) => a.id !== number);
    expect(other).toHaveLength(1);
    expect(other[0]?.emails.map((e) => e.messageId)).toEqual(['<stranger@elsewhere.example.cn>']);
    expect(other[0]?.addresses).toEqual(['someone@elsewhere.example.cn']);

    const receipts = (await c.sent()).filter((m) => (m.mail.subject ?? '').startsWith('Re: '));
    const to = (addr: string) => subjects(receipts.filter((m) => m.envelope.rcptTo.includes(addr)));
    expect(to('zhaomin@ggsz.com.cn')).toEqual([expect.stringContaining(`[${number}]`)]);
    expect(to('someone@elsewhere.example.cn')).toEqual([expect.stringContaining(`[${c.loopId}-0002]`)]);
    expect(await worker.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
