/**
 * One external program run over pipes (pdftoppm, tesseract, ImageMagick): no shell, the input
 * on its stdin, killed at a time limit, stdout kept up to a cap (the program is killed past
 * it), stderr kept short for messages. Every render and OCR of a document goes through here.
 */
import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout when kept (`maxStdout` given) and within the cap; else null */
  stdout: Buffer | null;
  /** the start of stderr, when kept */
  stderr: string;
  timedOut: boolean;
  /** the program could not be started (not installed) */
  spawnError: string | null;
}

export interface ChildOptions {
  timeoutMs: number;
  /** keep stdout up to this many bytes; absent: stdout is not read */
  maxStdout?: number;
  /** keep the first ~4000 characters of stderr */
  keepStderr?: boolean;
}

const STDERR_CHARS = 4000;

export function runChild(cmd: string, args: string[], input: Buffer | null, o: ChildOptions): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', o.maxStdout === undefined ? 'ignore' : 'pipe', o.keepStderr ? 'pipe' : 'ignore'], shell: false });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let timedOut = false;
    let spawnError: string | null = null;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > (o.maxStdout ?? 0)) child.kill('SIGKILL');
      else chunks.push(chunk);
    });
    child.stderr?.on('data', (c: Buffer) => {
      if (stderr.length < STDERR_CHARS) stderr += c.toString('utf8');
    });
    child.on('error', (err) => {
      spawnError = err.message;
    });
    // A program that exits early (a PDF it refuses) closes its stdin: EPIPE is no failure of ours.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? undefined);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = o.maxStdout !== undefined && size <= o.maxStdout ? Buffer.concat(chunks) : null;
      resolve({ code, signal, stdout, stderr, timedOut, spawnError });
    });
  });
}
