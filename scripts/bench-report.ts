/**
 * `npm run bench:report` (with the stack's REDIS_URL): seeds 5,000 realistic applications
 * (3 products, several issues, 2–3 emails each, sent records with their texts) under a unique
 * prefix, then times `shenbao report --format xlsx` end to end as a child process (wall time
 * and peak RSS from /usr/bin/time, else /proc polling), and its phases in this process the way
 * the CLI runs them (ids and sent log, then 200 applications at a time: MGET, JSON.parse,
 * judgeAll, reportRows; then the xlsx write), plus the CLI's start-up alone (`--help`).
 * Target: ≤ 3 s and ≤ 300 MB RSS. The machine is shared: the load average is printed with
 * every run. BENCH_RUNS (3), BENCH_APPS (5000), BENCH_PREFIX (reuse a seeded prefix, kept).
 * Cleans up after.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadCampaign } from '../src/config/campaign';
import { loadConfig } from '../src/config/env';
import { reportRows, writeXlsx, type ReportRow } from '../src/report';
import { judgeAll } from '../src/rules/judge';
import { createRedis, dropPrefix } from '../src/store/redis';
import { streamReportSource } from '../src/store/report-source';
import { seedRealistic } from '../test/integration/report/seed';

const N = Number(process.env.BENCH_APPS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// dist/scripts/ → the project's root.
const ROOT = path.resolve(__dirname, '../..');
const TIME = '/usr/bin/time';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface ChildRun { wallMs: number; peakRssKb: number; cpuS: number | null; code: number | null; stderr: string }

const loadavg = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/** Runs the CLI; peak RSS from GNU time's %M when present, else the highest VmHWM seen in /proc. */
function runCli(cliArgs: string[]): Promise<ChildRun> {
  const cli = [path.join(ROOT, 'bin/shenbao.js'), ...cliArgs];
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

const runReport = (prefix: string, out: string): Promise<ChildRun> => runCli(['report', '--format', 'xlsx', '--out', out, '--redis-prefix', prefix]);

/** "申报汇总 5000, …": the workbook read back with exceljs (in a function: it is garbage before the phases are timed). */
async function sheetsOf(file: string): Promise<string> {
  const check = new ExcelJS.Workbook();
  await check.xlsx.readFile(file);
  return check.worksheets.map((w) => `${w.name} ${w.rowCount - 1}`).join(', ');
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const config = loadConfig(process.env, { require: [] });
  const campaign = loadCampaign(config.campaignFile ?? undefined);
  const reuse = process.env.BENCH_PREFIX;
  const prefix = reuse ?? `bench-report-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(config, { prefix, name: 'bench-report' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
  try {
    let t0 = process.hrtime.bigint();
    if (reuse) console.log(`reusing the applications seeded under prefix ${prefix}`);
    else {
      const { apps, sent } = await seedRealistic(redis, N, campaign);
      const bytes = apps.reduce((n, a) => n + JSON.stringify(a).length, 0);
      console.log(`seeded ${N} applications (${mb(bytes)} of JSON, ${(bytes / N / 1024).toFixed(1)} KB each) and ${sent.length} sent records in ${(ms(t0) / 1000).toFixed(1)} s, prefix ${prefix}`);
      apps.length = 0;
    }

    // End to end: the built CLI as staff run it.
    const runs: ChildRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      const out = path.join(dir, `report-${i}.xlsx`);
      const r = await runReport(prefix, out);
      if (r.code !== 0) throw new Error(`shenbao report exited ${r.code}: ${r.stderr}`);
      runs.push(r);
      console.log(`shenbao report --format xlsx, run ${i + 1}: ${(r.wallMs / 1000).toFixed(2)} s wall, ${r.cpuS === null ? '?' : r.cpuS.toFixed(2)} s CPU, peak RSS ${(r.peakRssKb / 1024).toFixed(0)} MB, ${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB file; load average ${loadavg()}`);
    }
    console.log(`workbook read back: ${await sheetsOf(path.join(dir, 'report-0.xlsx'))} rows`);

    // The phases, in this process, as the CLI runs them (src/cli/commands/report.ts).
    t0 = process.hrtime.bigint();
    const source = await streamReportSource(redis);
    const ids = ms(t0);
    let load = 0;
    let judge = 0;
    let build = 0;
    const rows: ReportRow[] = [];
    const batches = source.batches(200);
    for (;;) {
      t0 = process.hrtime.bigint();
      const next = await batches.next();
      load += ms(t0);
      if (next.done) break;
      t0 = process.hrtime.bigint();
      const judged = judgeAll(next.value, campaign);
      judge += ms(t0);
      t0 = process.hrtime.bigint();
      for (const row of reportRows(judged, source.sentByApp, campaign, { lists: false })) rows.push(row);
      build += ms(t0);
    }
    t0 = process.hrtime.bigint();
    await writeXlsx(rows, fs.createWriteStream(path.join(dir, 'phases.xlsx')), { timeZone: campaign.timeZone });
    const xlsx = ms(t0);
    const startup = (await runCli(['--help'])).wallMs;
    console.log(`phases (${rows.length} applications): CLI start-up ${startup.toFixed(0)} ms, ids + sent log ${ids.toFixed(0)} ms, applications (MGET + JSON.parse) ${load.toFixed(0)} ms, judgeAll ${judge.toFixed(0)} ms, reportRows ${build.toFixed(0)} ms, xlsx write ${xlsx.toFixed(0)} ms; this process RSS ${mb(process.memoryUsage().rss)}; load average ${loadavg()}`);
    console.log(`judgeAll + reportRows for ${rows.length} applications: ${(judge + build).toFixed(0)} ms`);
    const wall = median(runs.map((r) => r.wallMs));
    const rss = Math.max(...runs.map((r) => r.peakRssKb)) / 1024;
    const cpu = median(runs.map((r) => r.cpuS ?? NaN));
    console.log(`RESULT: median ${(wall / 1000).toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU (target ≤ 3 s: ${wall <= 3000 ? 'met' : 'NOT met'}), peak RSS ${rss.toFixed(0)} MB (target ≤ 300 MB: ${rss <= 300 ? 'met' : 'NOT met'}); load average ${loadavg()} on ${os.cpus().length} CPUs`);
  } finally {
    redis.disconnect();
    // BENCH_KEEP=1 leaves the seeded prefix for profiling (drop it with dropPrefix afterwards).
    if (process.env.BENCH_KEEP === '1' || reuse) console.log(`kept prefix ${prefix}`);
    else await dropPrefix(config, prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exitCode = 1;
});
