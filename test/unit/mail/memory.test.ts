/**
 * A 25 MB attachment (about 34 MB of base64) is read with memory growth under 300 MB.
 * The email is made at test time by Python's `email` package (not committed).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEmail } from '../../../src/mail/read-email';

const SIZE = 25 * 1024 * 1024;
const LIMIT = 300 * 1024 * 1024;

const MAKE = `
import sys, hashlib
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.mime.application import MIMEApplication
import email.policy
size = int(sys.argv[2])
block = hashlib.sha256(b'shenbao').digest() * 2048          # 64 KiB of incompressible-looking bytes
data = (block * (size // len(block) + 1))[:size]
m = MIMEMultipart('mixed')
m['From'] = 'zhangwei@yunfan-soft.cn'
m['To'] = 'shenbao@wsia.org.cn'
m['Subject'] = '=?utf-8?B?5aSn6ZmE5Lu2?='
m['Message-ID'] = '<big.25mb@yunfan-soft.cn>'
m.attach(MIMEText('申报材料（大附件）', 'plain', 'utf-8'))
a = MIMEApplication(data, 'zip')
a.add_header('Content-Disposition', 'attachment', filename=('utf-8', '', '申报材料.zip'))
m.attach(a)
open(sys.argv[1], 'wb').write(m.as_bytes(policy=email.policy.compat32.clone(linesep='\\r\\n')))
print(hashlib.sha256(data).hexdigest())
`;

describe('memory', () => {
  let dir = '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads a 25 MB attachment email with under 300 MB of growth', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shenbao-mail-'));
    const file = join(dir, 'big.eml');
    const made = spawnSync('python3', ['-c', MAKE, file, String(SIZE)], { encoding: 'utf8' });
    expect(made.status).toBe(0);
    const sha = made.stdout.trim();
    const raw = readFileSync(file);
    expect(raw.length).toBeGreaterThan(SIZE * 1.3);

    global.gc?.();
    const before = process.memoryUsage();
    const footprint = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.external;
    let peak = footprint(before);
    let peakRss = before.rss;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, footprint(now));
      peakRss = Math.max(peakRss, now.rss);
    }, 5);
    const started = Date.now();
    const email = await readEmail(raw);
    clearInterval(sampler);
    const after = process.memoryUsage();
    peak = Math.max(peak, footprint(after));
    peakRss = Math.max(peakRss, after.rss);

    expect(email.subject).toBe('大附件');
    expect(email.attachments.map((a) => [a.filename, a.size])).toEqual([['申报材料.zip', SIZE]]);
    expect(createHash('sha256').update(email.attachments[0]?.content ?? Buffer.alloc(0)).digest('hex')).toBe(sha);
    const growth = peak - footprint(before);
    const rssGrowth = peakRss - before.rss;
    // Measured figures for the report (stderr, not asserted beyond the limit).
    process.stderr.write(
      `25 MB email: ${raw.length} bytes raw, read in ${Date.now() - started} ms, ` +
        `heap+external growth ${(growth / 2 ** 20).toFixed(1)} MB, rss growth ${(rssGrowth / 2 ** 20).toFixed(1)} MB\n`,
    );
    expect(growth).toBeLessThan(LIMIT);
    expect(rssGrowth).toBeLessThan(LIMIT);
  }, 120_000);
});
