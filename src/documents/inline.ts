/**
 * Reading in the calling thread, archive members included: what each pool worker runs,
 * and a plain entry point for code that is itself already isolated.
 */
import type { DocumentRecord } from '../domain/document';
import { readItems } from './read';

export const DEFAULT_TIMEOUT_MS = 20_000;

export async function parseDocumentInline(fileName: string, bytes: Buffer, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<DocumentRecord[]> {
  return parseAt(fileName, bytes, 0, timeoutMs);
}

async function parseAt(file: string, bytes: Buffer, depth: number, timeoutMs: number): Promise<DocumentRecord[]> {
  const records: DocumentRecord[] = [];
  for (const item of await readItems(file, bytes, { depth, deadline: Date.now() + timeoutMs })) {
    if ('record' in item) records.push(item.record);
    else records.push(...(await parseAt(item.member.file, item.member.bytes, item.member.depth, timeoutMs)));
  }
  return records;
}
