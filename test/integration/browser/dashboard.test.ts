/**
 * The dashboard in real Chromium, used as a staff member would, on applications the real
 * worker built from real emails (Dovecot → worker → Redis; `shenbao serve` on top; the
 * worker still running, so what staff actions queue reaches the SMTP sink):
 *
 *   log in → filter by an issue code → open 武汉云帆 → merge the reports it sent from a
 *   personal QQ address → complete; open the company whose name is markup → waive the
 *   missing report with a reason → complete; download the federation package and check it.
 *
 * No markup from an applicant may run: any dialog opening fails the test. Screenshots are
 * kept in the test's output folder (TEST_OUTPUT_DIR, set by scripts/test.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Page } from 'playwright-core';
import yauzl from 'yauzl';
import { fixtureEmail, FIXTURE_DOCUMENTS } from '../../../scripts/demo';
import { at, openCase, type Case } from '../e2e/harness';
import { startServe, type Served } from '../http/serve';
import { launchChromium, outputDir, type Browser } from './chromium';

jest.setTimeout(240_000);

const USER = 'staff';
const PASSWORD = 'correct horse battery staple';
const HOSTILE_COMPANY = '<script>alert(1)</script>恶意软件有限公司';
const YUNFAN = '武汉云帆软件有限公司';

let c: Case;
let serve: Served | null = null;
let browser: Browser | null = null;
const out = outputDir('dashboard');

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await c?.close();
});

function compose(opts: { from: string; subject: string; messageId: string; files: [string, string][] }): Promise<Buffer> {
  const mail = new MailComposer({
    from: opts.from,
    to: 'intake@assoc.test',
    subject: opts.subject,
    text: '您好，附件是申报材料，请查收。',
    messageId: opts.messageId,
    attachments: opts.files.map(([file, name]) => ({ filename: name, content: fs.readFileSync(path.join(FIXTURE_DOCUMENTS, file)) })),
  });
  return mail.compile().build();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
}

function zipEntries(file: string): Promise<{ name: string; size: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      const names: { name: string; size: number }[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        names.push({ name: e.fileName, size: e.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test('staff find, merge, waive and download in Chromium; no applicant markup runs', async () => {
  c = openCase('browser');
  await c.append([
    { raw: fixtureEmail('02-split-1of3.eml'), at: at('2023-07-12T10:05:00+08:00') },
    { raw: fixtureEmail('03-split-2of3.eml'), at: at('2023-07-13T11:20:00+08:00') },
    {
      raw: await compose({
        from: '李四 <88886666@qq.com>', subject: '用户使用报告补充', messageId: '<qq-reports.1@qq.com>',
        files: [['other/core-user-report-2.pdf', '用户使用报告2.pdf'], ['other/core-user-report-3.docx', '用户使用报告3.docx']],
      }),
      at: at('2023-07-14T09:45:00+08:00'),
    },
    {
      raw: await compose({
        from: '"<img src=x onerror=alert(9)>" <admin@evil-corp.cn>', subject: "<script>alert('subject')</script>申报材料", messageId: '<hostile.1@evil-corp.cn>',
        files: [
          ['forms/f26-hostile-company-name.docx', '附件2：优秀软件产品登记表.docx'],
          ['other/core-stamped-scan.pdf', '优秀软件产品登记表（盖章扫描件）.pdf'],
          ['other/core-copyright-certificate.pdf', '软件著作权登记证书.pdf'],
          ['other/core-user-report-1.docx', '用户使用报告1.docx'],
          ['other/core-user-report-2.pdf', '"><img src=x onerror=alert(2)>用户使用报告2.pdf'],
        ],
      }),
      at: at('2023-07-15T16:00:00+08:00'),
    },
  ]);
  c.startWorker('2023-07-16T10:00:00+08:00');
  try {
    await c.observer.settle(4, 150_000);
    const apps = await c.observer.apps.all();
    const byCompany = (name: string | null) => apps.find((a) => a.companyName === name);
    const yunfan = byCompany(YUNFAN);
    const hostile = byCompany(HOSTILE_COMPANY);
    const qq = apps.find((a) => a.addresses.includes('88886666@qq.com'));
    expect([yunfan, hostile, qq].every(Boolean)).toBe(true);
    if (!yunfan || !hostile || !qq) return;
    const before = (await c.sent()).length;

    serve = await startServe({
      prefix: c.prefix, storage: path.join(c.dir, 'storage'), now: '2023-07-16T10:30:00+08:00',
      env: { DASHBOARD_USER: USER, DASHBOARD_PASSWORD: PASSWORD, CAMPAIGN_FILE: path.join(c.dir, 'campaign.yaml') },
    });
    const { base } = serve;
    browser = await launchChromium(out);
    const page = await browser.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    // Log in.
    await page.goto(`${base}/`);
    expect(page.url()).toContain('/login');
    await page.fill('input[name="user"]', USER);
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type="submit"]')]);
    await shot(page, '1-list');
    expect(await page.textContent('h1')).toContain('申报列表');

    // Which companies are still missing user reports?
    await page.selectOption('select[name="issue"]', 'TOO_FEW_USER_REPORTS');
    await Promise.all([page.waitForURL(/issue=TOO_FEW_USER_REPORTS/), page.click('form.filters button[type="submit"]')]);
    await shot(page, '2-filtered');
    const listed = await page.locator('table.list tbody tr').allTextContents();
    // 云帆 (1 of 3), the markup company (2 of 3), and the QQ address's reports with no form yet (2 of 3).
    expect(listed).toHaveLength(3);
    expect(listed.some((t) => t.includes(YUNFAN))).toBe(true);
    expect(listed.some((t) => t.includes(qq.id))).toBe(true);
    expect(listed.some((t) => t.includes(HOSTILE_COMPANY))).toBe(true); // shown as text, not run

    // Is 武汉云帆 complete, and if not, why? Then merge the reports sent from the QQ address.
    await Promise.all([page.waitForURL(`${base}/applications/${yunfan.id}`), page.click(`a[href="/applications/${encodeURIComponent(yunfan.id)}"]`)]);
    expect(await page.textContent('body')).toContain('材料不全');
    expect(await page.textContent('body')).toContain('用户使用报告');
    // At a glance: the heading's badge, then what arrived per kind (1 of 3 reports from 云帆's own address).
    expect(await page.textContent('.status-line .badge')).toMatch(/^材料不全（\d+ 项待补）$/);
    const received = (await page.locator('ul.received li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(received).toContainEqual(expect.stringMatching(/^登记表（电子版） ✓/));
    expect(received).toContainEqual(expect.stringMatching(/^盖章扫描件 ✓/));
    expect(received).toContainEqual(expect.stringMatching(/^著作权证明 1\/1/));
    expect(received).toContainEqual(expect.stringMatching(/^用户使用报告 1\/3 还缺 2 份/));
    await shot(page, '2b-detail-incomplete');
    await page.click('summary:has-text("合并另一份申报到本申报")');
    await page.fill('form[action$="/merge"] input[name="other"]', qq.id);
    await page.fill('form[action$="/merge"] input[name="reason"]', '同一企业用个人 QQ 邮箱补发的用户报告');
    await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/merge"] button[type="submit"]')]);
    await page.waitForURL(`${base}/applications/${yunfan.id}`);
    // Every preview is a picture Chromium decoded (a PDF page rendered to PNG), not an empty box.
    const thumbs = page.locator('.doc .thumb img');
    expect(await thumbs.count()).toBeGreaterThanOrEqual(2);
    for (const img of await thumbs.all()) await img.scrollIntoViewIfNeeded();
    // Asked of each element (CDP callFunctionOn): a string predicate would be eval'd in the page, which the CSP forbids.
    const decoded = async () => (await Promise.all((await thumbs.all()).map((img) => img.evaluate((i: { complete: boolean; naturalWidth: number }) => i.complete && i.naturalWidth > 100)))).every(Boolean);
    for (const until = Date.now() + 30_000; !(await decoded()); ) {
      if (Date.now() > until) throw new Error('thumbnails were not decoded within 30 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const img of await thumbs.all()) {
      const box = await img.boundingBox();
      expect(box?.width ?? 0).toBeLessThanOrEqual(200);
      expect(box?.height ?? 0).toBeLessThanOrEqual(260);
      expect(box?.height ?? 0).toBeGreaterThan(50);
    }
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, '3-merged');
    const merged = (await page.textContent('body')) ?? '';
    expect(merged).toContain('材料齐全');
    expect(merged).toContain('用户使用报告3.docx');
    expect(merged).toContain('同一企业用个人 QQ 邮箱补发的用户报告'); // the audit trail says why
    const trail = (await page.locator('table.audit tbody tr, table.audit tr').last().innerText()).replace(/\s+/g, ' ');
    expect(trail).toMatch(new RegExp(`^2023-07-16 10:\\d\\d staff 合并申报 合并 ${qq.id} 到本申报`));
    expect(await page.locator('table.audit details.tech').first().getAttribute('open')).toBeNull();
    expect(await page.textContent('ul.received')).toMatch(/用户使用报告\s*3\/3/);

    // The company named with markup: waive the missing report.
    await page.goto(`${base}/applications/${hostile.id}`);
    const hostilePage = (await page.textContent('body')) ?? '';
    expect(hostilePage).toContain(HOSTILE_COMPANY);
    expect(hostilePage).toContain("<script>alert('subject')</script>申报材料");
    expect(hostilePage).toContain('"><img src=x onerror=alert(2)>用户使用报告2.pdf');
    const waiveRow = page.locator('tr').filter({ has: page.locator('input[name="code"][value="TOO_FEW_USER_REPORTS"]') });
    await waiveRow.locator('summary:has-text("豁免")').click();
    const waive = waiveRow.locator('form[action$="/waive"]');
    await waive.locator('input[name="reason"]').fill('经核实，2 份用户报告即可');
    await Promise.all([page.waitForLoadState('load'), waive.locator('button[type="submit"]').click()]);
    await page.waitForURL(`${base}/applications/${hostile.id}`);
    await shot(page, '4-waived');
    const waived = (await page.textContent('body')) ?? '';
    expect(waived).toContain('材料齐全');
    expect(waived).toContain('经核实，2 份用户报告即可');

    // Both complete now: the list says so.
    await page.goto(`${base}/?status=complete`);
    expect(await page.locator('table.list tbody tr').count()).toBe(2);

    // The federation package: one folder per complete application, files renamed, summary workbook.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href="/federation.zip"]')]);
    const zipFile = path.join(out, 'federation.zip');
    await download.saveAs(zipFile);
    const entries = await zipEntries(zipFile);
    fs.writeFileSync(path.join(out, 'federation-entries.txt'), entries.map((e) => `${e.size}\t${e.name}`).join('\n'));
    const names = entries.map((e) => e.name);
    expect(names.some((n) => /申报汇总\.xlsx$/.test(n))).toBe(true);
    expect(names).toContainEqual(expect.stringMatching(new RegExp(`${YUNFAN}/${YUNFAN}-登记表\\.docx$`)));
    for (const i of [1, 2, 3]) expect(names).toContainEqual(expect.stringMatching(new RegExp(`${YUNFAN}-用户使用报告${i}\\.(pdf|docx)$`)));
    expect(names).toContainEqual(expect.stringMatching(new RegExp(`${YUNFAN}-著作权证明1\\.pdf$`)));
    expect(names.filter((n) => n.includes('恶意软件有限公司')).length).toBeGreaterThanOrEqual(4);
    for (const n of names) {
      expect(n).not.toMatch(/[<>:"\\|?*]/);
      expect([...n].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
    }
    expect(entries.every((e) => e.size > 0 || e.name.endsWith('/'))).toBe(true);

    // Each completion was told once, through the outbox the worker drains.
    const until = Date.now() + 30_000;
    let notices: string[] = [];
    while (Date.now() < until) {
      notices = (await c.sent()).slice(before).map((m) => m.mail.subject ?? '').filter((s) => s.includes('材料齐全'));
      if (notices.length >= 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(notices).toHaveLength(2);
    expect(notices.filter((s) => s.includes(`[${yunfan.id}]`))).toHaveLength(1);
    expect(notices.filter((s) => s.includes(`[${hostile.id}]`))).toHaveLength(1);

    expect(dialogs).toEqual([]);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
