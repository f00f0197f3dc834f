/**
 * Issue 8 as staff read it: report phrases and columns, held-back limit names. Pure. (The detail
 * view loads content-disposition, ESM-only, which jest on Node 20 cannot: the http suite covers it.)
 */
import { LIMIT_SCOPE_ZH } from '../../../src/http/format';
import { duplicatePhrase, noReplyPhrase, reportRows, SUMMARY_COLUMNS, toJson } from '../../../src/report';
import { completeDocuments, form } from '../rules/helpers';
import { app, judged } from '../report/build';

const AT = '2023-07-10T10:00:00+08:00';

function flagged() {
  const a = app('SB2023-0005', AT, completeDocuments(form()));
  a.possibleDuplicateOf = 'SB2023-0001';
  const e = a.emails[0];
  if (!e) throw new Error('no email');
  e.noReply = { code: 'GROUP', reason: 'From is a group', reasonZh: '发件人是群组地址："<b>x</b>"', at: '2023-07-10T02:00:00.000Z' };
  e.messageIdReused = true;
  return a;
}

const column = (header: string) => {
  const c = SUMMARY_COLUMNS.find((x) => x.header === header);
  if (!c) throw new Error(`no column ${header}`);
  return c;
};

describe('report phrases', () => {
  it('say a possible duplicate and unanswered emails in a few words, nothing when there is none', () => {
    expect(duplicatePhrase('SB2023-0001')).toBe('可能与 SB2023-0001 重复');
    expect(duplicatePhrase(null)).toBe('');
    expect(noReplyPhrase(2)).toBe('2 封来信未自动回复');
    expect(noReplyPhrase(0)).toBe('');
  });

  it('rows, columns and JSON carry both; a plain application has neither', () => {
    const [row, plain] = reportRows(judged(flagged(), app('SB2023-0006', AT, completeDocuments(form()))), new Map());
    expect(row).toMatchObject({ possibleDuplicateOf: 'SB2023-0001', noReplyEmails: 1 });
    expect(plain).toMatchObject({ possibleDuplicateOf: null, noReplyEmails: 0 });
    if (!row || !plain) throw new Error('rows missing');
    expect(column('可能重复').value(row)).toBe('可能与 SB2023-0001 重复');
    expect(column('未自动回复').value(row)).toBe('1 封来信未自动回复');
    expect(column('可能重复').value(plain)).toBeNull();
    expect(column('未自动回复').value(plain)).toBeNull();
    const json = toJson([row, plain], { generatedAt: '2023-07-20T00:00:00.000Z', campaign: 'x' });
    expect(json.applications.map((x) => [x.possibleDuplicateOf, x.noReplyEmails])).toEqual([['SB2023-0001', 1], [null, 0]]);
  });
});

describe('held-back emails', () => {
  it('name each sending limit in Chinese', () => {
    expect(LIMIT_SCOPE_ZH).toEqual({ recipient: '同一收件人每小时上限', domain: '同一收件域名每小时上限', global: '全部邮件每小时上限' });
  });
});
