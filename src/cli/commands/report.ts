/**
 * `shenbao report [--format json|csv|xlsx|html] [--out <file>] [--status <s>…] [--issue CODE]`:
 * the staff completeness report from the store, one row per application. The report goes to
 * --out or stdout and nothing else goes to stdout; a progress bar is drawn on stderr only when
 * stderr is a terminal and the run takes more than a second. Exit 0 done, 1 Redis or the
 * output file failed (one line), 2 wrong usage (one line naming it).
 */
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { COMMAND_NEEDS } from '../../config/env';
import type { CategoryCode } from '../../domain/form';
import { CATEGORY_CODES } from '../../domain/form';
import { judgeAll } from '../../rules/judge';
import { ISSUE_CODES, type IssueCode } from '../../rules/issue-codes';
import {
  ISSUE_LABELS_ZH, STATUS_FILTERS, filterRows, jsonChunks, reportRows, toCsv, toHtml, writeXlsx, type ReportRow, type RowFilter, type StatusFilter,
} from '../../report';
import { createRedis, redisProblem } from '../../store/redis';
import { streamReportSource } from '../../store/report-source';
import { loadSettings, redisPrefixProblem } from '../settings';

const FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;
type Format = (typeof FORMATS)[number];

interface ReportOptions {
  format?: string;
  out?: string;
  status?: string[];
  issue?: string;
  category?: string;
  q?: string;
  now?: string;
  redisPrefix?: string;
}

/** A usage error: one line naming the option, exit 2 (main turns CommanderError into EXIT.usage). */
class UsageError extends Error {}

function formatOf(opts: ReportOptions): Format {
  const named = opts.format ?? /\.(json|csv|xlsx|html?)$/i.exec(opts.out ?? '')?.[1]?.toLowerCase().replace(/^htm$/, 'html') ?? 'json';
  if (!(FORMATS as readonly string[]).includes(named)) throw new UsageError(`--format: unknown format "${named}" (one of ${FORMATS.join(', ')})`);
  return named as Format;
}

function filterOf(opts: ReportOptions): RowFilter {
  const filter: RowFilter = {};
  const statuses = (opts.status ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const s of statuses) {
    if (!(STATUS_FILTERS as readonly string[]).includes(s)) throw new UsageError(`--status: unknown status "${s}" (one of ${STATUS_FILTERS.join(', ')})`);
  }
  if (statuses.length > 0) filter.status = statuses as StatusFilter[];
  if (opts.issue !== undefined) {
    if (!(ISSUE_CODES as readonly string[]).includes(opts.issue)) throw new UsageError(`--issue: unknown issue code "${opts.issue}" (one of ${ISSUE_CODES.join(', ')})`);
    filter.issue = opts.issue as IssueCode;
  }
  if (opts.category !== undefined) {
    if (!(CATEGORY_CODES as readonly string[]).includes(opts.category)) throw new UsageError(`--category: unknown category "${opts.category}" (one of ${CATEGORY_CODES.join(', ')})`);
    filter.category = opts.category as CategoryCode;
  }
  if (opts.q !== undefined) filter.q = opts.q;
  return filter;
}

/** A progress bar on stderr that appears only after `delayMs` and only on a terminal. */
class Progress {
  private bar: SingleBar | null = null;
  private value = 0;
  private stage = '';
  private readonly timer: NodeJS.Timeout | null;

  constructor(delayMs = 1000) {
    this.timer = process.stderr.isTTY ? setTimeout(() => this.show(), delayMs) : null;
    this.timer?.unref();
  }

  private show(): void {
    this.bar = new SingleBar({ format: '报表 report [{bar}] {percentage}% {stage}', hideCursor: true, clearOnComplete: true, stream: process.stderr });
    this.bar.start(100, this.value, { stage: this.stage });
  }

  set(value: number, stage: string): void {
    this.value = Math.round(value);
    this.stage = stage;
    this.bar?.update(this.value, { stage });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.bar?.stop();
  }
}

/** Where the report goes: a file opened before any work (so a bad path fails at once), or stdout. */
type Sink = { kind: 'stdout' } | { kind: 'file'; path: string; handle: fs.promises.FileHandle };

async function openSink(out: string | undefined): Promise<Sink> {
  return out === undefined ? { kind: 'stdout' } : { kind: 'file', path: out, handle: await fs.promises.open(out, 'w') };
}

async function writeText(text: string, sink: Sink): Promise<void> {
  if (sink.kind === 'file') {
    await sink.handle.writeFile(text);
    return;
  }
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

/** Chunk after chunk (the JSON report, one application each), waiting when the sink is full. */
async function writeChunks(chunks: Iterable<string>, sink: Sink): Promise<void> {
  const out = sink.kind === 'file' ? sink.handle.createWriteStream({ autoClose: false, encoding: 'utf8' }) : null;
  for (const chunk of chunks) {
    const target = out ?? process.stdout;
    if (target.write(chunk)) continue;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        target.off('drain', done);
        target.off('error', done);
        if (err) reject(err);
        else resolve();
      };
      target.on('drain', done);
      target.on('error', done);
    });
  }
  if (out) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  else await new Promise<void>((resolve, reject) => process.stdout.write('', (err) => (err ? reject(err) : resolve())));
}

