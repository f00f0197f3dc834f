/**
 * A 25 MB attachment (made here by Python's email package, not committed): `check` must
 * answer with a record for it and stay under 300 MB of memory (issue 3).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

const MAKE = `
import os, sys
from email.message import EmailMessage
m = EmailMessage()
m['From'] = '张伟 <zhangwei@yunfan-soft.cn>'
m['To'] = 'intake@assoc.test'
m['Subject'] = '申报材料（含产品演示视频）'
m['Message-ID'] = '<large-25mb@yunfan-soft.cn>'
m['Date'] = 'Tue, 18 Jul 2023 10:00:00 +0800'
m['Received'] = 'from mx.yunfan-soft.cn by mx.assoc.test; Tue, 18 Jul 2023 10:00:05 +0800'
m.set_content('附件为产品演示视频和登记表。')
with open(sys.argv[2], 'rb') as f:
    m.add_attachment(f.read(), maintype='application', subtype='vnd.openxmlformats-officedocument.wordprocessingml.document', filename='优秀软件产品登记表.docx')
m.add_attachment(os.urandom(25 * 1024 * 1024), maintype='video', subtype='mp4', filename='产品演示视频.mp4')
with open(sys.argv[1], 'wb') as f:
    f.write(bytes(m))
`;

describe('a 25 MB email', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shenbao-large-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is judged with a record per attachment, peak memory under 300 MB', () => {
    const eml = path.join(dir, 'large.eml');
    execFileSync('python3', ['-c', MAKE, eml, path.join(root, 'fixtures/documents/forms/core-form.docx')]);
    expect(statSync(eml).size).toBeGreaterThan(25 * 1024 * 1024);
    // Run the CLI in-process of a wrapper that reports the peak resident set size at exit.
    const wrapper = `require('./dist/src/cli/main.js').main(${JSON.stringify(['check', eml, '--compact'])}).then((c) => {
      process.stderr.write('MAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'); process.exitCode = c; });`;
    const out = spawnSync('node', ['-e', wrapper], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 });
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout) as { documents: { file: string; kind: string; error: { code: string } | null }[] };
    const byName = new Map(result.documents.map((d) => [d.file, d]));
    expect(byName.get('优秀软件产品登记表.docx')?.kind).toBe('registrationForm');
    expect(byName.get('产品演示视频.mp4')?.error?.code).toBe('UNSUPPORTED_FORMAT');
    const kb = Number(/MAXRSS_KB (\d+)/.exec(out.stderr)?.[1]);
    process.stderr.write(`25 MB email: peak RSS ${(kb / 1024).toFixed(0)} MB\n`);
    expect(kb / 1024).toBeLessThan(300);
  }, 180_000);
});
