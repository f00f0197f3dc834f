/**
 * A pool worker: reads one file (or one raw email) per task in its own process (or thread), so
 * a hostile document or email can only exhaust this worker's time and memory (the pool
 * enforces both).
 */
// First: the readers below must not load the canvas module (see there).
import './no-canvas';
import { parentPort } from 'node:worker_threads';
import { readEmail } from '../mail/read-email';
import type { EmailTask, ParseTask, PoolSignal, WireItem, WorkerReply, WorkerTask } from './protocol';
import { setOcrGate } from './readers/ocr';
import { readItems } from './read';

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function handle(task: WorkerTask): Promise<WorkerReply> {
  try {
    if (task.type === 'email') return await handleEmail(task);
    return await handleParse(task);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { type: 'bug', id: task.id, message: e.message, stack: e.stack ?? '' };
  }
}

async function handleEmail(task: EmailTask): Promise<WorkerReply> {
  // Each attachment crosses as its own bytes (the serializer writes a Buffer's view, not its pool).
  const email = await readEmail(toBuffer(task.bytes), { maxForwardDepth: task.maxForwardDepth });
  return { type: 'email', id: task.id, email };
}

async function handleParse(task: ParseTask): Promise<WorkerReply> {
  const items = await readItems(task.file, toBuffer(task.bytes), { depth: task.depth, deadline: Date.now() + task.timeoutMs, includeText: task.includeText, stage: task.stage, scans: new Set(task.scans), pages: new Set(task.pages) });
  const wire: WireItem[] = items.map((item) =>
    'record' in item ? item : { member: { file: item.member.file, bytes: new Uint8Array(item.member.bytes), depth: item.member.depth } },
  );
  return { type: 'done', id: task.id, items: wire };
}

if (parentPort) {
  // A worker thread.
  const port = parentPort;
  port.on('message', (task: WorkerTask) => {
    void handle(task).then((reply) => {
      const transfer = reply.type === 'done' ? reply.items.flatMap((i) => ('member' in i ? [i.member.bytes.buffer as ArrayBuffer] : [])) : [];
      port.postMessage(reply, transfer);
    });
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} else if (process.send) {
  // A child process (fork with 'advanced' serialization): one task at a time.
  const send = process.send.bind(process);
  // Image programs wait for the pool's turn (the pool bounds how many run over all its processes).
  const turns: (() => void)[] = [];
  setOcrGate(() => new Promise((resolve) => {
    turns.push(() => resolve(() => send({ type: 'ocrRelease' } satisfies WorkerReply)));
    send({ type: 'ocrAcquire' } satisfies WorkerReply);
  }));
  process.on('message', (message: WorkerTask | PoolSignal) => {
    if (message.type === 'ocrGranted') {
      turns.shift()?.();
      return;
    }
    // The process's size rides on each answer: the pool replaces a grown process between tasks.
    void handle(message).then((reply) => send({ ...reply, rss: process.memoryUsage.rss() }));
  });
  // The pool is gone (it crashed or closed without killing us): so are we.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' } satisfies WorkerReply);
}
