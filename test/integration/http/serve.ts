/** `node bin/shenbao.js serve` on a free loopback port over a seeded prefix; stopped with SIGTERM. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { compiledPath } from '../helpers/child';

const ROOT = path.resolve(__dirname, '../../..');

export interface Served {
  base: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<number | null>;
}

export async function startServe(opts: { prefix: string; storage: string; env?: Record<string, string>; now?: string; args?: string[] }): Promise<Served> {
  compiledPath('src/cli/commands/serve.ts'); // fails early when dist/ is stale
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>), HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', STORAGE_DIR: opts.storage,
    DASHBOARD_USER: 'staff', DASHBOARD_PASSWORD: 'correct horse', LOG_LEVEL: 'warn', ...opts.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/shenbao.js'), 'serve', '--redis-prefix', opts.prefix, '--now', opts.now ?? '2023-07-18T10:00:00+08:00', ...(opts.args ?? ['--login-attempts', '50'])],
    { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${err}`)), 30_000);
    const poll = setInterval(() => {
      const m = /shenbao serve: (http:\/\/[^\s]+)/.exec(err);
      if (m?.[1]) { clearInterval(poll); clearTimeout(timer); resolve(m[1]); }
    }, 20);
    child.on('exit', (code) => { clearInterval(poll); clearTimeout(timer); reject(new Error(`serve exited ${code}:\n${err}`)); });
  });
  return {
    base,
    child,
    stderr: () => err,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    }),
  };
}
