/**
 * Reading documents: every file is read in a worker (a child process by default) under
 * a time limit and a memory cap, so one hostile attachment cannot take down the others.
 *
 *   const parser = createDocumentParser();
 *   const records = await parser.parse('登记表.docx', bytes); // archives: one record per member
 *   await parser.close();
 */
import * as os from 'node:os';
import type { DocumentError, DocumentRecord } from '../domain/document';
import type { IncomingEmail } from '../domain/email';
import { overBudgetRecord, overBudget, type EmailBudget } from './budget';
import { DocumentFailure, timedOut, tooLarge, unreadable } from './failure';
import { DEFAULT_TIMEOUT_MS } from './limits';
import type { Isolation } from './hosts';
import { WorkerPool, type TaskOutcome } from './pool';
import { buildRecord } from './record';
import { formatOf, sniff } from './sniff';
import type { StageOptions } from './stage';

// The readers themselves (mammoth, pdf.js …) load only in the workers: the calling process
// stays small, which matters for the worker service and a 25 MB email.
export { DEFAULT_TIMEOUT_MS } from './limits';
export { EmailBudget, collapseUnread, overBudget, OVER_BUDGET_ZH, type EmailLimits } from './budget';
export { sniff, formatOf } from './sniff';
export type { Isolation } from './hosts';
export type { ReadStage, StageOptions } from './stage';

export interface DocumentParserOptions {
  /** worker threads; default os.availableParallelism() */
  concurrency?: number;
  /** per document (each archive member on its own); default 20 s */
  timeoutMs?: number;
  /** heap cap per worker; default 512 MB */
  maxMemoryMb?: number;
  /**
   * image programs (pdftoppm, ImageMagick, tesseract) at once over all workers; default one less
   * than `concurrency` (at least 1): a core stays with the documents that are not scans, and a
   * host needs 45-70 MB less per program not running (issue 10 §3: the worker tree's peak RSS).
   */
  ocrConcurrency?: number;
  /**
   * a worker process grown past this many MB is replaced between tasks; default 150: a fresh one
   * is ~70 MB and levels off at ~100 MB over ordinary documents, so only a large document's leftovers
   * are shed (at 100 MB a process was replaced every ~3 documents: 70 % more CPU); 0: never
   */
  recycleRssMb?: number;
  /** add the text each reader saw to its record (`text`) */
  includeText?: boolean;
  /**
   * 'process' (default): each worker is a child process, which survives any document;
   * 'thread': worker threads, lighter, but V8 may abort the whole process on some
   * out-of-memory patterns despite the heap cap (nodejs/node#47224).
   */
  isolation?: Isolation;
}

export interface EmailReadOptions {
  maxForwardDepth: number;
  timeoutMs: number;
  /** epoch ms: the email's total budget */
  deadline?: number;
}

/** A raw email read in a worker, or why it could not be (timeout, memory, crash, budget). */
export type EmailReading = { email: IncomingEmail } | { failure: DocumentError };

export interface DocumentParser {
  /**
   * Records of one file (an archive: its members); with a budget, what is beyond it is recorded
   * as not read. `stage` (default 'all'): what is read (src/documents/stage.ts).
   */
  parse(fileName: string, bytes: Buffer, budget?: EmailBudget, stage?: StageOptions): Promise<DocumentRecord[]>;
  /** Reads a raw email (src/mail/read-email) in a worker of the same pool, ahead of queued documents. */
  readEmail(raw: Buffer, opts: EmailReadOptions): Promise<EmailReading>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_MEMORY_MB = 512;
export const DEFAULT_RECYCLE_RSS_MB = 150;

function failureRecord(file: string, bytes: Uint8Array, failure: DocumentFailure): DocumentRecord {
  const format = formatOf(sniff(bytes), file);
  return buildRecord({ file, format, content: null, textLayer: false, ocrText: null, error: failure.toError() }, bytes);
}


function failureOf(outcome: Exclude<TaskOutcome, { type: 'done' | 'email' }>, timeoutMs: number, maxMemoryMb: number, budget?: EmailBudget): DocumentFailure {
  switch (outcome.type) {
    case 'expired':
      return overBudget(budget?.timeDetail() ?? 'time');
    case 'timeout':
      return timedOut(timeoutMs);
    case 'outOfMemory':
      return tooLarge(`reading it needs more than ${maxMemoryMb} MB of memory`);
    case 'crashed':
      return unreadable(`the reader failed (${outcome.message})`);
  }
}

export function createDocumentParser(opts: DocumentParserOptions = {}): DocumentParser {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxMemoryMb = opts.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
  const concurrency = Math.max(1, opts.concurrency ?? os.availableParallelism());
  const pool = new WorkerPool({
    concurrency,
    ocrConcurrency: Math.max(1, opts.ocrConcurrency ?? concurrency - 1),
    timeoutMs,
    maxMemoryMb,
    isolation: opts.isolation ?? 'process',
    recycleRssMb: opts.recycleRssMb ?? DEFAULT_RECYCLE_RSS_MB,
  });

  async function parseAt(file: string, bytes: Uint8Array, depth: number, budget: EmailBudget | undefined, stage: StageOptions): Promise<DocumentRecord[]> {
    // Counted when asked for, in the email's order: the first N files of an email are the ones read.
    if (budget && !budget.claim()) return [overBudgetRecord(file, bytes, budget.countDetail())];
    // The worker gets its own copy (transferred): a Buffer may share its memory with others.
    const task = { type: 'parse' as const, file, bytes: new Uint8Array(bytes), depth, timeoutMs, includeText: opts.includeText ?? false, stage: stage.stage ?? 'all', scans: [...(stage.scans ?? [])], pages: [...(stage.pages ?? [])] };
    const outcome = await pool.run(task, { deadline: budget?.deadline });
    if (outcome.type === 'email') throw new Error('document pool answered a document with an email');
    if (outcome.type !== 'done') return [failureRecord(file, bytes, failureOf(outcome, timeoutMs, maxMemoryMb, budget))];
    // Members are read concurrently, each in its own task; the archive's order is kept.
    const parts = await Promise.all(
      outcome.items.map((item) => ('record' in item ? [item.record] : parseAt(item.member.file, item.member.bytes, item.member.depth, budget, stage))),
    );
    return parts.flat();
  }

  async function readEmail(raw: Buffer, o: EmailReadOptions): Promise<EmailReading> {
    const outcome = await pool.run({ type: 'email', bytes: new Uint8Array(raw), timeoutMs: o.timeoutMs, maxForwardDepth: o.maxForwardDepth }, { deadline: o.deadline, first: true });
    if (outcome.type === 'done') throw new Error('document pool answered an email with documents');
    if (outcome.type !== 'email') return { failure: failureOf(outcome, o.timeoutMs, maxMemoryMb).toError() };
    // Structured clone gives Uint8Array back for a Buffer: the mail layer's contract is Buffer.
    const attachments = outcome.email.attachments.map((a) => {
      const c: Uint8Array = a.content;
      return { ...a, content: Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength) };
    });
    return { email: { ...outcome.email, attachments } };
  }

  return {
    parse: (fileName, bytes, budget, stage) => parseAt(fileName, bytes, 0, budget, stage ?? {}),
    readEmail,
    close: () => pool.close(),
  };
}
