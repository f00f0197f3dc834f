/**
 * A document's original bytes, found again in the raw email it came in. Documents are not
 * stored on their own: the raw .eml is, so a download reads the email again and picks the
 * attachment (or the archive member, `a.zip/inner/x.docx`) whose content has the sha256 asked
 * for. Only bytes taken out of that email can come back; no name from a request is a path.
 */
import { createHash } from 'node:crypto';
import { readEmail } from '../mail/read-email';
import { expandArchive } from './archive';
import { sniff } from './sniff';

export interface OriginalDocument {
  /** The name as the applicant gave it (an archive member: `a.zip/inner/x.docx`). */
  file: string;
  bytes: Buffer;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function inArchive(file: string, bytes: Buffer, sha256: string, depth: number): Promise<OriginalDocument | null> {
  if (sniff(bytes) !== 'pk' || depth > 1) return null;
  const items = await expandArchive(file, bytes, depth).catch(() => []);
  for (const item of items) {
    if (!('member' in item)) continue;
    const m = item.member;
    if (sha(m.bytes) === sha256) return { file: m.file, bytes: m.bytes };
    const inner = await inArchive(m.file, m.bytes, sha256, m.depth);
    if (inner) return inner;
  }
  return null;
}

/** One email opened once; `find` may then be asked for several of its documents. */
export interface DocumentFinder {
  find(sha256: string, file?: string): Promise<OriginalDocument | null>;
}

export async function documentFinder(raw: Buffer): Promise<DocumentFinder> {
  const email = await readEmail(raw);
  const hashes = email.attachments.map((a) => sha(a.content));
  return {
    async find(sha256, file) {
      const direct = hashes.indexOf(sha256);
      const hit = direct >= 0 ? email.attachments[direct] : undefined;
      if (hit) return { file: hit.filename, bytes: hit.content };
      // `file` (the record's name) narrows which archives are opened: only the one it is a member of.
      for (const a of email.attachments) {
        if (file !== undefined && !file.startsWith(`${a.filename}/`)) continue;
        const found = await inArchive(a.filename, a.content, sha256, 0);
        if (found) return found;
      }
      return null;
    },
  };
}

/** The attachment or archive member of `raw` whose bytes hash to `sha256`, else null. */
export async function originalDocument(raw: Buffer, sha256: string, file?: string): Promise<OriginalDocument | null> {
  return (await documentFinder(raw)).find(sha256, file);
}
