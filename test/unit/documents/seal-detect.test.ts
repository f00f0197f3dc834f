/** The pure seal detector (cross-checks.md §5) on synthetic pages: what it takes and what it rejects. */
import { detectSeal, isRed, parsePpm, type RgbImage } from '../../../src/documents/seal-detect';

const W = 566; // an A4 page rendered 800 px high
const H = 800;
type Rgb = [number, number, number];
const RED: Rgb = [214, 30, 36];

function page(paper: Rgb = [246, 246, 242]): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) data.set(paper, 3 * i);
  return { width: W, height: H, data };
}
function put(img: RgbImage, x: number, y: number, c: Rgb): void {
  if (x >= 0 && y >= 0 && x < img.width && y < img.height) img.data.set(c, 3 * (Math.round(y) * img.width + Math.round(x)));
}
function rect(img: RgbImage, x0: number, y0: number, w: number, h: number, c: Rgb): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) put(img, x, y, c);
}
/** An elliptic ring (rx, ry outer radii, `stroke` thick), or a disc when stroke ≥ radius. */
function ring(img: RgbImage, cx: number, cy: number, rx: number, ry: number, stroke: number, c: Rgb = RED): void {
  for (let y = Math.floor(cy - ry); y <= cy + ry; y++) {
    for (let x = Math.floor(cx - rx); x <= cx + rx; x++) {
      const rho = Math.hypot((x - cx) / rx, (y - cy) / ry);
      if (rho <= 1 && rho >= 1 - stroke / Math.min(rx, ry)) put(img, x, y, c);
    }
  }
}
/** A red seal as drawn by make_seal: a ring 54 px across-radius (40 mm on A4), a star and text inside. */
function seal(img: RgbImage, cx: number, cy: number, c: Rgb = RED, sx = 1): void {
  ring(img, cx, cy, 54 * sx, 54, 4, c);
  ring(img, cx, cy, 14 * sx, 14, 14, c);
  for (let a = 200; a <= 340; a += 12) rect(img, Math.round(cx + 38 * sx * Math.cos((a * Math.PI) / 180)) - 4, Math.round(cy + 38 * Math.sin((a * Math.PI) / 180)) - 4, 8, 8, c);
}
/** Black table lines and text over everything, as a stamp over a filled form looks. */
function blackLines(img: RgbImage): void {
  for (let y = 60; y < H; y += 22) rect(img, 40, y, W - 80, 2, [20, 20, 20]);
}

describe('red pixels', () => {
  it('seal red, faint pink and the red of a warm photo are red; paper, black, orange and brown are not', () => {
    expect(isRed(214, 30, 36)).toBe(true);
    expect(isRed(235, 160, 160)).toBe(true); // faint stamp
    expect(isRed(219, 55, 56)).toBe(true);
    expect(isRed(255, 249, 243)).toBe(false); // warm-lit paper
    expect(isRed(20, 20, 20)).toBe(false);
    expect(isRed(240, 150, 30)).toBe(false); // orange highlighter
    expect(isRed(90, 60, 50)).toBe(false); // a brown desk, too dark
  });
});

describe('detectSeal', () => {
  it('a page with nothing red has no seal and no candidate', () => {
    const img = page();
    blackLines(img);
    expect(detectSeal(img)).toEqual({ seal: false, candidates: [] });
  });

  it('a seal over the black lines of a form is seen', () => {
    const img = page();
    seal(img, 345, 162);
    blackLines(img);
    const found = detectSeal(img);
    expect(found.seal).toBe(true);
    const taken = found.candidates.filter((c) => c.seal);
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ x: expect.any(Number), rimCoverage: 1 });
    expect(taken[0]!.relativeSize).toBeGreaterThan(0.18);
    expect(taken[0]!.relativeSize).toBeLessThan(0.21);
  });

  it('a faint seal (pale pink ink) is seen', () => {
    const img = page();
    seal(img, 345, 162, [236, 168, 168]);
    expect(detectSeal(img).seal).toBe(true);
  });

  it('a solid red disc of seal size is seen', () => {
    const img = page();
    ring(img, 300, 400, 54, 54, 60);
    expect(detectSeal(img).seal).toBe(true);
  });

  it('a seal foreshortened by a photo at an angle (0.75 as wide as high) is seen; a 0.5 ellipse is not round', () => {
    const img = page();
    seal(img, 300, 300, RED, 0.75);
    expect(detectSeal(img).seal).toBe(true);
    const flat = page();
    seal(flat, 300, 300, RED, 0.5);
    expect(detectSeal(flat).candidates.find((c) => c.width > 40)?.reason).toBe('not round (aspect)');
  });

  it('a small round red logo (15 mm), a red header bar and red text lines are not seals', () => {
    const img = page();
    ring(img, 500, 60, 20, 20, 3);
    rect(img, 0, 0, W, 20, RED);
    for (let x = 60; x < 500; x += 16) rect(img, x, 740, 12, 14, RED); // a line of red characters
    const found = detectSeal(img);
    expect(found.seal).toBe(false);
    // The logo is too small; the bar and the text line are as wide as the page, or far from round.
    expect(found.candidates.map((c) => c.reason).sort()).toEqual(['too large', 'too large', 'too small']);
  });

  it('a square red block of seal size (a logo, a block of red characters) is not round', () => {
    const img = page();
    rect(img, 250, 250, 108, 108, RED);
    expect(detectSeal(img).candidates[0]?.reason).toBe('not round (red in the corners)');
  });

  it('an arc of red (half a ring, a seal cut off) has no closed rim', () => {
    const img = page();
    ring(img, 300, 300, 54, 54, 4);
    rect(img, 240, 300, 130, 60, [246, 246, 242]);
    expect(detectSeal(img).seal).toBe(false);
  });

  it('the size is measured against the paper: the same seal on a page photographed small on a dark desk is seen, a logo there is not', () => {
    const img = page([90, 80, 70]);
    rect(img, 150, 100, 283, 400, [250, 248, 240]); // the page, half the frame's width
    ring(img, 290, 200, 27, 27, 3); // 40 mm on that page
    ring(img, 400, 130, 10, 10, 2); // 15 mm
    const found = detectSeal(img);
    expect(found.seal).toBe(true);
    expect(found.candidates.filter((c) => c.seal)).toHaveLength(1);
  });
});

describe('parsePpm', () => {
  it('reads one or more binary PPM pages, as pdftoppm and ImageMagick write them', () => {
    const one = Buffer.concat([Buffer.from('P6\n# made by hand\n2 1\n255\n'), Buffer.from([255, 0, 0, 0, 0, 255])]);
    const pages = parsePpm(Buffer.concat([one, one]));
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ width: 2, height: 1 });
    expect([...pages[1]!.data]).toEqual([255, 0, 0, 0, 0, 255]);
  });
  it('refuses what is not a binary 8-bit PPM, or is cut short', () => {
    expect(() => parsePpm(Buffer.from('P3\n1 1\n255\n1 2 3\n'))).toThrow('not a binary PPM');
    expect(() => parsePpm(Buffer.from('P6\n1 1\n65535\n'))).toThrow('unsupported PPM header');
    expect(() => parsePpm(Buffer.from('P6\n2 2\n255\n\x00\x00'))).toThrow('truncated PPM');
  });
});
