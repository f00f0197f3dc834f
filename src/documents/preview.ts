/**
 * Preview images of applicants' documents for the dashboard. A PDF is never handed to the
 * browser to render (Chrome's viewer refuses a sandboxed PDF, and a PDF is the sender's
 * program): poppler's `pdftoppm` renders one page to a PNG in a child process — no shell, the
 * PDF on its stdin, a time limit, the longest side capped, an address-space cap when prlimit
 * is there — and the PNG is kept content-addressed, `<dir>/<sha256>-p<page>.png`, so a page is
 * rendered once. A JPEG or PNG is shown as it is, but only when its bytes say so (the name
 * and the claimed type are the sender's). Anything else has no preview.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runChild } from './child';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/** The highest page a request may name: beyond it nobody previews, they download. */
export const MAX_PREVIEW_PAGE = 200;

export type PreviewImage = { ok: true; type: 'image/png' | 'image/jpeg'; bytes: Buffer };
export type NoPreview = { ok: false; reason: 'format' | 'unreadable' | 'no-page' | 'timeout' | 'unavailable'; detail: string };
export type Preview = PreviewImage | NoPreview;

export interface PreviewOptions {
  /** Where rendered pages are kept (the dashboard: STORAGE_DIR/previews). */
  dir: string;
  /** Per render; a PDF that takes longer has no preview. */
  timeoutMs?: number;
  /** The longest side of a rendered page, in pixels. */
  scaleTo?: number;
  /** Address-space cap of pdftoppm (bytes), applied through prlimit when it is installed. */
  memoryBytes?: number;
  /** Renders at once (the machine's cores are shared with the worker). */
  concurrency?: number;
  pdftoppm?: string;
}

/** What the bytes are, for previewing: only these three are ever looked at. */
export function previewKind(bytes: Uint8Array): 'pdf' | 'png' | 'jpeg' | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'png';
  if (b.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return 'jpeg';
  // PDF readers accept the header anywhere in the first KB; so does pdftoppm.
  if (b.subarray(0, 1024).toString('latin1').includes('%PDF-')) return 'pdf';
  return null;
}

const SHA = /^[0-9a-f]{64}$/;
const PRLIMIT = '/usr/bin/prlimit';

export class PreviewRenderer {
  private readonly timeoutMs: number;
  private readonly scaleTo: number;
  private readonly memoryBytes: number;
  private readonly concurrency: number;
  private readonly pdftoppm: string;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Renders in progress by cache name: two requests for one page share one pdftoppm. */
  private readonly inFlight = new Map<string, Promise<Preview>>();

  constructor(private readonly opts: PreviewOptions) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.scaleTo = opts.scaleTo ?? 1200;
    this.memoryBytes = opts.memoryBytes ?? 1024 * 1024 * 1024;
    this.concurrency = opts.concurrency ?? 2;
    this.pdftoppm = opts.pdftoppm ?? 'pdftoppm';
  }

  /** Where page `page` of the document `sha256` is (or will be) kept. */
  pathOf(sha256: string, page: number): string {
    if (!SHA.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    if (!Number.isInteger(page) || page < 1 || page > MAX_PREVIEW_PAGE) throw new Error(`not a page: ${page}`);
    return path.join(this.opts.dir, `${sha256}-p${page}.png`);
  }

  /** A page rendered earlier, without the document's bytes (the route then need not open the raw email). */
  async cached(sha256: string, page: number): Promise<PreviewImage | null> {
    const file = this.pathOf(sha256, page);
    const bytes = await readFile(file).catch(() => null);
    return bytes && previewKind(bytes) === 'png' ? { ok: true, type: 'image/png', bytes } : null;
  }

  /** The preview of `bytes` (whose sha256 is `sha256`): page `page` of a PDF, or the image itself. */
  async preview(sha256: string, bytes: Buffer, page = 1): Promise<Preview> {
    const target = this.pathOf(sha256, page);
    const kind = previewKind(bytes);
    if (kind === 'png' || kind === 'jpeg') {
      return page === 1 ? { ok: true, type: kind === 'png' ? 'image/png' : 'image/jpeg', bytes } : { ok: false, reason: 'no-page', detail: 'an image has one page' };
    }
    if (kind !== 'pdf') return { ok: false, reason: 'format', detail: 'neither a PDF nor a JPEG/PNG image by its bytes' };
    const hit = await this.cached(sha256, page);
    if (hit) return hit;
    const pending = this.inFlight.get(target);
    if (pending) return pending;
    const render = this.limited(() => this.render(bytes, page, target)).finally(() => this.inFlight.delete(target));
    this.inFlight.set(target, render);
    return render;
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private async render(pdf: Buffer, page: number, target: string): Promise<Preview> {
    const work = path.join(this.opts.dir, 'tmp', randomUUID());
    await mkdir(work, { recursive: true });
    try {
      const out = path.join(work, 'page');
      const args = ['-png', '-f', String(page), '-l', String(page), '-scale-to', String(this.scaleTo), '-singlefile', '-', out];
      const [cmd, argv] = existsSync(PRLIMIT)
        ? [PRLIMIT, [`--as=${this.memoryBytes}`, '--', this.pdftoppm, ...args]]
        : [this.pdftoppm, args];
      const r = await runChild(cmd, argv, pdf, { timeoutMs: this.timeoutMs, keepStderr: true });
      if (r.spawnError) return { ok: false, reason: 'unavailable', detail: `pdftoppm could not run: ${r.spawnError}` };
      if (r.timedOut) return { ok: false, reason: 'timeout', detail: `pdftoppm took more than ${this.timeoutMs} ms` };
      if (/Wrong page range/i.test(r.stderr)) return { ok: false, reason: 'no-page', detail: `the PDF has no page ${page}` };
      const png = await readFile(`${out}.png`).catch(() => null);
      if (r.code !== 0 || !png || previewKind(png) !== 'png') {
        return { ok: false, reason: 'unreadable', detail: `pdftoppm exit ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`.slice(0, 300) };
      }
      // Written beside, then renamed: a crash never leaves half a PNG under the cache name.
      const tmp = `${target}.${randomUUID()}.part`;
      await writeFile(tmp, png);
      await rename(tmp, target);
      return { ok: true, type: 'image/png', bytes: png };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}
