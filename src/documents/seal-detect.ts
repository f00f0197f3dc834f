/**
 * cross-checks.md §5, pure: is a red company seal (公章: a red ring or disc 38–45 mm across,
 * with red text) on a page? Input is the page as RGB pixels (src/documents/seal.ts renders
 * it); output is a hint for staff, never a verdict on authenticity.
 *
 * Steps: red pixels by HSV (hue near 0°, enough saturation and value for a faint stamp, not
 * the warm tint of a phone photo); a coarse grid of red cells, grown by one cell so a ring
 * broken by the black text it is stamped over stays one piece; connected components; a
 * component is a seal when its box is seal-sized relative to the page, roughly round, its
 * red lies inside the box's inscribed ellipse (a square logo or a block of red text fills the
 * corners), and it is a ring (red all around the rim) or a disc (mostly filled).
 */

export interface RgbImage {
  width: number;
  height: number;
  /** width × height × 3 bytes, row by row */
  data: Uint8Array;
}

export interface SealCandidate {
  x: number;
  y: number;
  width: number;
  height: number;
  /** box diameter / the width of the paper along the seal's rows (the image's width for a scan) */
  relativeSize: number;
  aspect: number;
  /** share of the component's red pixels outside the inscribed ellipse */
  outside: number;
  /** share of 24 angular sectors of the rim that hold red */
  rimCoverage: number;
  /** red pixels / inscribed ellipse area */
  fill: number;
  seal: boolean;
  /** why it is not a seal, for tests and tuning */
  reason: string;
}

export interface SealFinding {
  seal: boolean;
  candidates: SealCandidate[];
}

/**
 * Seal diameter relative to the paper's width where it sits. 38–45 mm on A4 (210 mm) is
 * 18–21 %, 13–15 % on A4 landscape; a scanned page may be a little smaller or larger, a photo
 * at an angle narrows the page unevenly. A 15 mm logo is 7 %, a 20 mm one 9.5 %.
 */
export const SEAL_SIZE = { min: 0.12, max: 0.32 } as const;
export const SEAL_ASPECT = { min: 0.7, max: 1.4 } as const;

/** Red: hue within 25° of 0°, saturation ≥ 0.2 (a faint stamp), value ≥ 0.43 (not a brown desk or a shadow), and red clearly above green and blue. */
export function isRed(r: number, g: number, b: number): boolean {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max !== r || max < 110) return false;
  const s = (max - min) / max;
  if (s < 0.2 || r - Math.max(g, b) < 30) return false;
  // Hue of a red-maximum pixel: 60° × (g − b) / (max − min), in (−60°, 60°).
  const hue = (60 * (g - b)) / (max - min);
  return hue > -25 && hue < 25;
}

function redMask(img: RgbImage): Uint8Array {
  const n = img.width * img.height;
  const mask = new Uint8Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) mask[i] = isRed(d[3 * i] ?? 0, d[3 * i + 1] ?? 0, d[3 * i + 2] ?? 0) ? 1 : 0;
  return mask;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Components of the grown cell grid, as pixel boxes. */
function components(mask: Uint8Array, width: number, height: number, cell: number): Box[] {
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const red = new Uint8Array(gw * gh);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) if (mask[y * width + x]) red[Math.floor(y / cell) * gw + Math.floor(x / cell)] = 1;
  }
  const grown = new Uint8Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      if (!red[gy * gw + gx]) continue;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = gx + dx;
          const y = gy + dy;
          if (x >= 0 && y >= 0 && x < gw && y < gh) grown[y * gw + x] = 1;
        }
      }
    }
  }
  const seen = new Uint8Array(gw * gh);
  const boxes: Box[] = [];
  const stack: number[] = [];
  for (let start = 0; start < gw * gh; start++) {
    if (!grown[start] || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    let box: Box | null = null;
    while (stack.length > 0) {
      const c = stack.pop() as number;
      const cx = c % gw;
      const cy = (c - cx) / gw;
      // The box is of the red cells only, not of the growth around them.
      if (red[c]) {
        if (!box) box = { x0: cx, y0: cy, x1: cx, y1: cy };
        else {
          box.x0 = Math.min(box.x0, cx);
          box.y0 = Math.min(box.y0, cy);
          box.x1 = Math.max(box.x1, cx);
          box.y1 = Math.max(box.y1, cy);
        }
      }
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < 0 || y < 0 || x >= gw || y >= gh) continue;
          const k = y * gw + x;
          if (grown[k] && !seen[k]) {
            seen[k] = 1;
            stack.push(k);
          }
        }
      }
    }
    if (box) {
      boxes.push({
        x0: box.x0 * cell,
        y0: box.y0 * cell,
        x1: Math.min(width, (box.x1 + 1) * cell),
        y1: Math.min(height, (box.y1 + 1) * cell),
      });
    }
  }
  return boxes;
}

const SECTORS = 24;

/** Bright, grey-to-white pixels: paper (a desk or a scanner lid around a photographed page is darker or coloured). */
function isPaper(r: number, g: number, b: number): boolean {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  return min >= 150 && max - min < 0.25 * max;
}

/**
 * The paper's width along rows y0..y1 (median over the rows): from the first to the last run of
 * 5 paper pixels, the seal's own red counting as paper. A scan's paper spans the image; in a
 * photo the page is narrower than the frame, and narrower still where it is farther away.
 */
