/**
 * Just enough of the OLE compound file format (MS-CFB) to tell what an OLE file holds
 * before handing it to word-extractor: a password-protected .docx is an OLE file with an
 * "EncryptedPackage" stream; a Word 97 file has a "WordDocument" stream whose header
 * (FIB) says whether it is encrypted; Excel and PowerPoint files have neither.
 */
export interface CfbEntry {
  name: string;
  type: number;
  start: number;
  size: number;
}

const END_OF_CHAIN = 0xfffffffe;
const MAX_SECTORS = 1 << 20;

export class CfbFile {
  private readonly sectorSize: number;
  private readonly fat: number[] = [];

  constructor(private readonly buf: Buffer) {
    if (buf.length < 512) throw new Error('truncated OLE header');
    const shift = buf.readUInt16LE(0x1e);
    if (shift !== 9 && shift !== 12) throw new Error(`bad OLE sector shift ${shift}`);
    this.sectorSize = 1 << shift;
    this.readFat();
  }

  private sectorOffset(n: number): number {
    return (n + 1) * this.sectorSize;
  }

  private readFat(): void {
    const fatSectors: number[] = [];
    for (let i = 0; i < 109; i++) fatSectors.push(this.buf.readUInt32LE(0x4c + i * 4));
    let difat = this.buf.readUInt32LE(0x44);
    for (let guard = 0; difat < END_OF_CHAIN && guard < 4096; guard++) {
      const off = this.sectorOffset(difat);
      if (off + this.sectorSize > this.buf.length) break;
      const per = this.sectorSize / 4 - 1;
      for (let i = 0; i < per; i++) fatSectors.push(this.buf.readUInt32LE(off + i * 4));
      difat = this.buf.readUInt32LE(off + per * 4);
    }
    const count = this.buf.readUInt32LE(0x2c);
    for (const sector of fatSectors.slice(0, count)) {
      const off = this.sectorOffset(sector);
      if (sector >= END_OF_CHAIN - 2 || off + this.sectorSize > this.buf.length) continue;
      for (let i = 0; i < this.sectorSize; i += 4) this.fat.push(this.buf.readUInt32LE(off + i));
    }
  }

  private chain(start: number): number[] {
    const sectors: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s < END_OF_CHAIN - 2 && !seen.has(s) && sectors.length < MAX_SECTORS; s = this.fat[s] ?? END_OF_CHAIN) {
      seen.add(s);
      sectors.push(s);
    }
    return sectors;
  }

  entries(): CfbEntry[] {
    const out: CfbEntry[] = [];
    for (const sector of this.chain(this.buf.readUInt32LE(0x30))) {
      const base = this.sectorOffset(sector);
      for (let off = base; off + 128 <= base + this.sectorSize && off + 128 <= this.buf.length; off += 128) {
        const nameLength = Math.min(64, this.buf.readUInt16LE(off + 0x40));
        const type = this.buf.readUInt8(off + 0x42);
        if (type === 0 || nameLength < 2) continue;
        out.push({
          name: this.buf.toString('utf16le', off, off + nameLength - 2),
          type,
          start: this.buf.readUInt32LE(off + 0x74),
          size: this.buf.readUInt32LE(off + 0x78),
        });
      }
    }
    return out;
  }

  /** The first bytes of a stream held in regular sectors (streams ≥ 4096 bytes). */
  head(entry: CfbEntry, length: number): Buffer | undefined {
    if (entry.size < 4096) return undefined;
    const off = this.sectorOffset(entry.start);
    if (off + length > this.buf.length) return undefined;
    return this.buf.subarray(off, off + Math.min(length, this.sectorSize));
  }
}

export type OleKind = 'encryptedPackage' | 'word' | 'encryptedWord' | 'other';

/** What an OLE file is; `other` covers .xls, .ppt, .msg and anything else. */
export function inspectOle(bytes: Buffer): { kind: OleKind; streams: string[] } {
  const cfb = new CfbFile(bytes);
  const entries = cfb.entries();
  const streams = entries.map((e) => e.name);
  if (entries.some((e) => e.name === 'EncryptedPackage')) return { kind: 'encryptedPackage', streams };
  const word = entries.find((e) => e.name === 'WordDocument' && e.type === 2);
  if (!word) return { kind: 'other', streams };
  const fib = cfb.head(word, 32);
  // FIB flags at 0x0A: fEncrypted (0x0100); fObfuscated (0x8000) is XOR "encryption".
  if (fib && fib.readUInt16LE(0) === 0xa5ec && (fib.readUInt16LE(0x0a) & 0x0100) !== 0) return { kind: 'encryptedWord', streams };
  return { kind: 'word', streams };
}
