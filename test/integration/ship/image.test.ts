/**
 * The image without a Docker engine: the Dockerfile linted (dockerfilelint; hadolint is in
 * neither Debian nor npm), every path it COPYs present in the build context and not excluded by
 * .dockerignore, and the run stage's layout rebuilt in a temp folder the way the Dockerfile
 * builds it — `npm ci --omit=dev --ignore-scripts` from the lock file, the built dist/src and
 * dist/workers (what the build stage compiles), then each COPY of the run stage — from which
 * the real entry `node bin/shenbao.js` answers --help, parses a .docx and a text PDF, judges an
 * email, and loads the worker's and the dashboard's code. compose.yaml is validated with
 * Debian's docker-compose (no engine needed), and shenbao.env.example loads as settings.
 *
 * The production node_modules is cached by the lock file's hash under the temp folder (hard
 * links into each layout), so only the first run on a machine downloads (~20-40 s here).
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { loadConfig, COMMAND_NEEDS } from '../../../src/config/env';

jest.setTimeout(240_000);
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');

interface Instruction {
  line: number;
  op: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buf = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (buf === '' && (line === '' || line.startsWith('#'))) return;
    if (buf === '') start = i + 1;
    if (line.startsWith('#')) return; // a comment inside a continued RUN
    buf += `${line.replace(/\\$/, '')} `;
    if (!line.endsWith('\\')) {
      const [op = '', ...rest] = buf.trim().split(/\s+/);
      out.push({ line: start, op: op.toUpperCase(), args: rest.join(' ') });
      buf = '';
    }
  });
  return out;
}

interface Copy {
  line: number;
  from: string | null;
  sources: string[];
  dest: string;
}

function copies(ins: Instruction[]): { stage: number; copy: Copy }[] {
  let stage = -1;
  const out: { stage: number; copy: Copy }[] = [];
  for (const i of ins) {
    if (i.op === 'FROM') stage += 1;
    if (i.op !== 'COPY' && i.op !== 'ADD') continue;
    const words = i.args.split(/\s+/);
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length) ?? null;
    out.push({ stage, copy: { line: i.line, from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] ?? '' } });
  }
  return out;
}

/** .dockerignore as simple patterns (what this repo uses: names, globs, `!` exceptions). */
function ignored(rel: string, patterns: string[]): boolean {
  let out = false;
  for (const p of patterns) {
    const negate = p.startsWith('!');
    const pat = negate ? p.slice(1) : p;
    const re = new RegExp(`^${pat.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
    if (re.test(rel)) out = !negate;
  }
  return out;
}

const dockerfile = read('Dockerfile');
const ins = instructions(dockerfile);
const allCopies = copies(ins);
const lastStage = ins.filter((i) => i.op === 'FROM').length - 1;

describe('Dockerfile', () => {
  it('passes dockerfilelint with every rule on, and the linter does find faults', async () => {
    const bin = path.join(ROOT, 'node_modules/.bin/dockerfilelint');
    const { stdout } = await run(bin, ['-j', path.join(ROOT, 'Dockerfile')]);
    expect((JSON.parse(stdout) as { totalIssues: number }).totalIssues).toBe(0);
    const bad = await run(bin, ['-j', 'FROM node\nRUN apt-get install curl\nexpose 80000']).catch((e: { stdout: string }) => e);
    expect((JSON.parse(bad.stdout) as { totalIssues: number }).totalIssues).toBeGreaterThanOrEqual(3);
  });

  it('is multi-stage on Node 22 LTS, runs as a non-root user under tini, with a HEALTHCHECK and OCR behind WITH_OCR', () => {
    const froms = ins.filter((i) => i.op === 'FROM').map((i) => i.args);
    expect(froms).toEqual(['node:22-bookworm-slim AS build', 'node:22-bookworm-slim']);
    const lastFrom = ins.map((i) => i.op).lastIndexOf('FROM');
    const stage = ins.slice(lastFrom);
    expect(stage.find((i) => i.op === 'USER')?.args).toBe('node');
    expect(stage.find((i) => i.op === 'HEALTHCHECK')?.args).toContain('docker/healthcheck.js');
    expect(stage.find((i) => i.op === 'ENTRYPOINT')?.args).toBe('["/usr/bin/tini", "--", "bin/shenbao"]');
    const apt = stage.find((i) => i.op === 'RUN' && i.args.includes('apt-get install'))?.args ?? '';
    expect(apt).toContain('poppler-utils');
    expect(apt).toMatch(/if \[ "\$WITH_OCR" = "1" \]; then pkgs="\$pkgs tesseract-ocr tesseract-ocr-chi-sim imagemagick"/);
    expect(ins.map((i) => i.args).join('\n')).not.toMatch(/libreoffice|soffice/i); // instructions, not comments
    expect(stage.find((i) => i.op === 'RUN' && i.args.includes('npm ci'))?.args).toContain('--omit=dev');
  });

  it('copies only paths that exist in the build context and that .dockerignore lets through', () => {
    const patterns = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const fromContext = allCopies.filter((c) => c.copy.from === null).flatMap((c) => c.copy.sources.map((s) => ({ line: c.copy.line, s })));
    expect(fromContext.length).toBeGreaterThan(8);
    for (const { line, s } of fromContext) {
      expect({ line, s, exists: fs.existsSync(path.join(ROOT, s)) }).toEqual({ line, s, exists: true });
      expect({ line, s, ignored: ignored(s.replace(/^\.\//, ''), patterns) }).toEqual({ line, s, ignored: false });
    }
    // Secrets and local data stay out of the context.
    for (const p of ['shenbao.env', 'node_modules', '.git', 'dist', 'data']) expect(ignored(p, patterns)).toBe(true);
    expect(ignored('shenbao.env.example', patterns)).toBe(false);
  });

  it('builds exactly the service in its build stage (src and workers), which the run stage takes as dist/', () => {
    const tsconfig = /printf '%s\\n' '(\{.*\})' > tsconfig\.image\.json/.exec(dockerfile)?.[1];
    expect(JSON.parse(tsconfig ?? 'null')).toMatchObject({ extends: './tsconfig.json', include: ['src/**/*.ts', 'workers/**/*.ts'] });
    const fromBuild = allCopies.filter((c) => c.copy.from === 'build');
    expect(fromBuild.map((c) => [c.stage, c.copy.sources, c.copy.dest])).toEqual([[lastStage, ['/src/dist'], './dist']]);
  });
});

describe('the run stage layout, rebuilt in a temp folder', () => {
  let app: string;
  const node = (args: string[], timeoutMs = 60_000) => spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', timeout: timeoutMs, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir() } });
  const entry = (args: string[]) => spawnSync(path.join(app, 'bin/shenbao'), args, { cwd: app, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir() } });

  beforeAll(async () => {
    for (const d of ['dist/src/cli/main.js', 'dist/workers/index.js']) {
      if (!fs.existsSync(path.join(ROOT, d))) throw new Error(`${d} missing: run npm run build first`);
    }
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-image-'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(app, 'package.json'));
    fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(app, 'package-lock.json'));
    await productionModules(app);
    for (const { stage, copy } of allCopies) {
      if (stage !== lastStage) continue;
      const dest = path.join(app, copy.dest);
      for (const s of copy.sources) {
        if (copy.from === 'build') {
          // The build stage's /src/dist: what `npm run build` compiled from src and workers.
          for (const part of ['src', 'workers']) fs.cpSync(path.join(ROOT, 'dist', part), path.join(dest, part), { recursive: true, filter: (f) => !f.endsWith('.map') });
        } else if (s === 'package.json' || s === 'package-lock.json') {
          continue; // in place already, before npm ci
        } else {
          fs.cpSync(path.join(ROOT, s), copy.sources.length > 1 ? path.join(dest, path.basename(s)) : dest, { recursive: true });
        }
      }
    }
  }, 240_000);
  afterAll(() => {
    if (app) fs.rmSync(app, { recursive: true, force: true });
  });

  it('holds production dependencies only', () => {
    for (const dev of ['typescript', 'jest', 'eslint', 'ts-jest', 'playwright-core', 'smtp-server', 'dockerfilelint']) expect(fs.existsSync(path.join(app, 'node_modules', dev))).toBe(false);
    for (const dep of ['bullmq', 'imapflow', 'fastify', 'prom-client', 'pdfjs-dist']) expect(fs.existsSync(path.join(app, 'node_modules', dep, 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'test'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'dist/scripts'))).toBe(false);
  });

  it('runs the real entry (the ENTRYPOINT launcher bin/shenbao): --help, worker --help (with --http-port)', () => {
    const help = entry(['--help']);
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/worker/);
    const worker = entry(['worker', '--help']);
    expect(worker.status).toBe(0);
    expect(worker.stdout).toContain('--http-port');
  });

  it('the launcher gives only the worker its smaller-heap flags and two malloc arenas', () => {
    const probe = "process.stdout.write(JSON.stringify({ argv: process.execArgv, arenas: process.env.MALLOC_ARENA_MAX ?? null }))";
    // The launcher runs bin/shenbao.js next to it: a stand-in that reports how node was started.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-launcher-'));
    try {
      fs.copyFileSync(path.join(app, 'bin/shenbao'), path.join(dir, 'shenbao'));
      fs.chmodSync(path.join(dir, 'shenbao'), 0o755);
      fs.writeFileSync(path.join(dir, 'shenbao.js'), probe);
      const run = (args: string[]) => JSON.parse(spawnSync(path.join(dir, 'shenbao'), args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }).stdout) as unknown;
      expect(run(['worker', '--now', 'x'])).toEqual({ argv: ['--optimize-for-size', '--max-semi-space-size=2'], arenas: '2' });
      expect(run(['report', 'worker'])).toEqual({ argv: [], arenas: null });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a .docx and a text PDF (reader processes, pdf.js CMaps from node_modules) and judges an email with the shipped campaign', () => {
    const docx = path.join(ROOT, 'fixtures/documents/forms/core-form.docx');
    const pdf = path.join(ROOT, 'fixtures/documents/forms/core-form.pdf');
    const parsed = node(['bin/shenbao.js', 'parse', docx, pdf], 120_000);
    expect(parsed.status).toBe(0);
    const records = JSON.parse(parsed.stdout) as { kind: string; form?: { company?: { name?: string } } }[];
    expect(records.map((r) => r.kind)).toEqual(['registrationForm', 'registrationForm']);
    const expected = JSON.parse(read('fixtures/documents/forms/core-form.pdf.expected.json')) as { form?: { company?: { name?: string } } };
    expect(records[1]?.form?.company?.name).toBe(expected.form?.company?.name);

    const checked = node(['bin/shenbao.js', 'check', path.join(ROOT, 'fixtures/emails/01-complete-one-email.eml')], 120_000);
    expect(checked.status).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ complete: true, deadline: { status: 'onTime' } });
  });

  it('loads the worker\'s and the dashboard\'s code, finds the templates, and the health check says "no server" with exit 1', () => {
    const load = node(['-e', [
      "require('./dist/workers/index.js');",
      "require('./dist/src/cli/commands/serve-run.js');",
      "const dir = require('./dist/src/http/paths.js').httpSourceDir();",
      "const fs = require('node:fs');",
      "process.stdout.write(JSON.stringify({ dir, views: fs.existsSync(dir + '/views/layout.eta'), css: fs.existsSync(dir + '/assets/dashboard.css') }));",
    ].join(' ')]);
    expect(load.status).toBe(0);
    expect(JSON.parse(load.stdout)).toEqual({ dir: path.join(fs.realpathSync(app), 'src/http'), views: true, css: true });
    const hc = spawnSync(process.execPath, ['docker/healthcheck.js'], { cwd: app, encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH ?? '', WORKER_HTTP_PORT: '9', HTTP_PORT: '9' } });
    expect(hc.status).toBe(1);
  });
});

/** node_modules as `npm ci --omit=dev --ignore-scripts` makes it, cached per lock file and hard-linked in. */
async function productionModules(app: string): Promise<void> {
  const lock = fs.readFileSync(path.join(app, 'package-lock.json'));
  const cache = path.join(os.tmpdir(), 'shenbao-image-deps', createHash('sha256').update(lock).digest('hex').slice(0, 16));
  if (!fs.existsSync(path.join(cache, 'done'))) {
    const work = `${cache}.${process.pid}`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    fs.copyFileSync(path.join(app, 'package.json'), path.join(work, 'package.json'));
    fs.copyFileSync(path.join(app, 'package-lock.json'), path.join(work, 'package-lock.json'));
    const started = Date.now();
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: work, maxBuffer: 16 * 1024 * 1024 });
    process.stderr.write(`image layout: npm ci --omit=dev took ${((Date.now() - started) / 1000).toFixed(1)} s (cached as ${cache})\n`);
    fs.writeFileSync(path.join(work, 'done'), '');
    fs.rmSync(cache, { recursive: true, force: true });
    fs.renameSync(work, cache);
  }
  // Hard links: a 250 MB tree in a second or two; a copy where links are not possible.
  const linked = spawnSync('cp', ['-al', path.join(cache, 'node_modules'), path.join(app, 'node_modules')]);
  if (linked.status !== 0) fs.cpSync(path.join(cache, 'node_modules'), path.join(app, 'node_modules'), { recursive: true });
}

describe('compose.yaml', () => {
  it('validates with docker-compose config -q, also with the dev profile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-compose-'));
    try {
      fs.copyFileSync(path.join(ROOT, 'compose.yaml'), path.join(dir, 'compose.yaml'));
      fs.copyFileSync(path.join(ROOT, 'shenbao.env.example'), path.join(dir, 'shenbao.env'));
      const env = { PATH: process.env.PATH ?? '', HOME: dir };
      await run('docker-compose', ['-f', 'compose.yaml', 'config', '-q'], { cwd: dir, env });
      await run('docker-compose', ['-f', 'compose.yaml', '--profile', 'dev', 'config', '-q'], { cwd: dir, env });
      const { stdout } = await run('docker-compose', ['-f', 'compose.yaml', 'config'], { cwd: dir, env });
      const resolved = parseYaml(stdout) as { services: Record<string, { profiles?: string[]; environment?: Record<string, string> }> };
      expect(Object.keys(resolved.services).sort()).toEqual(['dashboard', 'mail', 'redis', 'worker']);
      expect(resolved.services.mail?.profiles).toEqual(['dev']);
      expect(resolved.services.redis?.profiles).toBeUndefined();
      // env_file and environment merged: compose's own settings win over the file's.
      expect(resolved.services.worker?.environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', IMAP_HOST: 'mail', WORKER_HTTP_PORT: '9464' });
      expect(resolved.services.dashboard?.environment).toMatchObject({ HTTP_HOST: '0.0.0.0', DASHBOARD_PASSWORD: '' });
      // And it can fail: a file with a typo'd key is refused.
      fs.writeFileSync(path.join(dir, 'compose.yaml'), read('compose.yaml').replace('stop_grace_period:', 'stop_grace_periods:'));
      await expect(run('docker-compose', ['-f', 'compose.yaml', 'config', '-q'], { cwd: dir, env })).rejects.toThrow(/stop_grace_periods/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the worker scalable, Redis durable, the dashboard behind a password, and the file store shared', () => {
    const text = read('compose.yaml');
    const worker = /\n {2}worker:\n([\s\S]*?)\n {2}\w+:\n/.exec(text)?.[1] ?? '';
    expect(worker).not.toMatch(/container_name|ports:/); // --scale worker=3 needs neither
    expect(text).toMatch(/"--appendonly", "yes"/);
    expect(text).toMatch(/"--maxmemory-policy", "noeviction"/);
    expect(text).toMatch(/HTTP_HOST: 0\.0\.0\.0/);
    expect(text).toMatch(/- shenbao-data:\/data/);
    expect(read('.gitignore').split('\n')).toContain('shenbao.env');
  });
});

describe('shenbao.env.example', () => {
  it('loads as the worker\'s settings; the dashboard password is left for the operator to set', () => {
    const env: Record<string, string> = {};
    for (const line of read('shenbao.env.example').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m?.[1]) env[m[1]] = m[2] ?? '';
    }
    const config = loadConfig(env, { require: COMMAND_NEEDS.worker, cwd: '/data' });
    expect(config.imap).toMatchObject({ host: 'mail', port: 3143, secure: false, mailbox: 'INBOX' });
    expect(config.mailFrom).toEqual({ name: '武汉软协 申报受理', address: 'intake@shenbao.test' });
    expect([env.DASHBOARD_USER, env.DASHBOARD_PASSWORD]).toEqual(['', '']);
    expect(config.http.dashboard).toBeNull(); // so `serve` on 0.0.0.0 refuses to start until both are set
    expect(loadConfig({ ...env, DASHBOARD_USER: 'staff', DASHBOARD_PASSWORD: 'long passphrase' }).http.dashboard).toEqual({ user: 'staff', password: 'long passphrase' });
  });
});
