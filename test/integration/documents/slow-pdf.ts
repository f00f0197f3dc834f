/**
 * Python that writes `slow.pdf` in the working folder: one page whose content stream holds ten
 * million text operators, so pdf.js stays busy past any time limit a test sets.
 * Interpolated into the tests' own Python (String.raw), which has zlib imported.
 */
export const SLOW_PDF_PY = String.raw`
content = zlib.compress(b'BT /F1 1 Tf ' + b'1 0 0 1 0 0 Tm (x) Tj ' * 10_000_000 + b'ET', 1)
objs = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
        b'<< /Length %d /Filter /FlateDecode >>\nstream\n' % len(content) + content + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']
pdf = bytearray(b'%PDF-1.4\n')
offsets = []
for i, o in enumerate(objs, 1):
    offsets.append(len(pdf))
    pdf += b'%d 0 obj\n' % i + o + b'\nendobj\n'
xref = len(pdf)
pdf += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1) + b''.join(b'%010d 00000 n \n' % off for off in offsets)
pdf += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, xref)
open('slow.pdf', 'wb').write(pdf)
`;
