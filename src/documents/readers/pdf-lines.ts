/** Text lines from pdf.js's positioned text items. */

export interface TextItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
}

interface Glyph {
  s: string;
  x: number;
  y: number;
  end: number;
  size: number;
}

/**
 * Lines from positioned text. Content-stream order is kept between lines (it keeps a
 * table cell's lines together), but consecutive items on one baseline (within half a
 * font size) form one line ordered left to right: pdf-parse's own getText appends a
 * tick box drawn in another font at the end of its line. A gap wider than a character
 * between items is a cell boundary: a tab.
 */
export function assembleLines(items: TextItem[]): string[] {
  const glyphs: Glyph[] = [];
  for (const item of items) {
    const t = item.transform;
    if (typeof item.str !== 'string' || item.str === '' || !t || t.length < 6) continue;
    const size = Math.abs(Math.hypot(t[2] ?? 0, t[3] ?? 0)) || item.height || 10;
    const x = t[4] ?? 0;
    glyphs.push({ s: item.str, x, y: t[5] ?? 0, end: x + (item.width ?? 0), size });
  }
  const lines: Glyph[][] = [];
  for (const g of glyphs) {
    const line = lines[lines.length - 1];
    const head = line?.[0];
    if (line && head && Math.abs(head.y - g.y) <= 0.5 * Math.max(head.size, g.size)) line.push(g);
    else lines.push([g]);
  }
  return lines.map((line) => {
    line.sort((a, b) => a.x - b.x);
    let text = '';
    let prev: Glyph | undefined;
    let space = false;
    for (const g of line) {
      // Blank items only tell that there is a gap; the positions say how wide it is.
      if (g.s.trim() === '') {
        space = true;
        continue;
      }
      if (prev) {
        // A space kept at the end of an item (pdf-spaces) is only for the end of a line.
        text = text.replace(/ $/, '');
        const gap = g.x - prev.end;
        if (gap > Math.min(prev.size, g.size) * 0.8) text += '\t';
        else if (space || gap > Math.min(prev.size, g.size) * 0.2) text += ' ';
      }
      text += g.s;
      prev = g;
      space = false;
    }
    return text;
  });
}
