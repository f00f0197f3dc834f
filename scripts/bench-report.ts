/**
 * `npm run bench:report` (with the stack's REDIS_URL): seeds 5,000 realistic applications
 * (3 products, several issues, 2–3 emails each, sent records with their texts) under a unique
 * prefix, then times `shenbao report --format xlsx` end to end as a child process (wall time
 * and peak RSS from /usr/bin/time, else /proc polling), and the pure phases in this process
 * (load, judgeAll, reportRows, xlsx write). Target: ≤ 3 s and ≤ 300 MB RSS. Cleans up after.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadCampaign } from '../src/config/campaign';
import { loadConfig } from '../src/config/env';
import { reportRows, writeXlsx } from '../src/report';
import { judgeAll } from '../src/rules/judge';
import { createRedis, dropPrefix } from '../src/store/redis';
import { loadReportSource } from '../src/store/report-source';
import { seedRealistic } from '../test/integration/report/seed';

const N = Number(process.env.BENCH_APPS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// dist/scripts/ → the project's root.
const ROOT = path.resolve(__dirname, '../..');
const TIME = '/usr/bin/time';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface ChildRun { wallMs: number; peakRssKb: number; cpuS: number | null; code: number | null; stderr: string }

/** Runs the CLI; peak RSS from GNU time's %M when present, else the highest VmHWM seen in /proc. */
function runReport(prefix: string, out: string): Promise<ChildRun> {
  const cli = [path.join(ROOT, 'bin/shenbao.js'), 'report', '--format', 'xlsx', '--out', out, '--redis-prefix', prefix];
  const timeFile = path.join(os.tmpdir(), `bench-report-time-${process.pid}`);
  const useTime = fs.existsSync(TIME);
  const [cmd, args] = useTime ? [TIME, ['-f', '%M %U %S', '-o', timeFile, process.execPath, ...cli]] : [process.execPath, cli];
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let hwm = 0;
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const poll = useTime ? null : setInterval(() => {
    const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (m) hwm = Math.max(hwm, Number(m[1]));
  }, 20);
  return new Promise((resolve) => child.on('close', (code) => {
    const wallMs = ms(t0);
    if (poll) clearInterval(poll);
    // GNU time's last line: "<max RSS kB> <user s> <system s>".
    const [rss, user, sys] = useTime ? (fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number) : [hwm];
    if (useTime) fs.rmSync(timeFile, { force: true });
    resolve({ wallMs, peakRssKb: rss ?? 0, cpuS: user !== undefined && sys !== undefined ? user + sys : null, code, stderr });
  }));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const config = loadConfig(process.env, { require: [] });
  const campaign = loadCampaign(config.campaignFile ?? undefined);
  const prefix = `bench-report-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(config, { prefix, name: 'bench-report' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
  try {
    let t0 = process.hrtime.bigint();
    const { apps, sent } = await seedRealistic(redis, N, campaign);
    const bytes = apps.reduce((n, a) => n + JSON.stringify(a).length, 0);
    console.log(`seeded ${N} applications (${mb(bytes)} of JSON, ${(bytes / N / 1024).toFixed(1)} KB each) and ${sent.length} sent records in ${(ms(t0) / 1000).toFixed(1)} s, prefix ${prefix}`);
    apps.length = 0;

    // End to end: the built CLI as staff run it.
    const runs: ChildRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = path.join(dir, `report-${i}.xlsx`);
      const r = await runReport(prefix, out);
      if (r.code !== 0) throw new Error(`shenbao report exited ${r.code}: ${r.stderr}`);
      runs.push(r);
      console.log(`shenbao report --format xlsx, run ${i + 1}: ${(r.wallMs / 1000).toFixed(2)} s wall, ${r.cpuS === null ? '?' : r.cpuS.toFixed(2)} s CPU, peak RSS ${(r.peakRssKb / 1024).toFixed(0)} MB, ${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB file`);
    }
    const check = new ExcelJS.Workbook();
    await check.xlsx.readFile(path.join(dir, 'report-0.xlsx'));
    const rowsInSheets = check.worksheets.map((w) => `${w.name} ${w.rowCount - 1}`).join(', ');
    console.log(`workbook read back: ${rowsInSheets} rows`);

    // The phases, in this process.
    t0 = process.hrtime.bigint();
    const source = await loadReportSource(redis);
    const load = ms(t0);
    t0 = process.hrtime.bigint();
    const judged = judgeAll(source.apps, campaign);
    const judge = ms(t0);
    t0 = process.hrtime.bigint();
    const rows = reportRows(judged, source.sentByApp, campaign);
    const build = ms(t0);
    t0 = process.hrtime.bigint();
    await writeXlsx(rows, fs.createWriteStream(path.join(dir, 'phases.xlsx')), { timeZone: campaign.timeZone });
    const xlsx = ms(t0);
    console.log(`phases (${rows.length} applications): load ${load.toFixed(0)} ms, judgeAll ${judge.toFixed(0)} ms, reportRows ${build.toFixed(0)} ms, xlsx write ${xlsx.toFixed(0)} ms; this process RSS ${mb(process.memoryUsage().rss)}`);
    console.log(`judgeAll + reportRows for ${rows.length} applications: ${(judge + build).toFixed(0)} ms`);
    const wall = median(runs.map((r) => r.wallMs));
    const rss = Math.max(...runs.map((r) => r.peakRssKb)) / 1024;
    const cpu = median(runs.map((r) => r.cpuS ?? NaN));
    console.log(`RESULT: median ${(wall / 1000).toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (target ≤ 3 s: ${wall <= 3000 ? 'met' : 'NOT met'}), peak RSS ${rss.toFixed(0)} MB (target ≤ 300 MB: ${rss <= 300 ? 'met' : 'NOT met'}); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  } finally {
    redis.disconnect();
    // BENCH_KEEP=1 leaves the seeded prefix for profiling (drop it with dropPrefix afterwards).
    if (process.env.BENCH_KEEP === '1') console.log(`kept prefix ${prefix}`);
    else await dropPrefix(config, prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exitCode = 1;
});
