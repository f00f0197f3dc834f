/** jsonChunks: the streamed JSON report is byte for byte the document toJson gives. */
import { jsonChunks, toJson, type ReportRow } from '../../../src/report';

const row = (id: string): ReportRow => JSON.parse(JSON.stringify({ id })) as ReportRow;

describe('jsonChunks', () => {
  it('equals JSON.stringify(toJson(), null, 2) for none, one and several applications', () => {
    const meta = { generatedAt: '2023-07-18T02:00:00.000Z', campaign: '2023 <征集>', failedMails: [{ messageId: '<a@b>', from: null, subject: 'x"y', receivedAt: null, reason: 'boom\nline' }] };
    for (const n of [0, 1, 3]) {
      const rows = Array.from({ length: n }, (_, i) => ({ ...row(`SB2023-000${i}`), company: `公司"${i}"\n`, addresses: ['a@b.cn'], products: [], issues: [], waived: [], documentList: [], emailList: [], sent: [], notes: [] }) as unknown as ReportRow);
      const whole = `${JSON.stringify(toJson(rows, meta), null, 2)}\n`;
      const chunks = [...jsonChunks(rows, meta)];
      expect(chunks.join('')).toBe(whole);
      expect(chunks).toHaveLength(n + 2);
      expect(JSON.parse(chunks.join('')).count).toBe(n);
    }
    expect([...jsonChunks([], { generatedAt: 'x', campaign: 'c' })].join('')).toBe(`${JSON.stringify(toJson([], { generatedAt: 'x', campaign: 'c' }), null, 2)}\n`);
  });
});
