/** Messages between the document pool (main thread) and its workers. */
import type { DocumentRecord } from '../domain/document';

export interface ParseTask {
  id: number;
  file: string;
  bytes: Uint8Array;
  depth: number;
  timeoutMs: number;
  includeText: boolean;
}

export type WireItem = { record: DocumentRecord } | { member: { file: string; bytes: Uint8Array; depth: number } };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; items: WireItem[] }
  /** a bug of ours (not a user's file): the message and stack are logged, the document gets a coded record */
  | { type: 'bug'; id: number; message: string; stack: string };
