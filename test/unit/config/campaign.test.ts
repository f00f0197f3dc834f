import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CampaignError, DEFAULT_CAMPAIGN_FILE, loadCampaign, parseCampaign } from '../../../src/config/campaign';
import { deadlineStatus } from '../../../src/rules/deadline';
import { judge } from '../../../src/rules/judge';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import type { DocumentRecord } from '../../../src/domain/document';
import type { RegistrationForm } from '../../../src/domain/form';

const shipped = readFileSync(DEFAULT_CAMPAIGN_FILE, 'utf8');

function errorOf(fn: () => unknown): CampaignError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CampaignError) return err;
    throw err;
  }
  throw new Error('expected a CampaignError');
}

describe('the shipped 2023 campaign', () => {
  const c = loadCampaign();

  it('is found relative to the package root and holds the call of the seed notice', () => {
    expect(DEFAULT_CAMPAIGN_FILE).toBe(path.resolve(__dirname, '../../../campaigns/2023.yaml'));
    expect(c.idPrefix).toBe('SB2023');
    expect(c.timeZone).toBe('Asia/Shanghai');
    expect(c.deadlines).toEqual({ association: '2023-07-20', federation: '2023-07-31' });
    expect(c.graceMinutes).toBe(0);
    expect(c.limits).toEqual({ productsPerCompany: 3, summaryCharacters: 500, perEmail: { documents: 200, nestingDepth: 3, seconds: 60 } });
    expect(c.releaseWindow).toEqual({ from: '2022-01-01', to: '2023-12-31' });
    expect(c.requiredDocuments).toEqual({ editableForm: true, stampedScan: true, copyrightProofs: 1, userReports: 3 });
    expect(c.reminders.daysBefore).toEqual([3, 1]);
    expect(c.reminders.at).toBe('09:00');
    expect(c.followUp.perApplicationPerDay).toBe(1);
    expect(c.rateLimit.perRecipientPerHour).toBe(5);
    expect(c.processed).toEqual({ action: 'flag', keyword: '$Shenbao-Done', failedKeyword: '$Shenbao-Failed' });
    expect(c.contacts.association.name).toBe('杨靓');
    expect(c.contacts.association.phones).toEqual(['027-87181967', '15002788895']);
    expect(c.contacts.federation.email).toBe('yinming@citif.org.cn');
    expect(c.digest.hour).toBeGreaterThanOrEqual(0);
  });

  it('reads the same from JSON as from YAML', () => {
    expect(parseCampaign(JSON.stringify(c), 'same.json')).toEqual(c);
  });
});

describe('a bad campaign file', () => {
  it('names the bad date and shows the value', () => {
    const bad = shipped.replace('association: "2023-07-20"', 'association: "2023-7-20"');
    const err = errorOf(() => parseCampaign(bad, 'x.yaml'));
    expect(err.code).toBe('CAMPAIGN_INVALID');
    expect(err.message).toBe('campaign file x.yaml: deadlines.association: expected a date YYYY-MM-DD (got "2023-7-20")');
    expect(err.messageZh).toContain('deadlines.association');
    expect(err.message).not.toContain('\n');
  });

  it('rejects an unknown key, even a nested one', () => {
    expect(errorOf(() => parseCampaign(shipped.replace('graceMinutes: 0', 'graceMinutes: 0\ngraceMinuts: 5'), 'x.yaml')).message).toBe(
      'campaign file x.yaml: graceMinuts: unknown key',
    );
    expect(errorOf(() => parseCampaign(shipped.replace('  summaryCharacters: 500', '  summaryCharacters: 500\n  products: 4'), 'y.yaml')).message).toBe(
      'campaign file y.yaml: limits.products: unknown key',
    );
  });

  it('rejects a missing key, a wrong type, a bad processed action and an unknown placeholder', () => {
    expect(errorOf(() => parseCampaign(shipped.replace('idPrefix: SB2023\n', ''), 'x.yaml')).message).toBe('campaign file x.yaml: idPrefix: missing');
    expect(errorOf(() => parseCampaign(shipped.replace('productsPerCompany: 3', 'productsPerCompany: three'), 'x.yaml')).message).toBe(
      'campaign file x.yaml: limits.productsPerCompany: expected number (got "three")',
    );
    expect(errorOf(() => parseCampaign(shipped.replace('\n  action: flag', '\n  action: delete'), 'x.yaml')).message).toMatch(/^campaign file x\.yaml: processed\.action: /);
    const moved = shipped.replace(/\n {2}action: flag\n {2}keyword: .*\n {2}failedKeyword: .*\n/, '\n  action: move\n  folder: Done\n  failedFolder: Failed\n');
    expect(parseCampaign(moved, 'm.yaml').processed).toEqual({ action: 'move', folder: 'Done', failedFolder: 'Failed' });
    expect(errorOf(() => parseCampaign(shipped.replace('距截止还有 {days} 天"', '距截止还有 {dayz} 天"'), 'x.yaml')).message).toMatch(
      /^campaign file x\.yaml: texts\.reminder\.subject: unknown placeholder \{dayz\}/,
    );
  });

  it('rejects a bad time zone, deadlines out of order, broken YAML and a missing file', () => {
    expect(errorOf(() => parseCampaign(shipped.replace('timeZone: Asia/Shanghai', 'timeZone: Asia/Wuhan'), 'x.yaml')).message).toMatch(/^campaign file x\.yaml: timeZone: /);
    expect(errorOf(() => parseCampaign(shipped.replace('federation: "2023-07-31"', 'federation: "2023-07-01"'), 'x.yaml')).message).toMatch(
      /deadlines\.association: must not be after deadlines\.federation/,
    );
    expect(errorOf(() => parseCampaign('name: [unclosed', 'x.yaml')).message).toMatch(/^campaign file x\.yaml: not valid YAML: /);
    expect(errorOf(() => loadCampaign('/nonexistent/c.yaml')).message).toBe('campaign file /nonexistent/c.yaml: cannot be read (ENOENT)');
  });
});

