/**
 * `shenbao report` end to end: applications and sent records seeded into the stack's Redis
 * (real rules, real store), the built CLI run for every format, its output read back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Redis } from 'ioredis';
import { loadCampaign } from '../../../src/config/campaign';
import { emptyOverlay } from '../../../src/domain/staff';
import { IntakeLog } from '../../../src/store/intake-log';
import { createRedis } from '../../../src/store/redis';
import { cleanPrefix, stackEnv, uniquePrefix } from '../helpers/stack';
import { compiledPath, runCli } from '../helpers/child';
import { doc, foldApp, form, product, writeApps, writeSent } from './seed';

// Each run starts the built CLI (about a second on this machine).
jest.setTimeout(60_000);
const campaign = loadCampaign();
const prefix = uniquePrefix('report-cli');
let redis: Redis;
let dir: string;

interface Run { code: number | null; stdout: Buffer; stderr: string }

function report(args: string[], env: Record<string, string> = {}): Promise<Run> {
  compiledPath('src/cli/commands/report.ts');
  return runCli(['report', '--redis-prefix', prefix, '--now', '2023-07-21T10:00:00+08:00', ...args], { ...process.env, REDIS_URL: stackEnv().redisUrl, ...env })
    .then((r) => ({ code: r.code, stdout: r.stdoutBytes, stderr: r.stderr }));
}

const HOSTILE = '=HYPERLINK("http://x","a")<script>alert(1)</script>\u202E';
// One product: its certificate and reports count for it (cross-checks.md §3; two products would owe two certificates and six reports).
const full = (company: string, email: string, n: number) => [
  doc(`${n}/登记表.docx`, 'registrationForm', { form: form(company, { name: '张三', phone: '027-87654321', email }, [product('云帆智能客服', 'ai')]) }),
  doc(`${n}/登记表盖章.jpg`, 'registrationForm', { textLayer: false, format: 'image' }),
  doc(`${n}/著作权证书.pdf`, 'copyrightProof'),
];
const reports = (n: number, k: number) => Array.from({ length: k }, (_, i) => doc(`${n}/用户使用报告${i + 1}.pdf`, 'userReport'));

beforeAll(async () => {
  redis = createRedis({ redis: { url: stackEnv().redisUrl } }, { prefix });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-report-'));
  const a = foldApp('SB2023-0001', [
    { at: '2023-07-10T17:25:00+08:00', from: 'zhang@yunfan.com.cn', documents: full('武汉云帆科技有限公司', 'zhang@yunfan.com.cn', 1) },
    { at: '2023-07-12T09:00:00+08:00', from: 'zhang@yunfan.com.cn', documents: reports(1, 3) },
  ], campaign);
  a.staff = { ...emptyOverlay(), corrections: [{ path: 'company.contact.phone', value: '13900001111', by: 'wang', at: '2023-07-13T01:00:00Z', reason: '电话核实' }], notes: [{ by: 'wang', at: '2023-07-13T01:00:00Z', text: '材料已核对' }] };
  const b = foldApp('SB2023-0002', [{ at: '2023-07-15T10:00:00+08:00', from: 'evil@qq.com', documents: [...full(HOSTILE, 'evil@qq.com', 2), ...reports(2, 1)] }], campaign);
  const c = foldApp('SB2023-0003', [{ at: '2023-07-25T10:00:00+08:00', from: 'late@163.com', documents: full('湖北长江信息有限公司', 'late@163.com', 3) }], campaign);
  const merged = { ...foldApp('SB2023-0004', [{ at: '2023-07-11T10:00:00+08:00', from: 'zhang@qq.com', documents: reports(4, 1) }], campaign), mergedInto: 'SB2023-0001' };
  await writeApps(redis, [a, b, c, merged]);
  const t = (iso: string) => Date.parse(iso);
  await writeSent(redis, [
    { key: 'SB2023-0001:receipt:aaa', kind: 'receipt', to: 'zhang@yunfan.com.cn', at: t('2023-07-10T09:25:10Z'), outcome: 'sent', text: '回执正文'.repeat(100) },
    { key: 'SB2023-0001:receipt:bbb', kind: 'receipt', to: 'zhang@yunfan.com.cn', at: t('2023-07-12T01:00:10Z'), outcome: 'sent' },
    { key: 'SB2023-0002:receipt:ccc', kind: 'receipt', to: 'evil@qq.com', at: t('2023-07-15T02:00:10Z'), outcome: 'sent' },
    { key: 'SB2023-0002:reminder:2023-07-20-3d', kind: 'reminder', to: 'evil@qq.com', at: t('2023-07-17T01:00:00Z'), outcome: 'sent' },
    { key: 'SB2023-0002:followUp:2023-07-16', kind: 'followUp', to: 'evil@qq.com', at: t('2023-07-16T01:00:00Z'), outcome: 'failed' },
    { key: 'SB2023-0003:receipt:ddd', kind: 'lateNotice', to: 'late@163.com', at: t('2023-07-25T02:00:10Z'), outcome: 'claimed' },
    { key: 'staff:digest:2023-07-17', kind: 'digest', to: 'staff@assoc.test', at: t('2023-07-17T01:00:00Z'), outcome: 'sent' },
  ]);
  await new IntakeLog(redis).markFailed({ ref: { mailbox: 'INBOX', uidValidity: '1', uid: 9 }, messageId: '<broken@qq.com>', sha256: null, error: 'document reader crashed', attempts: 5, at: '2023-07-16T02:00:00.000Z' });
});

afterAll(async () => {
  redis.disconnect();
  await cleanPrefix(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('shenbao report', () => {
  it('json: the spec shape, staff corrections, sent emails, failed mails; merged apps left out; nothing on stderr', async () => {
    const r = await report(['--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout.toString()) as { generatedAt: string; campaign: string; count: number; applications: Array<Record<string, unknown>>; failedMails: unknown[] };
    expect(doc.generatedAt.startsWith('2023-07-21T02:00')).toBe(true);
    expect(doc.campaign).toBe(campaign.name);
    expect(doc.count).toBe(3);
    expect(doc.applications.map((a) => a.number)).toEqual(['SB2023-0001', 'SB2023-0002', 'SB2023-0003']);
    const [a, b, c] = doc.applications;
    expect(a).toMatchObject({
      company: '武汉云帆科技有限公司', contact: { name: '张三', phone: '13900001111', email: 'zhang@yunfan.com.cn' }, complete: true, completeZh: '材料齐全',
      deadline: { status: 'onTime' }, firstArrival: '2023-07-10T09:25:00.000Z', emailsSent: 2, lastReceiptAt: '2023-07-12T01:00:10.000Z', notes: ['材料已核对'], userReports: 3, documentCount: 6,
    });
    expect((a?.products as unknown[])[0]).toEqual({ name: '云帆智能客服', category: 'ai', categoryZh: '人工智能类软件', releaseDate: '2022-05-01' });
    expect(b).toMatchObject({ company: '=HYPERLINK("http://x","a")<script>alert(1)</script>', complete: false, lastReminderAt: '2023-07-17T01:00:00.000Z', failedSends: 1 });
    expect(b?.issues).toEqual([expect.objectContaining({ code: 'TOO_FEW_USER_REPORTS', severity: 'error', product: '云帆智能客服', phrase: '“云帆智能客服”用户使用报告不足（1/3）' })]);
    expect((b?.sent as Array<{ status: string }>).map((s) => s.status).sort()).toEqual(['failed', 'sent', 'sent']);
    expect(c).toMatchObject({ deadline: { status: 'late' }, deadlineZh: '逾期', sent: [expect.objectContaining({ kind: 'late', outboxKind: 'lateNotice', status: 'held' })] });
    expect(doc.failedMails).toEqual([expect.objectContaining({ messageId: '<broken@qq.com>', reason: 'document reader crashed' })]);
  });

  it('filters: --status and --issue', async () => {
    const ids = async (args: string[]) => (JSON.parse((await report(args)).stdout.toString()) as { applications: { number: string }[] }).applications.map((a) => a.number);
    expect(await ids(['--status', 'incomplete'])).toEqual(['SB2023-0002', 'SB2023-0003']);
    expect(await ids(['--status', 'incomplete', 'onTime'])).toEqual(['SB2023-0002']);
    expect(await ids(['--status', 'complete,late'])).toEqual([]);
    expect(await ids(['--issue', 'TOO_FEW_USER_REPORTS'])).toEqual(['SB2023-0002', 'SB2023-0003']);
    expect(await ids(['--q', '武汉云帆'])).toEqual(['SB2023-0001']);
  });

  it('csv: BOM, formula neutralised, bidi override stripped, Beijing times', async () => {
    const r = await report(['--format', 'csv']);
    expect(r.code).toBe(0);
    const text = r.stdout.toString('utf8');
    expect(text.startsWith('\uFEFF申报编号,企业名称')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(5);
    expect(text).toContain('SB2023-0002,"\'=HYPERLINK(""http://x"",""a"")<script>alert(1)</script>"');
    expect(text).not.toContain('\u202E');
    expect(text).toContain('2023-07-10 17:25');
  });

  it('html to a file: escaped, self-contained', async () => {
    const out = path.join(dir, '报表.html');
    const r = await report(['--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('申报总数：<strong>3</strong>');
  });

  it('xlsx to a pipe and to a file: three sheets, cells, Beijing dates, frozen header, auto-filter', async () => {
    const piped = await report(['--format', 'xlsx']);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    const out = path.join(dir, 'report.xlsx');
    expect((await report(['--out', out])).code).toBe(0);
    for (const bytes of [piped.stdout, fs.readFileSync(out)]) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['申报汇总', '产品', '待补问题']);
      const ws = wb.worksheets[0] as ExcelJS.Worksheet;
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      const cell = (row: number, name: string) => ws.getRow(row).getCell(header.indexOf(name) + 1);
      expect(ws.rowCount).toBe(4);
      expect(cell(2, '企业名称').value).toBe('武汉云帆科技有限公司');
      expect(cell(2, '联系电话').value).toBe('13900001111');
      expect((cell(2, '首次来件时间').value as Date).toISOString()).toBe('2023-07-10T17:25:00.000Z');
      expect(cell(3, '企业名称').value).toBe('=HYPERLINK("http://x","a")<script>alert(1)</script>');
      expect(cell(3, '企业名称').formula).toBeUndefined();
      expect(cell(3, '待补问题').value).toBe('“云帆智能客服”用户使用报告不足（1/3）');
      expect(cell(4, '截止状态').value).toBe('逾期');
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toMatch(/^A1:[A-Z]+1$/);
      expect((wb.worksheets[1] as ExcelJS.Worksheet).rowCount).toBe(1 + 3); // one product per application
      expect((wb.worksheets[2] as ExcelJS.Worksheet).rowCount).toBe(1 + 2);
    }
  });

  it('usage errors exit 2 with one line naming the value; an unreachable Redis exits 1 with one line', async () => {
    const bad = await report(['--status', 'pending']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringContaining('"pending"')]);
    const code = await report(['--issue', 'MISSING_EVERYTHING']);
    expect(code.code).toBe(2);
    expect(code.stderr).toContain('"MISSING_EVERYTHING"');
    expect(code.stdout.length).toBe(0);
    const down = await report([], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toContain('REDIS_URL');
    const unwritable = await report(['--out', path.join(dir, 'no/such/dir/r.csv')]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain('ENOENT');
  });
});
