/** Runs a compiled helper (dist/…) as a child process with the stack's environment. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `source` is the .ts path from the repo root; its build must be at least as new. */
export function compiledPath(source: string): string {
  const js = path.join(ROOT, 'dist', source.replace(/\.ts$/, '.js'));
  const ts = path.join(ROOT, source);
  if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(ts).mtimeMs) {
    throw new Error(`${js} is missing or older than ${source}: run npm run build first`);
  }
  return js;
}

export function runNode(source: string, env: Record<string, string>, timeoutMs = 30_000): Promise<ChildExit> {
  const child = spawn(process.execPath, [compiledPath(source)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${source} did not exit within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface CliExit {
  code: number | null;
  stdout: string;
  /** stdout as bytes (an xlsx written to stdout). */
  stdoutBytes: Buffer;
  stderr: string;
}

/**
 * Runs the built CLI (`node bin/shenbao.js …args`) with exactly `env` (spread process.env in to
 * inherit it) until it exits; after `timeoutMs`, if given, it is SIGKILLed (code null).
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<CliExit> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/shenbao.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString(), stdoutBytes, stderr });
    });
  });
}
