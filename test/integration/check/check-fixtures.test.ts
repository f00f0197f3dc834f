/**
 * `shenbao check` on every fixture email, compared with the verdict a careful staff
 * member wrote by hand into its .expected.json (fixtures/make-emails.py made the emails
 * with Python's email package; the verdicts are not derived from shenbao's output).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const dir = path.join(root, 'fixtures/emails');
const names = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();

interface Expected {
  from: { address: string } | null;
  automatic: { reason: string } | null;
  verdict: { complete: boolean; issueCodes: string[]; deadline: string };
}
interface CheckOutput {
  from: string | null;
  automatic: { reason: string } | null;
  issues: { code: string; message: string }[];
  complete: boolean;
  deadline: { status: string };
  documents: unknown[];
}

async function check(file: string): Promise<CheckOutput> {
  const { stdout } = await run('node', ['bin/shenbao.js', 'check', file, '--compact', '--now', '2023-07-25T12:00:00+08:00'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return JSON.parse(stdout) as CheckOutput;
}

describe('shenbao check on the fixture emails', () => {
  it('has at least 30 fixture emails', () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
  });

  it.each(names)('%s: the verdict staff would reach', async (name) => {
    const expected = JSON.parse(readFileSync(path.join(dir, name.replace(/\.eml$/, '.expected.json')), 'utf8')) as Expected;
    const out = await check(path.join(dir, name));
    const codes = [...new Set(out.issues.map((i) => i.code))].sort();
    expect({ complete: out.complete, issueCodes: codes, deadline: out.deadline.status }).toEqual({
      ...expected.verdict,
      issueCodes: [...new Set(expected.verdict.issueCodes)].sort(),
    });
    expect(out.automatic === null).toBe(expected.automatic === null);
    expect(out.from).toBe(expected.from?.address.toLowerCase() ?? null);
    for (const i of out.issues) expect(i.message).toMatch(/[\u4e00-\u9fff]/);
  }, 180_000);
});

describe('shenbao check usage', () => {
  it('exits 2 without a file and 2 on a malformed --received', async () => {
    await expect(run('node', ['bin/shenbao.js', 'check'], { cwd: root })).rejects.toMatchObject({ code: 2 });
    const bad = run('node', ['bin/shenbao.js', 'check', path.join(dir, names[0] ?? ''), '--received', 'yesterday'], { cwd: root });
    await expect(bad).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--received') });
  });

  it('exits 2 with one line naming a bad campaign setting', async () => {
    const env = { ...process.env, CAMPAIGN_FILE: path.join(root, 'package.json') };
    const bad = run('node', ['bin/shenbao.js', 'check', path.join(dir, names[0] ?? '')], { cwd: root, env });
    const err = (await bad.catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toContain('campaign file');
  });

  it('--received decides the deadline: 23:59:59 on the 20th is on time, midnight is late', async () => {
    const file = path.join(dir, names[0] ?? '');
    const at = async (iso: string) =>
      JSON.parse((await run('node', ['bin/shenbao.js', 'check', file, '--compact', '--received', iso], { cwd: root, maxBuffer: 64 << 20 })).stdout) as CheckOutput;
    expect((await at('2023-07-20T23:59:59+08:00')).deadline.status).toBe('onTime');
    expect((await at('2023-07-20T16:00:00Z')).deadline.status).toBe('late');
    expect((await at('2023-08-01T00:00:00+08:00')).deadline.status).toBe('closed');
  }, 120_000);
});
