import { ppmTopRows } from '../../../src/documents/readers/ocr';

/** A binary PPM whose every pixel of row r is (r, r, r). */
function ppm(width: number, height: number): Buffer {
  const rows = Array.from({ length: height }, (_, r) => Buffer.alloc(width * 3, r));
  return Buffer.concat([Buffer.from(`P6\n${width} ${height}\n255\n`, 'latin1'), ...rows]);
}

describe('ppmTopRows', () => {
  it('keeps the first rows, with a header that says so', () => {
    const top = ppmTopRows(ppm(4, 5), 2);
    expect(top?.subarray(0, 11).toString('latin1')).toBe('P6\n4 2\n255\n');
    expect(top?.length).toBe(11 + 4 * 2 * 3);
    expect([...(top?.subarray(11) ?? [])]).toEqual([...Buffer.alloc(12, 0), ...Buffer.alloc(12, 1)]);
  });

  it('gives the image itself when it has no more rows than asked', () => {
    const whole = ppm(3, 2);
    expect(ppmTopRows(whole, 2)).toBe(whole);
    expect(ppmTopRows(whole, 160)).toBe(whole);
  });

  it('refuses what is not a whole 8-bit binary PPM', () => {
    expect(ppmTopRows(Buffer.from('P5\n4 5\n255\n' + 'x'.repeat(20), 'latin1'), 2)).toBeNull();
    expect(ppmTopRows(Buffer.from('P6\n# comment\n4 5\n255\n', 'latin1'), 2)).toBeNull();
    expect(ppmTopRows(ppm(4, 5).subarray(0, 40), 2)).toBeNull();
    expect(ppmTopRows(Buffer.from('%PDF-1.7'), 2)).toBeNull();
  });
});
