/**
 * `shenbao parse <file>...`: reads each document offline and prints one JSON array,
 * one record per document (an archive: one per member). Exit 0 even when documents had
 * problems (the records say so); 1 when a file cannot be opened; 2 wrong usage.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createDocumentParser, DEFAULT_TIMEOUT_MS } from '../../documents';
import type { DocumentRecord } from '../../domain/document';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

interface ParseOptions {
  timeout: number;
  concurrency?: number;
  compact?: boolean;
  text?: boolean;
}

async function readAll(files: string[]): Promise<Buffer[] | string> {
  const contents: Buffer[] = [];
  for (const file of files) {
    try {
      contents.push(await fs.readFile(file));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
      return `shenbao parse: cannot read ${file}: ${why}`;
    }
  }
  return contents;
}

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('read documents offline (docx, doc, wps, pdf, rtf, images, zip…) and print one JSON record per document')
    .argument('<file...>', 'documents to read; an archive yields one record per member')
    .option('--timeout <ms>', 'time limit per document in milliseconds', positiveInt, DEFAULT_TIMEOUT_MS)
    .option('--concurrency <n>', 'worker threads (default: the number of CPU cores)', positiveInt)
    .option('--compact', 'print the JSON on one line')
    .option('--text', 'add the text each reader saw (or OCR found) to its record')
    .action(async (files: string[], opts: ParseOptions) => {
      const contents = await readAll(files);
      if (typeof contents === 'string') {
        process.stderr.write(`${contents}\n`);
        process.exitCode = 1;
        return;
      }
      const parser = createDocumentParser({ timeoutMs: opts.timeout, concurrency: opts.concurrency, includeText: opts.text });
      try {
        const batches = await Promise.all(files.map((file, i) => parser.parse(path.basename(file), contents[i] as Buffer)));
        // `excerpt` is kept for the rules (cross-checks.md §2); --text prints the whole text instead.
        const records = batches.flat().map(({ excerpt: _excerpt, ...r }: DocumentRecord) => r);
        process.stdout.write(`${JSON.stringify(records, null, opts.compact ? undefined : 2)}\n`);
      } finally {
        await parser.close();
      }
    });
}
