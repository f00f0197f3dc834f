/**
 * Reading in the calling thread, archive members included: what each pool worker runs,
 * and a plain entry point for code that is itself already isolated.
 */
import type { DocumentRecord } from '../domain/document';
import { DEFAULT_TIMEOUT_MS } from './limits';
import { readItems } from './read';

export interface InlineOptions {
  /** budget for OCR (the only reader step that can wait on its own); nothing else is bounded in-thread */
  timeoutMs?: number;
  includeText?: boolean;
}

export async function parseDocumentInline(fileName: string, bytes: Buffer, opts: InlineOptions = {}): Promise<DocumentRecord[]> {
  return parseAt(fileName, bytes, 0, opts);
}

async function parseAt(file: string, bytes: Buffer, depth: number, opts: InlineOptions): Promise<DocumentRecord[]> {
  const records: DocumentRecord[] = [];
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (const item of await readItems(file, bytes, { depth, deadline, includeText: opts.includeText })) {
    if ('record' in item) records.push(item.record);
    else records.push(...(await parseAt(item.member.file, item.member.bytes, item.member.depth, opts)));
  }
  return records;
}
