/** Runs the built `shenbao parse` as a user would and hands back its JSON records. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentRecord } from '../../../src/domain/document';

export const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin', 'shenbao.js');
const WORKER = path.join(ROOT, 'dist', 'src', 'documents', 'worker.js');

export interface ParseRun {
  status: number | null;
  stdout: string;
  stderr: string;
  records: DocumentRecord[];
  ms: number;
}

export function assertBuilt(): void {
  if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build first`);
}

export function runParse(args: string[], timeoutMs = 180_000): Promise<ParseRun> {
  assertBuilt();
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'parse', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shenbao parse did not finish within ${timeoutMs} ms\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      let records: DocumentRecord[] = [];
      if (status === 0) records = JSON.parse(stdout) as DocumentRecord[];
      resolve({ status, stdout, stderr, records, ms: Date.now() - started });
    });
  });
}

export function byFile(records: DocumentRecord[]): Map<string, DocumentRecord> {
  return new Map(records.map((r) => [r.file, r]));
}
