/**
 * A pool of worker threads, each reading one file at a time under a time limit and a
 * heap cap. A worker that overruns is terminated and replaced; one that dies (out of
 * memory, crash) is replaced too. The file it was reading gets a coded outcome; the
 * other files are untouched.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ParseTask, WireItem, WorkerReply } from './protocol';

export type TaskOutcome =
  | { type: 'done'; items: WireItem[] }
  | { type: 'timeout' }
  | { type: 'outOfMemory' }
  | { type: 'crashed'; message: string };

export interface PoolOptions {
  concurrency: number;
  timeoutMs: number;
  maxMemoryMb: number;
}

interface Job {
  task: Omit<ParseTask, 'id'>;
  resolve: (outcome: TaskOutcome) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  dead: boolean;
}

/** The compiled worker: next to this file in dist/, or under dist/ when running from .ts (ts-jest). */
export function workerScript(): string {
  if (__filename.endsWith('.ts')) return path.resolve(__dirname, '../../dist/src/documents/worker.js');
  return path.join(__dirname, 'worker.js');
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** workers that died before they could load: a broken build, not a user's file */
  private startupFailures = 0;

  constructor(private readonly opts: PoolOptions) {}

  run(task: Omit<ParseTask, 'id'>): Promise<TaskOutcome> {
    if (this.closed) throw new Error('document pool is closed');
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve({ type: 'crashed', message: 'document pool closed' });
    await Promise.all(this.slots.splice(0).map((slot) => this.kill(slot)));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const idle = this.slots.find((s) => s.ready && !s.job && !s.dead);
      if (idle) {
        this.start(idle, this.queue.shift() as Job);
        continue;
      }
      const starting = this.slots.filter((s) => !s.ready && !s.dead).length;
      if (this.slots.length < this.opts.concurrency && starting < this.queue.length) {
        this.spawn();
        continue;
      }
      return;
    }
  }

  private spawn(): void {
    const worker = new Worker(workerScript(), {
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxMemoryMb, maxYoungGenerationSizeMb: 64 },
      // pdf.js and friends may print to stdout, which belongs to the command's JSON output.
      stdout: true,
    });
    worker.stdout.pipe(process.stderr, { end: false });
    const slot: Slot = { worker, ready: false, job: undefined, timer: undefined, dead: false };
    this.slots.push(slot);
    worker.on('message', (reply: WorkerReply) => this.onReply(slot, reply));
    worker.on('error', (err: Error & { code?: string }) => {
      this.retire(slot, err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { type: 'outOfMemory' } : { type: 'crashed', message: err.message });
    });
    worker.on('exit', (code) => this.retire(slot, { type: 'crashed', message: `worker exited with code ${code}` }));
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    slot.timer = setTimeout(() => this.retire(slot, { type: 'timeout' }), this.opts.timeoutMs);
    const task: ParseTask = { ...job.task, id: this.nextId++ };
    slot.worker.postMessage(task, [task.bytes.buffer as ArrayBuffer]);
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      this.startupFailures = 0;
      slot.worker.unref();
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job) return;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.worker.unref();
    if (reply.type === 'bug') {
      process.stderr.write(`shenbao: internal error while reading ${job.task.file}: ${reply.stack || reply.message}\n`);
      job.resolve({ type: 'crashed', message: `internal error: ${reply.message}` });
    } else job.resolve({ type: 'done', items: reply.items });
    this.pump();
  }

  /** Ends a worker that overran or died; its job gets `outcome`, a new worker takes the queue. */
  private retire(slot: Slot, outcome: TaskOutcome): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.timer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = undefined;
    void this.kill(slot);
    if (job) job.resolve(outcome);
    if (!slot.ready && !job && ++this.startupFailures >= 3) {
      const why = outcome.type === 'crashed' ? outcome.message : outcome.type;
      for (const queued of this.queue.splice(0)) queued.reject(new Error(`document worker cannot start (${workerScript()}): ${why}`));
      return;
    }
    if (!this.closed) this.pump();
  }

  private async kill(slot: Slot): Promise<void> {
    slot.dead = true;
    clearTimeout(slot.timer);
    await slot.worker.terminate().catch(() => undefined);
  }
}
