/**
 * Staff actions through the dashboard's forms (real `shenbao serve`, real Redis): waive an
 * issue and see the application complete, merge two applications, the audit trail, the
 * federation package (unzipped with yauzl: names and bytes).
 */
import fs from 'node:fs';
import http from 'node:http';
import yauzl from 'yauzl';
import { SentLog } from '../../../src/store/sent-log';
import { client, type Client } from './client';
import { seedStore, type Seeded } from './seed';
import { startServe, type Served } from './serve';

let s: Seeded;
let served: Served;
let c: Client;

beforeAll(async () => {
  s = await seedStore('http-actions');
  served = await startServe({ prefix: s.prefix, storage: s.storage });
  c = client(served.base);
  expect((await c.login()).statusCode).toBe(303);
});

afterAll(async () => {
  expect(await served?.stop()).toBe(0);
  await s?.close();
});

async function act(path: string, form: Record<string, string>): Promise<string> {
  const page = await c.get(path.replace(/\/[a-z-]+$/, ''));
  const res = await c.post(path, { _csrf: c.csrfOf(page.body), ...form });
  expect(res.statusCode).toBe(303);
  return String(res.headers.location);
}

function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (d: Buffer) => chunks.push(d));
          stream.on('end', () => { out.set(entry.fileName, Buffer.concat(chunks)); zip.readEntry(); });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}

it('a refusal comes back as a Chinese flash message and changes nothing', async () => {
  const back = await act(`/applications/${s.yunfan.id}/waive`, { code: 'TOO_FEW_USER_REPORTS', reason: '' });
  expect(back).toBe(`/applications/${s.yunfan.id}`);
  const page = (await c.get(back)).body;
  expect(page).toContain('class="flash error">请填写原因');
  expect(page).toContain('材料不全');
  // At a glance: what arrived per kind, and what is still owed.
  const received = /<ul class="received">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? '';
  expect(received).toMatch(/<li class="ok"><span class="label">登记表（电子版）<\/span> <b class="count">✓<\/b>/);
  expect(received).toMatch(/<li class="ok"><span class="label">盖章扫描件<\/span> <b class="count">✓<\/b>/);
  expect(received).toMatch(/<li class="ok"><span class="label">著作权证明<\/span> <b class="count">1\/1<\/b>/);
  expect(received).toMatch(/<li class="missing"><span class="label">用户使用报告<\/span> <b class="count">0\/3<\/b> <span class="note">还缺 3 份<\/span>/);
});