describe('next year by file alone', () => {
  const next = parseCampaign(
    shipped
      .replace('idPrefix: SB2023', 'idPrefix: SB2024')
      .replace('association: "2023-07-20"', 'association: "2024-06-30"')
      .replace('federation: "2023-07-31"', 'federation: "2024-07-15"')
      .replace('productsPerCompany: 3', 'productsPerCompany: 1')
      .replace('from: "2022-01-01"', 'from: "2023-01-01"')
      .replace('to: "2023-12-31"', 'to: "2024-12-31"')
      .replace('userReports: 3', 'userReports: 2'),
    'campaign-2024.yaml',
  );
  const old = loadCampaign();

  it('moves the deadlines', () => {
    const at = new Date('2024-07-01T10:00:00+08:00');
    expect(deadlineStatus(at, next)).toBe('late');
    expect(deadlineStatus(at, old)).toBe('closed');
    expect(deadlineStatus(new Date('2023-07-20T10:00:00+08:00'), next)).toBe('onTime');
  });

  it('changes the limits the judgement applies', () => {
    const product = (name: string, releaseDate: string) => ({
      name, releaseDate, releaseDateText: releaseDate, category: 'application' as const, categoryText: '应用软件', domain: '政务',
      revenueSharePercent: 10, marketSharePercent: 1, exportSharePercent: '无' as const,
    });
    const form: RegistrationForm = {
      company: {
        name: '武汉某某软件有限公司', legalRepresentative: '张三', website: 'www.example.cn', address: '武汉市洪山区', postalCode: '430070',
        mainBusiness: ['application'], contact: { name: '李四', phone: '13800138000', email: 'li@example.cn', position: '市场部经理' },
      },
      products: [product('甲系统', '2022-05'), product('乙平台', '2024-03')],
      productSummary: '简述', caseSummary: '案例',
    };
    const doc = (file: string, kind: DocumentRecord['kind'], textLayer: boolean, f: RegistrationForm | null): DocumentRecord => ({
      file, format: textLayer ? 'docx' : 'image', kind, textLayer, form: f, error: null, sha256: file.padEnd(64, '0'), size: 1,
    });
    const app = foldEmail(newApplication('X-0001', new Date('2023-07-01T00:00:00Z')), {
      messageId: '<a@x>', from: 'li@example.cn', subject: '申报',
      arrival: { at: new Date('2023-07-01T10:00:00+08:00'), source: 'internalDate' },
      documents: [doc('登记表.docx', 'registrationForm', true, form), doc('登记表.jpg', 'registrationForm', false, null), 
        // per product (cross-checks.md §3): each product's certificate and two reports name it
        ...['甲系统', '乙平台'].flatMap((p) => [doc(`软著-${p}.pdf`, 'copyrightProof', true, null),
          doc(`报告1-${p}.pdf`, 'userReport', true, null), doc(`报告2-${p}.pdf`, 'userReport', true, null)])],
      links: [],
    }, old);
    const codes = (c: typeof old) => judge(app, c).issues.map((i) => `${i.code}${i.count ?? ''}/${i.limit ?? i.required ?? ''}`);
    expect(codes(old)).toEqual(['TOO_FEW_USER_REPORTS2/3', 'TOO_FEW_USER_REPORTS2/3', 'RELEASE_OUT_OF_WINDOW/']);
    expect(codes(next)).toEqual(['TOO_MANY_PRODUCTS2/1', 'RELEASE_OUT_OF_WINDOW/']);
    expect(judge(app, next).issues.find((i) => i.code === 'RELEASE_OUT_OF_WINDOW')?.message).toContain('甲系统');
  });
});
