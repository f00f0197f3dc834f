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
    // --optimize-for-size: V8's smaller-heap heuristics. Over the backlog's documents a process
    // levelled off at ~100 MB instead of ~135 MB, in about the same time (issue 10 §3's peak RSS);
    // the heap cap is unchanged, so a hostile document still ends as TOO_LARGE.
    execArgv: [`--max-old-space-size=${maxMemoryMb}`, '--optimize-for-size'],
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
