/**
 * OCR for scans and photos, only to recognise what a document is (a stamped 登记表
 * scan); its text never fills a form. Uses the `tesseract` command with `chi_sim`
 * when installed (checked once per process) and `pdftoppm` to render a PDF's first
 * page. Everything goes through pipes: nothing is written to disk.
 */
import { execFile, spawn } from 'node:child_process';

let available: Promise<boolean> | undefined;

function run(cmd: string, args: string[], input: Buffer | null, timeoutMs: number, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    if (timeoutMs <= 0) return resolve(null);
    // `env VAR=… cmd` keeps the inherited environment and stops tesseract's OpenMP from taking every core.
    const child = spawn('env', ['OMP_THREAD_LIMIT=1', cmd, ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) child.kill('SIGKILL');
      else chunks.push(chunk);
    });
    child.on('error', () => resolve(null));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 && size <= maxBytes ? Buffer.concat(chunks) : null);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? undefined);
  });
}

/** tesseract with the Simplified Chinese model present on this machine? */
export function ocrAvailable(): Promise<boolean> {
  available ??= new Promise((resolve) => {
    execFile('tesseract', ['--list-langs'], { timeout: 5000 }, (err, stdout, stderr) => {
      resolve(!err && /^chi_sim$/m.test(`${stdout}\n${stderr}`));
    });
  });
  return available;
}

export async function ocrImage(image: Buffer, timeoutMs: number): Promise<string | null> {
  if (!(await ocrAvailable())) return null;
  const out = await run('tesseract', ['stdin', 'stdout', '-l', 'chi_sim+eng', '--psm', '3'], image, timeoutMs, 4 * 1024 * 1024);
  return out ? out.toString('utf8') : null;
}

/** Page 1 of a PDF as a PNG at 150 dpi. */
export async function renderFirstPage(pdf: Buffer, timeoutMs: number): Promise<Buffer | null> {
  return run('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-'], pdf, timeoutMs, 64 * 1024 * 1024);
}

export async function ocrPdf(pdf: Buffer, timeoutMs: number): Promise<string | null> {
  if (!(await ocrAvailable())) return null;
  const started = Date.now();
  const png = await renderFirstPage(pdf, timeoutMs);
  if (!png) return null;
  return ocrImage(png, timeoutMs - (Date.now() - started));
}
