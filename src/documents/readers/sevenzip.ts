/**
 * 7z through 7z-wasm (7-Zip 24.09 compiled to WebAssembly): the archive goes into the
 * module's in-memory file system, it is listed (`l -slt`), and each member is unpacked to
 * the module's stdout (`x -so`) straight into a buffer of the declared size: nothing is
 * written to a path from the archive, on the host or in the module. A dummy password is
 * always given (without one, 7-Zip waits for a password on stdin); `-spd` takes names
 * literally (no wildcards) and `--` ends the switches, so a member named `-x!…` or `@list`
 * is only a name. Links (`l` in the attributes) are never unpacked.
 */
import SevenZip, { type SevenZipModule } from '7z-wasm';
import { encrypted, tooLarge, unreadable } from '../failure';
import { pathProblem, type ArchiveEntry, type OpenedArchive } from './archive-entry';

const DUMMY_PASSWORD = '-pshenbao-no-password';
const ARCHIVE_PATH = '/archive.7z';

export type SevenZipEntry = ArchiveEntry;

interface Session {
  module: SevenZipModule;
  /** where the module's stdout bytes go now */
  sink: (byte: number) => void;
  errors: string[];
}

async function start(bytes: Buffer): Promise<Session> {
  const session: Session = { module: undefined as unknown as SevenZipModule, sink: () => undefined, errors: [] };
  session.module = await SevenZip({
    stdout: (c: number | null) => {
      if (c !== null) session.sink(c);
    },
    printErr: (s: string) => {
      if (s.trim() !== '') session.errors.push(s.trim());
    },
  } as Parameters<typeof SevenZip>[0]);
  session.module.FS.writeFile(ARCHIVE_PATH, bytes);
  return session;
}

/**
 * Runs 7-Zip once. Emscripten's exit sets `process.exitCode` to 7-Zip's exit code (it would
 * become this process's own), so it is put back; a thrown number is an abort inside 7-Zip.
 */
function run(session: Session, args: string[]): number {
  const saved = process.exitCode;
  session.errors = [];
  try {
    const rc = session.module.callMain(args) as unknown;
    return typeof rc === 'number' ? rc : 0;
  } catch (err) {
    session.errors.push(`7-Zip stopped (${err instanceof Error ? err.message : String(err)})`);
    return -1;
  } finally {
    process.exitCode = saved;
  }
}

/** The `-slt` listing: blocks of `Key = value` lines, the first block being the archive itself. */
export function parseListing(text: string): SevenZipEntry[] {
  const body = text.split(/\n----------\n/)[1] ?? '';
  const entries: SevenZipEntry[] = [];
  for (const block of body.split(/\n\s*\n/)) {
    const props = new Map<string, string>();
    for (const line of block.split('\n')) {
      const eq = line.indexOf(' = ');
      if (eq > 0) props.set(line.slice(0, eq), line.slice(eq + 3));
      else if (line.endsWith(' =')) props.set(line.slice(0, -2), '');
    }
    const name = props.get('Path');
    if (name === undefined || name === '') continue;
    const attributes = props.get('Attributes') ?? '';
    const posix = attributes.split(' ')[1] ?? '';
    const folder = props.get('Folder');
    entries.push({
      name,
      unsafe: pathProblem(name),
      directory: folder === '+' || /^D/.test(attributes) || posix.startsWith('d'),
      link: posix.startsWith('l'),
      encrypted: props.get('Encrypted') === '+',
      compressedSize: Number(props.get('Packed Size') || 0),
      uncompressedSize: Number(props.get('Size') || 0),
    });
  }
  return entries;
}

function listingFailure(errors: string[]): Error {
  const text = errors.join(' ');
  if (/encrypted|password/i.test(text)) return encrypted('The archive');
  return unreadable(`damaged 7z archive (${text.slice(0, 160) || 'no listing'})`);
}

export async function openSevenZip(bytes: Buffer): Promise<OpenedArchive<SevenZipEntry>> {
  let session = await start(bytes);
  let out: number[] = [];
  session.sink = (c) => out.push(c);
  const rc = run(session, ['l', '-slt', DUMMY_PASSWORD, '--', ARCHIVE_PATH]);
  const listing = Buffer.from(out).toString('utf8');
  out = [];
  if (rc !== 0 || !listing.includes('\n----------\n')) throw listingFailure(session.errors);
  const entries = parseListing(listing);
  return {
    format: '7z',
    entries,
    async read(entry) {
      const target = Buffer.alloc(entry.uncompressedSize);
      let size = 0;
      let over = false;
      session.sink = (c) => {
        if (size < target.length) target[size++] = c;
        else over = true;
      };
      const code = run(session, ['x', '-so', DUMMY_PASSWORD, '-spd', '-snl-', '-y', '--', ARCHIVE_PATH, entry.name]);
      session.sink = () => undefined;
      const why = session.errors.join(' ');
      // After an abort the module's state is unknown: the next member gets a fresh one.
      if (code === -1) session = await start(bytes);
      if (over) throw tooLarge(`member ${entry.name} is larger than declared`);
      if (code !== 0 || size !== target.length) {
        if (/Wrong password|encrypted/i.test(why)) throw encrypted('This archive member');
        throw unreadable(`member ${entry.name} is damaged (${why.slice(0, 160) || `7-Zip exit ${code}`})`);
      }
      return target;
    },
    fingerprint(entry) {
      // 7-Zip gives no raw member bytes: the listing's facts stand for them.
      return Promise.resolve(Buffer.from(`7z\0${entry.name}\0${entry.compressedSize}\0${entry.uncompressedSize}`));
    },
    close() {
      try {
        session.module.FS.unlink(ARCHIVE_PATH);
      } catch {
        // already gone
      }
    },
  };
}
