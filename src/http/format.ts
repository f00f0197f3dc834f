/** How values read on the dashboard's pages: Beijing time, Chinese names of kinds, formats and states. Pure. */
import type { DocumentFormat, DocumentKind } from '../domain/document';
import type { LimitScope } from '../store/rate-limit';
import type { SentState } from '../store/sent-log';
import { wallText } from '../report';

/** `2023-07-19 17:25` in `timeZone` (the report's wallText); '' for nothing or an unreadable value. */
export function wallTime(value: string | number | Date | null | undefined, timeZone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const at = value instanceof Date ? value : new Date(value);
  return Number.isNaN(at.getTime()) ? '' : wallText(at.toISOString(), timeZone);
}

export const KIND_ZH: Record<DocumentKind, string> = {
  registrationForm: '登记表',
  scoCaseForm: '上合国际合作案例登记表',
  copyrightProof: '著作权证明',
  userReport: '用户使用报告',
  other: '其他材料',
};

export const FORMAT_ZH: Record<DocumentFormat, string> = {
  docx: 'Word (docx)', doc: 'Word (doc)', wps: 'WPS', pdf: 'PDF', image: '图片', zip: 'zip 压缩包',
  rar: 'rar 压缩包', '7z': '7z 压缩包', text: '文本', other: '其他',
};

export const SENT_STATE_ZH: Record<SentState, string> = {
  claimed: '发送中', sent: '已发送', retrying: '等待重试', failed: '无法投递', suppressed: '已取消',
};

export const SENT_KIND_ZH: Record<string, string> = {
  receipt: '回执', lateNotice: '逾期通知', closedNotice: '截止后通知', followUp: '补充材料通知', reminder: '截止提醒',
  digest: '工作日报', completeNotice: '材料齐全通知', status: '申报状态',
};

export const sentKindZh = (kind: string): string => SENT_KIND_ZH[kind] ?? kind;

/** Bytes as staff read them: 12.3 KB, 4.5 MB. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Which sending limit held an email back (issue 8 §1). */
export const LIMIT_SCOPE_ZH: Record<LimitScope, string> = {
  recipient: '同一收件人每小时上限', domain: '同一收件域名每小时上限', global: '全部邮件每小时上限',
};
