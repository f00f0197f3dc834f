/**
 * Where a pool worker runs. A child process is the default: a worker thread's heap cap
 * (resourceLimits) is best-effort, and some allocation patterns abort the whole process
 * instead of ending the thread (nodejs/node#47224; seen here with mammoth on a 60 MB
 * document.xml under a 64 MB cap, Node 20.20). A process that runs out of memory takes
 * only itself down. Threads remain available (`isolation: 'thread'`).
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PoolSignal, WorkerReply, WorkerTask } from './protocol';

export type Isolation = 'process' | 'thread';

/** How a host ended on its own (not when we killed it). */
export type HostEnd = { type: 'outOfMemory' } | { type: 'crashed'; message: string };

export interface Host {
  send(task: WorkerTask): void;
  signal(signal: PoolSignal): void;
  kill(): Promise<void>;
  /** an idle host does not keep the program running */
  idle(idle: boolean): void;
}

export interface HostEvents {
  reply(reply: WorkerReply): void;
  ended(end: HostEnd): void;
}

/** The compiled worker: next to this file in dist/, or under dist/ when running from .ts (ts-jest). */
export function workerScript(): string {
  if (__filename.endsWith('.ts')) return path.resolve(__dirname, '../../dist/src/documents/worker.js');
  return path.join(__dirname, 'worker.js');
}

const OOM = /heap out of memory|Reached heap limit|Allocation failed/;

export function spawnProcess(maxMemoryMb: number, events: HostEvents): Host {
  const child = fork(workerScript(), [], {
    // Started as `env MALLOC_ARENA_MAX=2 node …` (env execs node: same pid, the IPC channel
    // passes): glibc's per-thread malloc arenas kept freed memory; with two, a process peaked at
    // 105 MB instead of 112-114 over 60 fixture emails, and its image programs (which inherit it)
    // less too (children 272-277 vs 291-292 MB), at the same speed.
    execPath: 'env',
    // A 2 MB young generation (V8's default grows to 16 MB per semi-space): over 60 fixture emails
    // a process peaked at 112 MB instead of 138 MB, at the same speed (issue 10 §3's peak RSS).
    // --optimize-for-size saved as much but read 30 % slower (26-28 s vs 19-20 s; the issue-10
    // email 0.42-0.45 s vs 0.30-0.34 s). The heap cap is unchanged: a hostile document still ends as TOO_LARGE.
    execArgv: ['MALLOC_ARENA_MAX=2', process.execPath, `--max-old-space-size=${maxMemoryMb}`, '--max-semi-space-size=2'],
    serialization: 'advanced',
    // stdout belongs to the command's JSON output: whatever a reader prints goes to stderr.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(process.stderr, { end: false });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-8192);
  });
  let killed = false;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve();
      if (killed) return;
      if (OOM.test(stderrTail)) events.ended({ type: 'outOfMemory' });
      else events.ended({ type: 'crashed', message: `reader process exited (${signal ?? `code ${code}`})${stderrTail ? `: ${stderrTail.trim().split('\n').pop()}` : ''}` });
    });
  });
  child.on('error', (err) => {
    if (!killed) events.ended({ type: 'crashed', message: err.message });
  });
  child.on('message', (reply: WorkerReply) => events.reply(reply));
  return {
    send: (task) => child.send(task),
    signal: (signal) => child.send(signal),
    kill: async () => {
      killed = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    idle: () => undefined,
  };
}

export function spawnThread(maxMemoryMb: number, events: HostEvents): Host {
  const worker = new Worker(workerScript(), { resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb }, stdout: true });
  worker.stdout.pipe(process.stderr, { end: false });
  let killed = false;
  worker.on('message', (reply: WorkerReply) => events.reply(reply));
  worker.on('error', (err: Error & { code?: string }) => {
    if (killed) return;
    killed = true;
    events.ended(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { type: 'outOfMemory' } : { type: 'crashed', message: err.message });
  });
  worker.on('exit', (code) => {
    if (!killed) events.ended({ type: 'crashed', message: `worker exited with code ${code}` });
    killed = true;
  });
  return {
    send: (task) => worker.postMessage(task, [task.bytes.buffer as ArrayBuffer]),
    signal: (signal) => worker.postMessage(signal),
    kill: async () => {
      killed = true;
      await worker.terminate().catch(() => undefined);
    },
    idle: (idle) => (idle ? worker.unref() : worker.ref()),
  };
}
