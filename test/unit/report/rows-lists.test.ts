import { reportRows } from '../../../src/report';
import { completeDocuments, form, product } from '../rules/helpers';
import { app, campaign, judged, sent } from './build';

describe('reportRows without lists (xlsx, CSV, HTML)', () => {
  it('the same row with documentList, emailList and sent left empty', () => {
    const apps = judged(app('SB2023-0001', '2023-07-10T10:00:00+08:00', completeDocuments(form([product('星云数据中台', { category: 'ai' })]))));
    const byApp = new Map([['SB2023-0001', [sent('SB2023-0001:receipt:x', 'receipt')]]]);
    const [full] = reportRows(apps, byApp, campaign);
    const [brief] = reportRows(apps, byApp, campaign, { lists: false });
    expect(full?.documentList.length).toBeGreaterThan(0);
    expect(full?.emailList).toHaveLength(1);
    expect(full?.sent).toHaveLength(1);
    expect(brief).toEqual({ ...full, documentList: [], emailList: [], sent: [] });
    // the sent log still counts
    expect(brief).toMatchObject({ emails: 1, lastReceiptAt: '2023-07-10T02:00:05.000Z' });
    expect(Object.keys(brief ?? {})).toEqual(Object.keys(full ?? {}));
  });
});
