/**
 * The dashboard as `shenbao serve` runs it, over the real Redis of the stack: login, CSRF,
 * rate limit, list filters and search, escaping of hostile applicant strings on every page,
 * download headers and bytes, path traversal, exports. (HTTP to the child, not inject: see seed.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { PNG_SIGNATURE } from '../../../src/documents/preview';
import { client, type Client } from './client';
import { HELD_TO, HOSTILE_COMPANY, HOSTILE_FILE, seedStore, type Seeded } from './seed';
import { startServe, type Served } from './serve';

let s: Seeded;
let served: Served;
let c: Client;
const newClient = () => client(served.base);

beforeAll(async () => {
  s = await seedStore('http-dash', { filler: 55, protections: true });
  served = await startServe({ prefix: s.prefix, storage: s.storage });
  c = newClient();
  expect((await c.login()).statusCode).toBe(303);
});

afterAll(async () => {
  expect(await served?.stop()).toBe(0);
  await s?.close();
});

const docUrl = (id: string, sha: string) => `/applications/${id}/documents/${sha}`;

describe('login', () => {
  it('sends strangers to the login form, and lets the right password in', async () => {
    const anon = newClient();
    const res = await anon.get('/');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2F');
    const page = await anon.get('/login');
    expect(page.statusCode).toBe(200);
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect((await anon.login('staff', 'wrong')).headers.location).toMatch(/^\/login\?failed=1/);
    expect((await anon.get('/')).statusCode).toBe(303);
    const ok = await anon.login();
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/');
    expect((await anon.get('/')).statusCode).toBe(200);
  });

  it('refuses a login post without the CSRF token (403)', async () => {
    const anon = newClient();
    await anon.get('/login');
    const res = await anon.post('/login', { user: 'staff', password: 'correct horse' });
    expect(res.statusCode).toBe(403);
  });
});

describe('CSRF', () => {
  it('refuses every action without the token, even when logged in (403), and changes nothing', async () => {
    const res = await c.post(`/applications/${s.yunfan.id}/note`, { text: '无令牌的备注' });
    expect(res.statusCode).toBe(403);
    const page = await c.get(`/applications/${s.yunfan.id}`);
    expect(page.body).not.toContain('无令牌的备注');
  });

  it('refuses a token from another session', async () => {
    const other = newClient();
    await other.login();
    const foreign = other.csrfOf((await other.get('/')).body);
    const res = await c.post(`/applications/${s.yunfan.id}/note`, { _csrf: foreign, text: '外来令牌' });
    expect(res.statusCode).toBe(403);
  });
});

describe('the list', () => {
  it('shows the counts and pages 50 at a time', async () => {
    const res = await c.get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-/);
    expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    expect(res.body).toMatch(/<b>58<\/b>收到/);
    expect(res.body).toMatch(/<b class="ok">1<\/b>齐全/);
    expect(res.body).toMatch(/<b class="bad">1<\/b>处理失败的邮件/);
    expect(res.body).toMatch(/<b class="bad">1<\/b>无法投递/);
    expect(res.body).toContain('第 1 / 2 页');
    expect((res.body.match(/<tr>\s*<td class="nowrap"><a href="\/applications\//g) ?? []).length).toBe(50);
    const page2 = await c.get('/?page=2');
    expect((page2.body.match(/<tr>\s*<td class="nowrap"><a href="\/applications\//g) ?? []).length).toBe(8);
  });

  it('filters by issue code and status, and searches company, contact, product and number', async () => {
    const missing = await c.get('/?issue=TOO_FEW_USER_REPORTS&status=incomplete');
    expect(missing.body).toContain('武汉云帆科技有限公司');
    expect(missing.body).not.toContain('&lt;script&gt;');
    const complete = await c.get('/?status=complete');
    expect(complete.body).toContain('共 <b>1</b> 份');
    expect(complete.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;软件有限公司');
    for (const q of ['云帆', '王芳', '云帆智慧园区', 'sb2023-0002']) {
      const res = await c.get(`/?q=${encodeURIComponent(q)}`);
      expect(res.body).toContain('共 <b>1</b> 份');
      expect(res.body).toContain('SB2023-0002');
    }
    const byDate = await c.get('/?from=2023-07-11&to=2023-07-11');
    expect(byDate.body).toContain('共 <b>1</b> 份');
  });

  it('sorts by company, both ways', async () => {
    const asc = (await c.get('/?sort=company&dir=asc')).body;
    const desc = (await c.get('/?sort=company&dir=desc')).body;
    const firstRow = (html: string) => /<tr>\s*<td class="nowrap"><a href="\/applications\/([^"]+)"/.exec(html)?.[1];
    expect(firstRow(asc)).not.toBe(firstRow(desc));
  });

  it('exports the current filter as CSV (BOM) and xlsx', async () => {
    const csv = await c.get('/export.csv?issue=TOO_FEW_USER_REPORTS');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="[^"]*\.csv"; filename\*=UTF-8''/);
    expect(csv.headers['x-content-type-options']).toBe('nosniff');
    expect(csv.raw.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain('武汉云帆科技有限公司');
    expect(csv.body).not.toContain('填充企业');
    const xlsx = await c.get('/export.xlsx?status=complete');
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    expect(sheet?.rowCount).toBe(2);
    expect(String(sheet?.getRow(2).getCell(2).value)).toBe(HOSTILE_COMPANY);
  });
});

describe('hostile applicant strings', () => {
  const raw = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(2)>', '<b>恶意</b>', '<b>x</b>', '<img src=x onerror=alert(8)>', '<svg/onload=alert(9)>', HELD_TO];
  it.each(['/', '/?status=complete', '/applications/SB2023-0001', '/failed', '/applications/SB2023-0002', '/applications/SB2023-0003', '/applications/SB2023-0100'])('are escaped on %s', async (url) => {
    const res = await c.get(url);
    expect(res.statusCode).toBe(200);
    for (const r of raw) expect(res.body).not.toContain(r);
  });

  it('show as text on the detail page', async () => {
    const body = (await c.get('/applications/SB2023-0001')).body;
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;软件有限公司');
    expect(body).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.pdf');
    expect(body).toContain('&lt;b&gt;恶意&lt;/b&gt;产品');
  });

  it('show a download link to staff as text beside the issue, never as a link (the applicant was told only the service)', async () => {
    const body = (await c.get('/applications/SB2023-0100')).body;
    expect(body).toContain('邮件中的百度网盘下载链接无法作为申报材料接收');
    expect(body).toContain('<code class="link" title="申请人发来的链接（未打开，仅供核对）">https://pan.baidu.com/s/1x&#39;&gt;&lt;svg/onload=alert(9)&gt;</code>');
    expect(body).not.toContain('href="https://pan.baidu.com');
    expect(body).toContain('https://pan.baidu.com/s/1second</code>');
  });

  it('list the same phrase once with its count (two links of one application: ×2)', async () => {
    const list = (await c.get('/?issue=LINK_NOT_ATTACHMENT')).body;
    expect(list.match(/发来下载链接而非附件/g)).toHaveLength(2); // the filter's option, and one tag
    expect(list).toContain('<span class="tag bad">发来下载链接而非附件（×2）</span>');
  });
});

describe('the detail page', () => {
  it('shows the form, every document with kind and result, emails, issues and sent emails', async () => {
    const body = (await c.get(`/applications/${s.yunfan.id}`)).body;
    expect(body).toContain('项目联系人');
    expect(body).toContain('王芳');
    expect(body).toContain('著作权证明');
    expect(body).toContain('用户使用报告不足');
    expect(body).toContain('云帆申报');
    expect(body).toContain('无法投递');
    expect(body).toContain('550 5.1.1 mailbox unavailable');
    expect((await c.get('/applications/SB2023-9999')).statusCode).toBe(404);
  });
});

describe('what the hostile-sender protections decided (issue 8)', () => {
  it('says on the detail page why an email was not answered, with the reason as text, and a reused Message-ID', async () => {
    const body = (await c.get(`/applications/${s.hostile.id}`)).body;
    expect(body).toContain('未回复：发件人是邮件列表：&quot;&lt;img src=x onerror=alert(8)&gt;&quot; 列表');
    expect(body).toContain('该 Message-ID 此前已收到过不同内容的邮件');
    const clean = (await c.get(`/applications/${s.yunfan.id}`)).body;
    expect(clean).not.toContain('未回复：');
    expect(clean).not.toContain('该 Message-ID 此前已收到过');
  });

  it('shows a possible duplicate with a link to the original and a form merging it INTO the original', async () => {
    const body = (await c.get(`/applications/${s.yunfanQq.id}`)).body;
    expect(body).toContain(`可能与 <a href="/applications/${s.yunfan.id}">${s.yunfan.id}</a> 为同一企业（来自该申报未登记的地址）——请核实后合并或保持独立`);
    const form = /<form method="post" action="([^"]+)">\s*<input type="hidden" name="_csrf" value="[^"]+">\s*<input type="hidden" name="other" value="([^"]+)">/.exec(body);
    expect(form?.[1]).toBe(`/applications/${s.yunfan.id}/merge`);
    expect(form?.[2]).toBe(s.yunfanQq.id);
    expect(body).toContain(`并入 ${s.yunfan.id}`);
    // The original's page names the duplicate and prefills its own merge form with it.
    const original = (await c.get(`/applications/${s.yunfan.id}`)).body;
    expect(original).toContain(`可能重复的申报（来自本申报未登记的地址）：<a href="/applications/${s.yunfanQq.id}">${s.yunfanQq.id}</a>`);
    expect(original).toMatch(new RegExp(`action="/applications/${s.yunfan.id}/merge">[\\s\\S]*?name="other" required size="14" placeholder="SB2023-0002" value="${s.yunfanQq.id}"`));
    expect((await c.get(`/applications/${s.hostile.id}`)).body).not.toContain('可能与');
  });

  it('tags the list rows 可能重复 and 未回复, only on those applications', async () => {
    const body = (await c.get('/?sort=id&dir=asc')).body;
    const rowOf = (id: string) => new RegExp(`<tr>\\s*<td class="nowrap"><a href="/applications/${id}">[\\s\\S]*?</tr>`).exec(body)?.[0] ?? '';
    expect(rowOf(s.yunfanQq.id)).toContain('>可能重复</span>');
    expect(rowOf(s.yunfanQq.id)).not.toContain('>未回复</span>');
    expect(rowOf(s.hostile.id)).toContain('>未回复</span>');
    expect(rowOf(s.hostile.id)).not.toContain('>可能重复</span>');
    expect(rowOf(s.yunfan.id)).not.toMatch(/>(可能重复|未回复)<\/span>/);
    expect(rowOf(s.yunfan.id)).not.toBe('');
  });

  it('counts the held-back emails and lists them on the failed page (recipient, kind, limit, retry time in Beijing)', async () => {
    const list = (await c.get('/')).body;
    expect(list).toMatch(/<a class="count" href="\/failed#held"><b class="warn">1<\/b>暂缓发送 <small>held<\/small><\/a>/);
    const failed = (await c.get('/failed')).body;
    const held = /<table class="held">([\s\S]*?)<\/table>/.exec(failed)?.[1] ?? '';
    expect(held).toContain(`<a href="/applications/${s.yunfan.id}">${s.yunfan.id}</a>`);
    expect(held).toContain('<td>补充材料通知</td><td>&lt;b&gt;held&lt;/b&gt;@limit.test</td><td>同一收件人每小时上限</td>');
    expect(held).toContain('<td class="nowrap">2023-07-12 10:00</td><td class="nowrap">2023-07-12 11:00</td>');
  });

  it('puts both in the exported report (CSV)', async () => {
    const csv = (await c.get('/export.csv?sort=id&dir=asc')).body;
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/,可能重复,未自动回复$/);
    expect(lines.find((l) => l.startsWith(s.yunfanQq.id))).toMatch(new RegExp(`,可能与 ${s.yunfan.id} 重复,$`));
    expect(lines.find((l) => l.startsWith(s.hostile.id))).toMatch(/,,1 封来信未自动回复$/);
  });
});

describe('downloads', () => {
  it('give a document as an attachment with a safe name, the right type and nosniff', async () => {
    const res = await c.get(docUrl(s.hostile.id, s.hostile.documents.find((d) => d.file === '软件著作权登记证书.pdf')?.sha256 ?? ''));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''%E8%BD%AF/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.raw.equals(s.bytes.proof)).toBe(true);
  });

  it('take an archive member out of its zip, and clean a hostile file name', async () => {
    const member = s.hostile.documents.find((d) => d.file.startsWith('报告.zip/'));
    const res = await c.get(docUrl(s.hostile.id, member?.sha256 ?? ''));
    expect(res.statusCode).toBe(200);
    expect(res.raw.equals(s.bytes.member)).toBe(true);
    const hostile = await c.get(docUrl(s.hostile.id, s.hostile.documents.find((d) => d.file === HOSTILE_FILE)?.sha256 ?? ''));
    expect(hostile.statusCode).toBe(200);
    const disposition = String(hostile.headers['content-disposition']);
    expect(disposition).not.toMatch(/[<>]/);
    expect(disposition).toMatch(/^attachment; filename="_/);
  });

  it('preview a PDF as a PNG of its page (rendered once, kept under STORAGE_DIR/previews), sandboxed', async () => {
    const proof = s.hostile.documents.find((d) => d.file === '软件著作权登记证书.pdf');
    const url = `${docUrl(s.hostile.id, proof?.sha256 ?? '')}/preview`;
    const t0 = Date.now();
    const res = await c.get(url);
    const first = Date.now() - t0;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.raw.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR: width and height, the longer side capped at 1200 px.
    const [w, h] = [res.raw.readUInt32BE(16), res.raw.readUInt32BE(20)];
    expect(Math.max(w, h)).toBeLessThanOrEqual(1200);
    expect(Math.min(w, h)).toBeGreaterThan(300);
    expect(res.headers['content-disposition']).toMatch(/^inline; /);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const cached = path.join(s.storage, 'previews', `${proof?.sha256}-p1.png`);
    expect(fs.readFileSync(cached).equals(res.raw)).toBe(true);
    const t1 = Date.now();
    const again = await c.get(url);
    expect(again.raw.equals(res.raw)).toBe(true);
    process.stderr.write(`preview: first render ${first} ms, cached ${Date.now() - t1} ms\n`);
    // The one-page PDF has no page 2; a page that is no number is refused.
    const p2 = await c.get(`${url}?page=2`);
    expect(p2.statusCode).toBe(404);
    expect(p2.headers['x-shenbao-preview']).toBe('none; reason=no-page');
    for (const bad of ['0', '-1', 'abc', '9999', '1e2', '../1']) expect((await c.get(`${url}?page=${encodeURIComponent(bad)}`)).statusCode).toBe(400);
  });

  it('say "no preview" (not 500) for a broken PDF, and for what is not a JPEG/PNG by its bytes', async () => {
    const broken = s.hostile.documents.find((d) => d.file === '用户使用报告1.pdf');
    const res = await c.get(`${docUrl(s.hostile.id, broken?.sha256 ?? '')}/preview`);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['x-shenbao-preview']).toBe('none; reason=unreadable');
    expect(res.body).toContain('无预览');
    expect(res.body).toContain('不能预览，请下载查看');
    expect(res.body).not.toMatch(/<script|onload|href=/i);
    // The page offers the download of it all the same.
    expect((await c.get(docUrl(s.hostile.id, broken?.sha256 ?? ''))).statusCode).toBe(200);
    const docx = s.hostile.documents.find((d) => d.file.endsWith('.docx'));
    const word = await c.get(`${docUrl(s.hostile.id, docx?.sha256 ?? '')}/preview`);
    expect(word.statusCode).toBe(415);
    expect(word.headers['x-shenbao-preview']).toBe('none; reason=format');
  });

  it('show a JPEG only after its bytes say JPEG, typed by the bytes', async () => {
    const scan = s.hostile.documents.find((d) => d.file === '登记表盖章.jpg');
    const res = await c.get(`${docUrl(s.hostile.id, scan?.sha256 ?? '')}/preview`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
    expect(res.raw.equals(s.bytes.scan)).toBe(true);
    // 云帆's "盖章.jpg" is not a JPEG by its bytes: no preview (and its raw email is not kept).
    const fake = s.yunfan.documents.find((d) => d.file === '盖章.jpg');
    const no = await c.get(`${docUrl(s.yunfan.id, fake?.sha256 ?? '')}/preview`);
    expect(no.statusCode).toBe(404);
    expect(no.headers['x-shenbao-preview']).toBe('none; reason=not-kept');
  });

  it('never hand out a cached preview through another application or a sha256 it does not list', async () => {
    const proof = s.hostile.documents.find((d) => d.file === '软件著作权登记证书.pdf');
    await c.get(`${docUrl(s.hostile.id, proof?.sha256 ?? '')}/preview`);
    for (const url of [
      `${docUrl(s.yunfan.id, proof?.sha256 ?? '')}/preview`,
      `/applications/${s.hostile.id}/documents/${proof?.sha256}-p1.png/preview`,
      `/applications/${s.hostile.id}/documents/..%2Fpreviews%2F${proof?.sha256}-p1.png/preview`,
      `/applications/${s.hostile.id}/documents/${proof?.sha256}/preview?page=..%2F..%2Fetc%2Fpasswd`,
    ]) {
      const res = await c.get(url);
      expect([400, 404]).toContain(res.statusCode);
      expect(res.headers['content-type']).not.toBe('image/png');
    }
  });

  it('give the raw .eml', async () => {
    const res = await c.get(`/applications/${s.hostile.id}/emails/${s.rawSha256}.eml`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('message/rfc822');
    expect(res.headers['content-disposition']).toMatch(/^attachment; /);
    expect(res.raw.equals(s.raw)).toBe(true);
  });

  it('never follow a path a request names', async () => {
    const urls = [
      '/applications/x/documents/../../etc/passwd',
      '/applications/SB2023-0001/documents/..%2F..%2F..%2Fetc%2Fpasswd',
      `/applications/..%2F..%2Fetc/documents/${s.rawSha256}`,
      `/applications/SB2023-0001/emails/..%2F..%2F${s.rawSha256}.eml`,
      '/applications/SB2023-0001/emails/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/../package.json',
      '/assets/..%2F..%2Fpackage.json',
      // A sha256 the application does not list: even a real raw file is not handed out as a document.
      docUrl(s.yunfan.id, s.rawSha256),
    ];
    for (const url of urls) {
      const res = await c.get(url);
      expect([400, 404]).toContain(res.statusCode);
      expect(res.body).not.toContain('"name": "shenbao"');
      expect(res.body).not.toContain('root:');
    }
  });
});
