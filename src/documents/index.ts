/**
 * Reading documents: every file is read in a worker (a child process by default) under
 * a time limit and a memory cap, so one hostile attachment cannot take down the others.
 *
 *   const parser = createDocumentParser();
 *   const records = await parser.parse('登记表.docx', bytes); // archives: one record per member
 *   await parser.close();
 */
import * as os from 'node:os';
import type { DocumentRecord } from '../domain/document';
import { DocumentFailure, timedOut, tooLarge, unreadable } from './failure';
import { DEFAULT_TIMEOUT_MS } from './limits';
import type { Isolation } from './hosts';
import { WorkerPool, type TaskOutcome } from './pool';
import { buildRecord } from './record';
import { formatOf, sniff } from './sniff';

// The readers themselves (mammoth, pdf.js …) load only in the workers: the calling process
// stays small, which matters for the worker service and a 25 MB email.
export { DEFAULT_TIMEOUT_MS } from './limits';
export { sniff, formatOf } from './sniff';
export type { Isolation } from './hosts';

export interface DocumentParserOptions {
  /** worker threads; default os.availableParallelism() */
  concurrency?: number;
  /** per document (each archive member on its own); default 20 s */
  timeoutMs?: number;
  /** heap cap per worker; default 512 MB */
  maxMemoryMb?: number;
  /** add the text each reader saw to its record (`text`) */
  includeText?: boolean;
  /**
   * 'process' (default): each worker is a child process, which survives any document;
   * 'thread': worker threads, lighter, but V8 may abort the whole process on some
   * out-of-memory patterns despite the heap cap (nodejs/node#47224).
   */
  isolation?: Isolation;
}

export interface DocumentParser {
  parse(fileName: string, bytes: Buffer): Promise<DocumentRecord[]>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_MEMORY_MB = 512;

function failureRecord(file: string, bytes: Uint8Array, failure: DocumentFailure): DocumentRecord {
  const format = formatOf(sniff(bytes), file);
  return buildRecord({ file, format, content: null, textLayer: false, ocrText: null, error: failure.toError() }, bytes);
}


function failureOf(outcome: Exclude<TaskOutcome, { type: 'done' }>, timeoutMs: number, maxMemoryMb: number): DocumentFailure {
  switch (outcome.type) {
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
  const pool = new WorkerPool({
    concurrency: Math.max(1, opts.concurrency ?? os.availableParallelism()),
    timeoutMs,
    maxMemoryMb,
    isolation: opts.isolation ?? 'process',
  });

  async function parseAt(file: string, bytes: Uint8Array, depth: number): Promise<DocumentRecord[]> {
    // The worker gets its own copy (transferred): a Buffer may share its memory with others.
    const outcome = await pool.run({ file, bytes: new Uint8Array(bytes), depth, timeoutMs, includeText: opts.includeText ?? false });
    if (outcome.type !== 'done') return [failureRecord(file, bytes, failureOf(outcome, timeoutMs, maxMemoryMb))];
    // Members are read concurrently, each in its own task; the archive's order is kept.
    const parts = await Promise.all(
      outcome.items.map((item) => ('record' in item ? [item.record] : parseAt(item.member.file, item.member.bytes, item.member.depth))),
    );
    return parts.flat();
  }

  return {
    parse: (fileName, bytes) => parseAt(fileName, bytes, 0),
    close: () => pool.close(),
  };
}
