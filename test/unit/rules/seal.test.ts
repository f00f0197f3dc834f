/** cross-checks.md §4–5: SEAL_NOT_FOUND is a warning on the stamped scan and scanned user reports, never an error. */
import { loadCampaign } from '../../../src/config/campaign';
import type { DocumentRecord } from '../../../src/domain/document';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { issuePhrase } from '../../../src/report/phrases';
import { completeDocuments, doc, email } from './helpers';

const campaign = loadCampaign();
const ON_TIME = '2023-07-10T10:00:00+08:00';

function verdictOf(documents: DocumentRecord[]) {
  const app = foldEmail(newApplication('SB2023-0001', new Date(ON_TIME)), email(ON_TIME, documents), campaign);
  return judge(app, campaign);
}

/** The complete application with its stamped scan (index 1) given a seal finding. */
function withScanSeal(seal: boolean | null | undefined): DocumentRecord[] {
  const docs = completeDocuments();
  const scanned = docs[1] as DocumentRecord;
  docs[1] = seal === undefined ? scanned : { ...scanned, seal };
  return docs;
}

describe('SEAL_NOT_FOUND', () => {
  it('a stamped scan without a seal: a warning naming the file, and the application is still complete', () => {
    const v = verdictOf(withScanSeal(false));
    expect(v.complete).toBe(true);
    expect(v.issues).toEqual([
      {
        code: 'SEAL_NOT_FOUND',
        severity: 'warning',
        message: '登记表盖章扫描件“登记表盖章.jpg”上未识别到红色公章，请核对是否已加盖公章（此项为自动识别，仅供参考；如已盖章可忽略）',
        file: '登记表盖章.jpg',
      },
    ]);
    expect(v.issues.map((i) => i.code)).not.toContain('MISSING_STAMPED_SCAN');
    expect(issuePhrase(v.issues[0]!)).toBe('未见红色公章：登记表盖章.jpg');
  });

  it('a seal seen, or not looked for (null, absent), gives no warning', () => {
    for (const seal of [true, null, undefined]) expect(verdictOf(withScanSeal(seal)).issues).toEqual([]);
  });

  it('a scanned user report without a seal is a warning; a text report, a certificate scan or an unreadable scan is not', () => {
    const docs = completeDocuments();
    const reportScan = doc('用户使用报告-扫描件.pdf', 'userReport', { textLayer: false, format: 'pdf', seal: false });
    const certScan = doc('软著证书-扫描件.pdf', 'copyrightProof', { textLayer: false, format: 'pdf', seal: false });
    const textReport = doc('用户使用报告9.docx', 'userReport', { seal: false });
    const broken = doc('登记表扫描件2.jpg', 'registrationForm', {
      textLayer: false, format: 'image', seal: false, error: { code: 'UNREADABLE', message: 'bad', messageZh: '文件已损坏' },
    });
    const v = verdictOf([...docs, reportScan, certScan, textReport, broken]);
    const seals = v.issues.filter((i) => i.code === 'SEAL_NOT_FOUND');
    expect(seals.map((i) => i.file)).toEqual(['用户使用报告-扫描件.pdf']);
    expect(seals[0]?.message).toContain('用户使用报告扫描件');
    expect(v.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['UNREADABLE_ATTACHMENT']);
  });
});