function paperWidth(img: RgbImage, mask: Uint8Array, y0: number, y1: number): number {
  const widths: number[] = [];
  const d = img.data;
  for (let y = y0; y < y1; y++) {
    let first = -1;
    let last = -1;
    let run = 0;
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      if (mask[i] || isPaper(d[3 * i] ?? 0, d[3 * i + 1] ?? 0, d[3 * i + 2] ?? 0)) {
        run++;
        if (run === 5 && first < 0) first = x - 4;
        if (run >= 5) last = x;
      } else run = 0;
    }
    if (first >= 0) widths.push(last - first + 1);
  }
  widths.sort((a, b) => a - b);
  return widths[Math.floor(widths.length / 2)] ?? img.width;
}

function measure(img: RgbImage, mask: Uint8Array, b: Box): SealCandidate {
  const width = img.width;
  const w = b.x1 - b.x0;
  const h = b.y1 - b.y0;
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  const rx = w / 2;
  const ry = h / 2;
  let total = 0;
  let outside = 0;
  const rim = new Uint8Array(SECTORS);
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      if (!mask[y * width + x]) continue;
      total++;
      const nx = (x + 0.5 - cx) / rx;
      const ny = (y + 0.5 - cy) / ry;
      const rho = Math.sqrt(nx * nx + ny * ny);
      // 1.1: the box is of coarse cells, and a photographed seal's ellipse is a little tilted.
      if (rho > 1.1) outside++;
      else if (rho > 0.75) rim[Math.min(SECTORS - 1, Math.floor(((Math.atan2(ny, nx) + Math.PI) / (2 * Math.PI)) * SECTORS))] = 1;
    }
  }
  const rimCoverage = rim.reduce((n, v) => n + v, 0) / SECTORS;
  const fill = total / (Math.PI * rx * ry);
  const candidate: SealCandidate = {
    x: b.x0,
    y: b.y0,
    width: w,
    height: h,
    relativeSize: Math.max(w, h) / Math.max(1, paperWidth(img, mask, b.y0, b.y1)),
    aspect: w / h,
    outside: total === 0 ? 0 : outside / total,
    rimCoverage,
    fill,
    seal: false,
    reason: '',
  };
  candidate.reason = rejection(candidate);
  candidate.seal = candidate.reason === '';
  return candidate;
}

function rejection(c: SealCandidate): string {
  if (c.relativeSize < SEAL_SIZE.min) return 'too small';
  if (c.relativeSize > SEAL_SIZE.max) return 'too large';
  if (c.aspect < SEAL_ASPECT.min || c.aspect > SEAL_ASPECT.max) return 'not round (aspect)';
  // A circle leaves its box's corners empty; a rectangle, a bar or a block of text does not.
  if (c.outside > 0.08) return 'not round (red in the corners)';
  const disc = c.fill >= 0.5;
  const ring = c.rimCoverage >= 0.75 && c.fill >= 0.06;
  if (!disc && !ring) return c.rimCoverage < 0.75 ? 'no closed rim' : 'too little red';
  return '';
}

/** Is a red seal on this page? The candidates say why each red shape was or was not taken. */
export function detectSeal(img: RgbImage): SealFinding {
  if (img.width < 16 || img.height < 16 || img.data.length < img.width * img.height * 3) return { seal: false, candidates: [] };
  const shortSide = Math.min(img.width, img.height);
  const mask = redMask(img);
  // Cells of ~0.5 % of the page: a seal is ~35 cells across, a ring's stroke about one.
  const cell = Math.max(2, Math.round(shortSide / 200));
  const candidates = components(mask, img.width, img.height, cell)
    .filter((b) => Math.max(b.x1 - b.x0, b.y1 - b.y0) >= shortSide * 0.03)
    .map((b) => measure(img, mask, b));
  return { seal: candidates.some((c) => c.seal), candidates };
}

/** Binary PPM (P6, maxval 255) pages, as pdftoppm and ImageMagick write them, one after another. */
export function parsePpm(bytes: Uint8Array): RgbImage[] {
  const pages: RgbImage[] = [];
  let pos = 0;
  const token = (): string | null => {
    // Whitespace and # comments between header tokens.
    for (;;) {
      while (pos < bytes.length && /\s/.test(String.fromCharCode(bytes[pos] ?? 0))) pos++;
      if (bytes[pos] !== 0x23) break;
      while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
    }
    const start = pos;
    while (pos < bytes.length && !/\s/.test(String.fromCharCode(bytes[pos] ?? 0))) pos++;
    return pos > start ? Buffer.from(bytes.subarray(start, pos)).toString('latin1') : null;
  };
  while (pos < bytes.length) {
    const magic = token();
    if (magic === null) break;
    if (magic !== 'P6') throw new Error(`not a binary PPM (${magic.slice(0, 8)})`);
    const width = Number(token());
    const height = Number(token());
    const maxval = Number(token());
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || maxval !== 255) {
      throw new Error('unsupported PPM header');
    }
    pos++; // the single whitespace after maxval
    const size = width * height * 3;
    if (pos + size > bytes.length) throw new Error('truncated PPM');
    pages.push({ width, height, data: bytes.subarray(pos, pos + size) });
    pos += size;
  }
  return pages;
}
