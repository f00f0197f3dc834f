/**
 * A pool of workers (child processes by default, or threads), each reading one file (or one
 * raw email) at a time under a time limit and a heap cap. A worker that overruns is killed and replaced;
 * one that dies (out of memory, crash) is replaced too. The file it was reading gets a
 * coded outcome; the other files are untouched.
 */
import { type Host, type HostEnd, type Isolation, spawnProcess, spawnThread, workerScript } from './hosts';
import type { IncomingEmail } from '../domain/email';
import type { Unsent, WireItem, WorkerReply, WorkerTask } from './protocol';

export type TaskOutcome =
  | { type: 'done'; items: WireItem[] }
  | { type: 'email'; email: IncomingEmail }
  | { type: 'timeout' }
  /** the caller's deadline (the email's total budget) passed before or while it ran */
  | { type: 'expired' }
  | { type: 'outOfMemory' }
  | { type: 'crashed'; message: string };

export interface PoolOptions {
  concurrency: number;
  timeoutMs: number;
  maxMemoryMb: number;
  isolation: Isolation;
  /** image programs (pdftoppm, ImageMagick, tesseract) running at once over all workers (each 10-75 MB and a core) */
  ocrConcurrency: number;
  /**
   * A worker process whose resident set has grown past this many MB is replaced once its task
   * has answered (never mid-document); 0: never. A fresh process is ~70 MB and ready in ~0.3 s.
   */
  recycleRssMb: number;
}

export interface RunOptions {
  /** epoch ms: not started after it, ended at it (reported `expired`, not `timeout`) */
  deadline?: number;
  /** ahead of the queue (reading an email comes before the documents of others) */
  first?: boolean;
}

interface Job {
  task: Unsent<WorkerTask>;
  opts: RunOptions;
  resolve: (outcome: TaskOutcome) => void;
  reject: (err: Error) => void;
}

interface Slot {
  host: Host;
  ready: boolean;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  dead: boolean;
  /** holds one of the pool's turns to run an image program */
  ocr: boolean;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** workers that died before they could load: a broken build, not a user's file */
  private startupFailures = 0;
  private ocrRunning = 0;
  private readonly ocrWaiting: Slot[] = [];

  constructor(private readonly opts: PoolOptions) {}

  run(task: Unsent<WorkerTask>, opts: RunOptions = {}): Promise<TaskOutcome> {
    if (this.closed) throw new Error('document pool is closed');
    return new Promise((resolve, reject) => {
      const job = { task, opts, resolve, reject };
      if (opts.first) this.queue.unshift(job);
      else this.queue.push(job);
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
    const slot = { ready: false, job: undefined, timer: undefined, dead: false, ocr: false } as Omit<Slot, 'host'> as Slot;
    const events = {
      reply: (reply: WorkerReply) => this.onReply(slot, reply),
      ended: (end: HostEnd) => this.retire(slot, end),
    };
    slot.host = this.opts.isolation === 'thread' ? spawnThread(this.opts.maxMemoryMb, events) : spawnProcess(this.opts.maxMemoryMb, events);
    this.slots.push(slot);
  }

  private start(slot: Slot, job: Job): void {
    const { deadline } = job.opts;
    const left = deadline === undefined ? Infinity : deadline - Date.now();
    if (left <= 0) {
      job.resolve({ type: 'expired' });
      this.pump();
      return;
    }
    slot.job = job;
    slot.host.idle(false);
    const limit = job.task.timeoutMs;
    const ms = Math.min(limit, left);
    slot.timer = setTimeout(() => this.retire(slot, ms < limit ? { type: 'expired' } : { type: 'timeout' }), ms);
    const task = { ...job.task, id: this.nextId++ } as WorkerTask;
    slot.host.send(task);
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      this.startupFailures = 0;
      slot.host.idle(true);
      this.pump();
      return;
    }
    if (reply.type === 'ocrAcquire') {
      this.ocrWaiting.push(slot);
      this.grantOcr();
      return;
    }
    if (reply.type === 'ocrRelease') {
      this.releaseOcr(slot);
      return;
    }
    const job = slot.job;
    if (!job) return;
    // A turn not given back by the end of the task (it cannot happen: the release is sent first).
    this.releaseOcr(slot);
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.host.idle(true);
    const grown = this.opts.recycleRssMb > 0 && reply.rss !== undefined && reply.rss > this.opts.recycleRssMb * 1024 * 1024;
    if (reply.type === 'bug') {
      const what = job.task.type === 'parse' ? job.task.file : 'an email';
      process.stderr.write(`shenbao: internal error while reading ${what}: ${reply.stack || reply.message}\n`);
      job.resolve({ type: 'crashed', message: `internal error: ${reply.message}` });
    } else if (reply.type === 'email') job.resolve({ type: 'email', email: reply.email });
    else job.resolve({ type: 'done', items: reply.items });
    if (grown) this.recycle(slot);
    this.pump();
  }

  /**
   * Replaces an idle worker process that has grown (V8 and the readers' native memory keep what
   * a large document needed): the fresh one starts at once, so the next task does not wait for it.
   */
  private recycle(slot: Slot): void {
    slot.dead = true;
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    void this.kill(slot);
    if (!this.closed) this.spawn();
  }

  /** Turns to run an image program, to the workers waiting, up to `ocrConcurrency`. */
  private grantOcr(): void {
    while (this.ocrRunning < this.opts.ocrConcurrency && this.ocrWaiting.length > 0) {
      const slot = this.ocrWaiting.shift() as Slot;
      if (slot.dead) continue;
      slot.ocr = true;
      this.ocrRunning++;
      slot.host.signal({ type: 'ocrGranted' });
    }
  }

  private releaseOcr(slot: Slot): void {
    if (slot.ocr) {
      slot.ocr = false;
      this.ocrRunning--;
    }
    this.grantOcr();
  }

  /** Ends a worker that overran or died; its job gets `outcome`, a new worker takes the queue. */
  private retire(slot: Slot, outcome: TaskOutcome): void {
    if (slot.dead) return;
    slot.dead = true;
    const waiting = this.ocrWaiting.indexOf(slot);
    if (waiting >= 0) this.ocrWaiting.splice(waiting, 1);
    this.releaseOcr(slot);
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
    await slot.host.kill();
  }
}
