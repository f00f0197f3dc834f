import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyActualText, markedSpans, type MarkedItem } from '../../../src/documents/readers/pdf-marked';
import { PdfObjects } from '../../../src/documents/readers/pdf-objects';
import { PdfLexer, textOf } from '../../../src/documents/readers/pdf-syntax';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** LibreOffice's export of f18-ticks-wingdings-sym.docx: page 1 is object 1, its content object 2. */
const F18 = path.join(ROOT, 'fixtures', 'documents', 'forms', 'f18-ticks-wingdings-sym.pdf');
/** The same PDF packed by qpdf into object streams (make-pdf-objstm.sh): page 1 is object 2. */
const F18_OBJSTM = path.join(__dirname, 'fixtures', 'f18-objstm.pdf');

const TICKED = '\uF0FE';
const BOX = '\uF0A8';

/** A pdf.js text item at x on one baseline, 10.5-point, as getTextContent gives it. */
const text = (str: string, x: number, width = 10.5): MarkedItem => ({ str, transform: [10.5, 0, 0, 10.5, x, 634.6], width, height: 10.5 });
const begin = (tag: string): MarkedItem => ({ type: 'beginMarkedContentProps', tag });
const end: MarkedItem = { type: 'endMarkedContent' };

describe('PDF syntax', () => {
  it('reads UTF-16BE text strings with a byte-order mark, others as bytes', () => {
    expect(textOf({ bytes: Buffer.from('fefff0fe', 'hex') })).toBe(TICKED);
    expect(textOf({ bytes: Buffer.from('abc') })).toBe('abc');
    expect(textOf({ name: 'abc' })).toBeNull();
  });

  it('reads dictionaries, nested literal strings with escapes, hex strings and references', () => {
    const lexer = new PdfLexer(Buffer.from('<</A (x\\(y\\) (z)\\101) /B <4869 7> /C [1 0 R 2.5 /N] /D 3 0 R>>', 'latin1'));
    const v = lexer.value();
    expect(v).toBeInstanceOf(Map);
    const map = v as Map<string, unknown>;
    expect(textOf(map.get('A') as { bytes: Buffer })).toBe('x(y) (z)A');
    expect(textOf(map.get('B') as { bytes: Buffer })).toBe('Hip');
    expect(map.get('C')).toEqual([{ ref: [1, 0] }, 2.5, { name: 'N' }]);
    expect(map.get('D')).toEqual({ ref: [3, 0] });
  });
});

describe('marked-content spans of a content stream', () => {
  it('lists every BDC with its tag and ActualText, skipping strings and inline image data', () => {
    const content = Buffer.concat([
      Buffer.from('BT /Span<</ActualText<fefff0fe>>> BDC 1 0 0 1 362.1 634.6 Tm (@) Tj EMC ET\n', 'latin1'),
      Buffer.from('BI /W 2 /H 1 /BPC 8 /CS /G ID ', 'latin1'),
      Buffer.from([0x42, 0x44, 0x43]), // image bytes spelling BDC
      Buffer.from(' EI\nBT (a BDC in a string) Tj /P <</MCID 3>> BDC EMC /OC /oc1 BDC EMC ET\n', 'latin1'),
    ]);
    expect(markedSpans(content)).toEqual([
      { tag: 'Span', actualText: TICKED },
      { tag: 'P', actualText: null },
      { tag: 'OC', actualText: null },
    ]);
  });

  it('gives null for a stream that ends inside a string', () => {
    expect(markedSpans(Buffer.from('BT /Span <</ActualText (unterminated', 'latin1'))).toBeNull();
  });
});

describe('applying ActualText to pdf.js text items', () => {
  // The sequence pdf.js gives for LibreOffice's 支撑软件 □应用软件 with the box ticked: the
  // gap before the box is a blank item inside the span.
  const items: MarkedItem[] = [text('支撑软件', 313, 42), begin('Span'), text(' ', 355, 7.1), text(BOX, 362.1), end, text('应用软件', 372.6, 42)];

  it('puts the span’s ActualText on its glyph and keeps the gap before it', () => {
    const out = applyActualText(items, [{ tag: 'Span', actualText: TICKED }]);
    expect(out.map((i) => i.str)).toEqual(['支撑软件', ' ', TICKED, '应用软件']);
    expect(out[2]?.transform).toEqual([10.5, 0, 0, 10.5, 362.1, 634.6]);
  });

  it('shows a span of several glyphs once, and leaves spans without ActualText alone', () => {
    const several: MarkedItem[] = [begin('Span'), text('f', 0), text('i', 5), end, begin('P'), text('x', 20), end];
    expect(applyActualText(several, [{ tag: 'Span', actualText: 'fi' }, { tag: 'P', actualText: null }]).map((i) => i.str)).toEqual(['fi', 'x']);
  });

  it('keeps pdf.js’s text when the spans do not pair with its marks', () => {
    expect(applyActualText(items, [{ tag: 'P', actualText: TICKED }]).map((i) => i.str)).toEqual(['支撑软件', ' ', BOX, '应用软件']);
    expect(applyActualText(items, []).map((i) => i.str)).toEqual(['支撑软件', ' ', BOX, '应用软件']);
    expect(applyActualText(items, null).map((i) => i.str)).toEqual(['支撑软件', ' ', BOX, '应用软件']);
  });
});

describe('page content from the raw PDF', () => {
  const ticks = (file: string, page: number): (string | null)[] | undefined => {
    const content = new PdfObjects(fs.readFileSync(file)).pageContent(page);
    return content ? markedSpans(content)?.map((s) => s.actualText) : undefined;
  };

  it('finds the two ticked boxes of the LibreOffice f18 form (Flate stream, indirect /Length)', () => {
    expect(ticks(F18, 1)).toEqual([TICKED, TICKED]);
  });

  it('finds them when the page object sits in an object stream', () => {
    expect(ticks(F18_OBJSTM, 2)).toEqual([TICKED, TICKED]);
  });

  it('gives null for an object that is not a page or a file that is not a PDF', () => {
    expect(new PdfObjects(fs.readFileSync(F18)).pageContent(999)).toBeNull();
    expect(new PdfObjects(Buffer.from('not a pdf')).pageContent(1)).toBeNull();
  });
});
