/** Messages between the document pool (main thread) and its workers. */
import type { DocumentRecord } from '../domain/document';
import type { IncomingEmail } from '../domain/email';
import type { ReadStage } from './stage';

export interface ParseTask {
  type: 'parse';
  id: number;
  file: string;
  bytes: Uint8Array;
  depth: number;
  timeoutMs: number;
  includeText: boolean;
  /** What to read (read.ts ReadStage); for 'deep', the sha256 of the scans to look at (stage.ts). */
  stage: ReadStage;
  scans: string[];
  pages: string[];
}

/**
 * One raw email read (MIME, charsets, forwarded parts) in a worker: a hostile email can only
 * exhaust that worker's time and memory, never the intake process that holds BullMQ's locks,
 * the mailbox lease and the scheduler (issue 8 §3).
 */
export interface EmailTask {
  type: 'email';
  id: number;
  bytes: Uint8Array;
  timeoutMs: number;
  maxForwardDepth: number;
}

export type WorkerTask = ParseTask | EmailTask;

/** A task as the pool's callers give it: the pool numbers it. */
export type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

export type WireItem = { record: DocumentRecord } | { member: { file: string; bytes: Uint8Array; depth: number } };

export type WorkerReply =
  | { type: 'ready' }
  /** the worker wants to start an image program (pdftoppm, ImageMagick, tesseract) / has ended it (the pool bounds how many run at once) */
  | { type: 'ocrAcquire' }
  | { type: 'ocrRelease' }
  | ({ type: 'done'; id: number; items: WireItem[] } & Footprint)
  | ({ type: 'email'; id: number; email: IncomingEmail } & Footprint)
  /** a bug of ours (not a user's file): the message and stack are logged, the document gets a coded record */
  | ({ type: 'bug'; id: number; message: string; stack: string } & Footprint);

/** A task's answer from a worker process says how large the process has grown (the pool recycles it past a threshold). */
export interface Footprint {
  /** the worker process's resident set in bytes after the task; absent from a worker thread (it shares the process) */
  rss?: number;
}

/** From the pool to a worker besides tasks: its turn to run an image program. */
export type PoolSignal = { type: 'ocrGranted' };