it('waiving the missing user reports completes 云帆, with the audit trail saying who and why', async () => {
  await act(`/applications/${s.yunfan.id}/waive`, { code: 'TOO_FEW_USER_REPORTS', file: '', path: '', reason: '2 份用户报告即可（主任同意）' });
  const page = (await c.get(`/applications/${s.yunfan.id}`)).body;
  expect(page).toContain('class="flash ok">已豁免该问题；申报现已材料齐全');
  expect(page).toMatch(/<h1>[^<]*<\/h1>\s*<p class="status-line">\s*<span class="badge ok">材料齐全<\/span>/);
  expect(page).toMatch(/<li class="waived"><span class="label">用户使用报告<\/span> <b class="count">0\/3<\/b> <span class="note">已豁免/);
  expect(page).toContain('豁免问题');
  // The audit trail in words, with the structured detail kept for IT under 技术细节.
  expect(page).toContain('豁免“用户使用报告不足”；理由：2 份用户报告即可（主任同意）；申报变为材料齐全，将发送 1 封邮件。');
  expect(page).toMatch(/<details class="tech"><summary>技术细节<\/summary><pre class="text">\{\n {2}&quot;code&quot;: &quot;TOO_FEW_USER_REPORTS&quot;/);
  const trail = /<table class="audit">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  expect(trail.replace(/<details[\s\S]*?<\/details>/g, '')).not.toContain('&quot;');
  expect(trail).toMatch(/<td class="nowrap">2023-07-18 10:\d\d<\/td><td>staff<\/td>/);
  // The flash shows once.
  expect((await c.get(`/applications/${s.yunfan.id}`)).body).not.toContain('class="flash ok"');
  // The list sees it at once (the cache is invalidated by the action).
  expect((await c.get('/?status=complete')).body).toContain('共 <b>2</b> 份');
});

it('merging the QQ-address application into 云帆 leaves a pointer page', async () => {
  await act(`/applications/${s.yunfan.id}/merge`, { other: s.yunfanQq.id, reason: '同一企业用个人 QQ 邮箱发送' });
  const target = (await c.get(`/applications/${s.yunfan.id}`)).body;
  expect(target).toContain('已合并');
  expect(target).toContain('补充用户报告');
  expect(target).toContain('合并申报');
  expect(target).toContain(`合并 ${s.yunfanQq.id} 到本申报，带来 1 封邮件、3 份文件；理由：同一企业用个人 QQ 邮箱发送`);
  expect((await c.get(`/applications/${s.yunfanQq.id}`)).statusCode).toBe(200);
  const pointer = (await c.get(`/applications/${s.yunfanQq.id}`)).body;
  expect(pointer).toContain(`此申报已合并到 <a href="/applications/${s.yunfan.id}">${s.yunfan.id}</a>`);
  const list = (await c.get('/')).body;
  expect(list).not.toContain(`/applications/${s.yunfanQq.id}"`);
});

it('a note is kept and shown escaped', async () => {
  await act(`/applications/${s.hostile.id}/note`, { text: '电话确认 <i>ok</i>' });
  const page = (await c.get(`/applications/${s.hostile.id}`)).body;
  expect(page).toContain('电话确认 &lt;i&gt;ok&lt;/i&gt;');
});

it('the federation package holds one folder per complete application, renamed, with the summary', async () => {
  const res = await c.get('/federation.zip');
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/zip');
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.zip"; filename\*=UTF-8''/);
  const files = await unzip(res.raw);
  const names = [...files.keys()].sort();
  const hostileFolder = '_script_alert(1)__script_软件有限公司';
  expect(names).toEqual([
    '申报汇总.xlsx',
    `${hostileFolder}/${hostileFolder}-其他材料1.pdf`,
    `${hostileFolder}/${hostileFolder}-用户使用报告1.pdf`,
    `${hostileFolder}/${hostileFolder}-用户使用报告2.pdf`,
    `${hostileFolder}/${hostileFolder}-用户使用报告3.pdf`,
    `${hostileFolder}/${hostileFolder}-登记表.docx`,
    `${hostileFolder}/${hostileFolder}-盖章扫描件.jpg`,
    `${hostileFolder}/${hostileFolder}-著作权证明1.pdf`,
    // 云帆's records carry no raw .eml (seeded as records written before raw mail was kept): a note says so.
    '武汉云帆科技有限公司/缺少原件.txt',
  ].sort());
  expect(files.get('武汉云帆科技有限公司/缺少原件.txt')?.toString()).toContain('云帆用户报告1.pdf');
  // eslint-disable-next-line no-control-regex
  for (const n of names) expect(n).not.toMatch(/[<>:"\\|?*\u0000-\u001f]/);
  expect(files.get(`${hostileFolder}/${hostileFolder}-著作权证明1.pdf`)?.equals(s.bytes.proof)).toBe(true);
  expect(files.get(`${hostileFolder}/${hostileFolder}-用户使用报告3.pdf`)?.equals(s.bytes.member)).toBe(true);
  expect(files.get('申报汇总.xlsx')?.subarray(0, 2).toString()).toBe('PK');
});

it('a federation download the browser abandons leaves no open file behind and serve keeps answering', async () => {
  const fds = () => fs.readdirSync(`/proc/${served.child.pid}/fd`).length;
  const before = fds();
  const url = new URL(served.base);
  const cookie = (await c.get('/')).statusCode === 200 ? c.cookieHeader() : '';
  await new Promise<void>((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: '/federation.zip', headers: { cookie } }, (res) => {
      expect(res.statusCode).toBe(200);
      res.once('data', () => { req.destroy(); resolve(); });
    });
    req.on('error', (e) => (req.destroyed ? resolve() : reject(e)));
  });
  await new Promise((r) => setTimeout(r, 500));
  expect((await c.get('/')).statusCode).toBe(200);
  expect(fds()).toBeLessThanOrEqual(before + 1);
});

it('a suppressed email is stamped with shenbao\'s clock (--now), as every other record of the run is', async () => {
  const page = await c.get('/applications/SB2023-0002');
  const key = 'SB2023-0002:followUp:2023-07-19';
  const res = await c.post('/sent/suppress', { _csrf: c.csrfOf(page.body), key, reason: '企业已电话告知', back: '/applications/SB2023-0002' });
  expect(res.statusCode).toBe(303);
  const record = await new SentLog(s.redis).get(key);
  // --now sets the clock, which then runs on: the record is stamped minutes after it, not today.
  const start = Date.parse('2023-07-18T10:00:00+08:00');
  expect(record?.state).toBe('suppressed');
  expect(record?.updatedAt).toBeGreaterThanOrEqual(start);
  expect(record?.updatedAt).toBeLessThan(start + 600_000);
  expect(record?.createdAt).toBe(record?.updatedAt);
});