async function writeWorkbook(rows: Parameters<typeof writeXlsx>[0], sink: Sink, timeZone: string, progress: Progress): Promise<void> {
  const onProgress = (done: number, total: number) => progress.set(50 + (50 * done) / Math.max(1, total), '写入 xlsx');
  if (sink.kind === 'file') {
    await writeXlsx(rows, sink.handle.createWriteStream({ autoClose: false }), { timeZone, onProgress });
    return;
  }
  // stdout is never ended by us: the workbook goes through a PassThrough piped without end.
  const pass = new PassThrough();
  const piped = pipeline(pass, process.stdout, { end: false });
  await writeXlsx(rows, pass, { timeZone, onProgress });
  await piped;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('员工完整性报表：每个申报一行 — the staff completeness report from the store, one row per application')
    .addOption(new Option('--format <format>', '输出格式 output format (default: from --out\'s extension, else json)').choices([...FORMATS]))
    .option('--out <file>', '写入文件 write to this file (default: stdout; xlsx goes to stdout only when it is not a terminal)')
    .option('--status <status...>', `只列出这些状态 only these statuses: ${STATUS_FILTERS.join(', ')} (any within complete/incomplete or onTime/late/closed, all across them)`)
    .option('--issue <CODE>', '只列出有此待补问题的申报 only applications with this open issue code')
    .option('--category <code>', `只列出有此类别产品的申报 only applications with a product of this category: ${CATEGORY_CODES.join(', ')}`)
    .option('--q <text>', '搜索 search company, contact, product, number or address')
    .option('--now <ISO>', '时钟 the clock (default: SHENBAO_NOW, else the system clock)')
    .option('--redis-prefix <name>', 'Redis 命名空间 namespace of every Redis key (default: shenbao)')
    .addHelpText('after', `
示例 Examples:
  shenbao report --format xlsx --out 申报汇总.xlsx       完整报表（三个工作表：申报汇总、产品、待补问题）
  shenbao report --status incomplete onTime --format csv  按时但材料不全的申报
  shenbao report --issue TOO_FEW_USER_REPORTS --format html --out 缺用户报告.html

问题代码 Issue codes:
${ISSUE_CODES.map((c) => `  ${c.padEnd(24)} ${ISSUE_LABELS_ZH[c]}`).join('\n')}

输出 Output: json { generatedAt, campaign, count, applications: [...], failedMails } (../shared/spec/cli.md);
csv UTF-8 with BOM; html one self-contained page; times in Asia/Shanghai.
退出码 Exit codes: 0 done, 1 Redis or the output file failed, 2 wrong usage.`)
    .action(async (opts: ReportOptions) => {
      let format: Format;
      let filter: RowFilter;
      try {
        format = formatOf(opts);
        filter = filterOf(opts);
        const badPrefix = redisPrefixProblem(opts.redisPrefix);
        if (badPrefix) throw new UsageError(badPrefix);
        if (format === 'xlsx' && opts.out === undefined && process.stdout.isTTY) throw new UsageError('--format xlsx: will not write a workbook to a terminal; give --out <file> or redirect stdout');
      } catch (err) {
        if (err instanceof UsageError) program.error(`shenbao report: ${err.message}`, { exitCode: 2 });
        throw err;
      }
      const { config, campaign, clock } = loadSettings(COMMAND_NEEDS.report, { SHENBAO_NOW: opts.now });
      const problem = await redisProblem(config);
      if (problem) {
        process.stderr.write(`shenbao report: ${problem}\n`);
        process.exitCode = 1;
        return;
      }
      let sink: Sink;
      try {
        sink = await openSink(opts.out);
      } catch (err) {
        process.stderr.write(`shenbao report: cannot write ${opts.out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
        process.exitCode = 1;
        return;
      }
      const progress = new Progress();
      const redis = createRedis(config, { prefix: opts.redisPrefix, name: 'shenbao-report' });
      try {
        progress.set(0, '读取 loading');
        const source = await streamReportSource(redis);
        // Applications are read, judged and turned into rows a batch at a time and then dropped:
        // rows are a fraction of an application's size (forms, documents), so memory stays low.
        // Only the JSON report lists each row's documents, emails and sent emails.
        const all: ReportRow[] = [];
        const lists = format === 'json';
        for await (const batch of source.batches(200)) {
          for (const row of reportRows(judgeAll(batch, campaign), source.sentByApp, campaign, { lists })) all.push(row);
          progress.set((50 * all.length) / Math.max(1, source.ids.length), '读取并判定 loading and judging');
        }
        const rows = filterRows(all, filter, campaign.timeZone);
        progress.set(50, '写入 writing');
        const generatedAt = clock().toISOString();
        if (format === 'xlsx') await writeWorkbook(rows, sink, campaign.timeZone, progress);
        else if (format === 'csv') await writeText(toCsv(rows, campaign.timeZone), sink);
        else if (format === 'html') await writeText(toHtml(rows, { generatedAt, campaign: campaign.name, timeZone: campaign.timeZone }), sink);
        else await writeChunks(jsonChunks(rows, { generatedAt, campaign: campaign.name, failedMails: source.failedMails }), sink);
        progress.set(100, '完成 done');
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (sink.kind === 'file' && e.syscall !== undefined) {
          process.stderr.write(`shenbao report: cannot write ${sink.path}: ${e.code ?? e.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw err;
      } finally {
        progress.stop();
        redis.disconnect();
        if (sink.kind === 'file') await sink.handle.close();
      }
    });
}
