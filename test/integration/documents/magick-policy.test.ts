/**
 * ImageMagick only ever runs under config/imagemagick/policy.xml (issue 8 §3): the raster
 * coders a scan comes in, PNG out, nothing else. Hostile coders are refused even when named
 * explicitly, and a photo is still cropped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { magick, magickCoder, MAGICK_POLICY_DIR } from '../../../src/documents/readers/ocr';

const ROOT = path.resolve(__dirname, '../../..');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

test('the policy ImageMagick is given is the one shipped in the repo', () => {
  expect(MAGICK_POLICY_DIR).toBe(path.join(ROOT, 'config/imagemagick'));
  const listed = spawnSync('convert', ['-list', 'policy'], { env: { ...process.env, MAGICK_CONFIGURE_PATH: MAGICK_POLICY_DIR }, encoding: 'utf8' });
  expect(listed.stdout).toContain(path.join(MAGICK_POLICY_DIR, 'policy.xml'));
});

test('a photographed scan is still cropped to PNG under the policy', async () => {
  const jpg = fs.readFileSync(path.join(ROOT, 'fixtures/documents/other/core-stamped-scan.jpg'));
  expect(magickCoder(jpg)).toBe('jpeg');
  const out = await magick('jpeg', ['-gravity', 'North', '-crop', '100%x50%+0+0', '+repage'], jpg, 10_000);
  expect(out?.subarray(0, 4)).toEqual(PNG_MAGIC);
});

test.each(['svg', 'msl', 'mvg', 'text', 'url', 'ps', 'pdf'])('the %s coder is refused', async (coder) => {
  expect(await magick(coder, [], SVG, 10_000)).toBeNull();
});

test('ephemeral: (read then delete a file) is refused and the file survives', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'magick-'));
  const victim = path.join(dir, 'victim.png');
  fs.writeFileSync(victim, await magick('jpeg', [], fs.readFileSync(path.join(ROOT, 'fixtures/documents/other/core-stamped-scan.jpg')), 10_000) ?? Buffer.alloc(0));
  const r = spawnSync('convert', [`ephemeral:${victim}`, 'png:-'], { env: { ...process.env, MAGICK_CONFIGURE_PATH: MAGICK_POLICY_DIR } });
  expect(r.stdout.length).toBe(0);
  expect(fs.existsSync(victim)).toBe(true);
});

/** A grey PNG of `width` x `height`, built by hand (no ImageMagick involved). */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height);
  return Buffer.concat([PNG_MAGIC, Buffer.from([0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

test('an image wider than the policy allows is refused, one within it is read', async () => {
  expect(await magick('png', [], png(13_000, 4), 10_000)).toBeNull();
  expect((await magick('png', [], png(1000, 4), 10_000))?.subarray(0, 4)).toEqual(PNG_MAGIC);
});

test('bytes of no known image format are not handed to ImageMagick', () => {
  expect(magickCoder(SVG)).toBeNull();
  expect(magickCoder(Buffer.from('%!PS-Adobe-3.0'))).toBeNull();
});
