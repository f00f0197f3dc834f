/**
 * An audit entry as a sentence staff read ("豁免“用户使用报告不足”，理由：2 份即可"), from its
 * action and its structured detail (src/store/staff-actions.ts writes it). Unknown or missing
 * detail degrades to the action's name, never to an error: old entries stay readable. The
 * sentence is plain text (the template escapes it); the JSON stays beside it for IT. Pure.
 */
import type { AuditEntry } from '../domain/staff';
import { ISSUE_LABELS_ZH } from '../report';
import type { IssueCode } from '../rules/issue-codes';
import { fieldLabel } from '../rules/labels';
import { KIND_ZH, sentKindZh, wallTime } from './format';

const ACTION_ZH: Record<string, string> = {
  waive: '豁免问题', unwaive: '撤销豁免', correct: '更正字段', 'set-kind': '更改文件类型', note: '备注', merge: '合并申报',
  'merged-into': '并入其他申报', 'move-email-out': '移出邮件', 'move-email-in': '移入邮件', reprocess: '重新处理邮件',
  resend: '重新发送', suppress: '取消发送', 'send-status': '发送状态邮件', login: '登录',
};

export const auditActionZh = (action: string): string => ACTION_ZH[action] ?? action;

type Detail = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const quoted = (v: unknown, fallback = '（空）'): string => `“${text(v) ?? fallback}”`;

function issueLabel(code: unknown): string {
  const c = text(code);
  return c ? (ISSUE_LABELS_ZH[c as IssueCode] ?? c) : '问题';
}

/** `products[1].domain` → 产品 2 的应用领域 */
function pathLabel(path: unknown): string {
  if (typeof path !== 'string' || path === '') return '字段';
  const p = path;
  const i = /^products\[(\d+)\]/.exec(p)?.[1];
  return i === undefined ? fieldLabel(p) : `产品 ${Number(i) + 1} 的${fieldLabel(p)}`;
}

function kindLabel(kind: unknown): string {
  const k = text(kind);
  return k ? (KIND_ZH[k as keyof typeof KIND_ZH] ?? k) : '未知';
}

function onFile(d: Detail): string {
  return text(d.file) ? `（文件 ${quoted(d.file)}）` : '';
}

function emailOf(d: Detail, timeZone: string): string {
  const e = (typeof d.email === 'object' && d.email !== null ? d.email : {}) as Detail;
  const subject = text(e.subject) ? `“${text(e.subject)}”` : '（无主题）';
  const parts = [text(e.from) ? `来自 ${text(e.from)}` : null, text(e.arrivedAt) ? `${wallTime(String(e.arrivedAt), timeZone)} 到达` : null].filter(Boolean);
  return `邮件 ${subject}${parts.length ? `（${parts.join('，')}）` : ''}`;
}

function what(entry: AuditEntry, timeZone: string): string {
  const d: Detail = entry.detail ?? {};
  switch (entry.action) {
    case 'waive':
      return `豁免“${issueLabel(d.code)}”${onFile(d)}`;
    case 'unwaive':
      return `撤销对“${issueLabel(d.code)}”的豁免${onFile(d)}${text(d.waivedReason) ? `（原豁免理由：${text(d.waivedReason)}）` : ''}`;
    case 'correct':
      return `更正“${pathLabel(d.path)}”：${text(d.from) ?? '（空）'} → ${text(d.to) ?? '（空）'}`;
    case 'set-kind':
      return `将文件 ${quoted(d.file)} 的类型由“${kindLabel(d.from)}”改为“${kindLabel(d.to)}”`;
    case 'note':
      return `添加备注：${text(d.text) ?? entry.reason}`;
    case 'merge': {
      const counts = [typeof d.emails === 'number' ? `${d.emails} 封邮件` : null, typeof d.documents === 'number' ? `${d.documents} 份文件` : null].filter(Boolean);
      return `合并 ${text(d.source) ?? '另一份申报'}${text(d.sourceCompany) ? `（${text(d.sourceCompany)}）` : ''} 到本申报${counts.length ? `，带来 ${counts.join('、')}` : ''}`;
    }
    case 'merged-into':
      return `本申报并入 ${text(d.target) ?? '另一份申报'}${text(d.targetCompany) ? `（${text(d.targetCompany)}）` : ''}`;
    case 'move-email-out':
      return `移出${emailOf(d, timeZone)}到 ${text(d.to) ?? '另一份申报'}`;
    case 'move-email-in':
      return `从 ${text(d.from) ?? '另一份申报'} 移入${emailOf(d, timeZone)}`;
    case 'reprocess':
      return `重新处理失败的邮件 ${text(d.messageId) ?? text(d.messageKey) ?? ''}`.trim();
    case 'resend':
      return `重新发送 ${quoted(d.subject, '（无主题）')}给 ${text(d.to) ?? '申报人'}`;
    case 'suppress':
      return `取消发送${text(d.kind) ? sentKindZh(String(d.kind)) : '邮件'} ${quoted(d.subject, '（无主题）')}（收件人 ${text(d.to) ?? '未知'}）`;
    case 'send-status': {
      const issues = Array.isArray(d.issues) ? d.issues.length : null;
      const state = d.complete === true ? '当时材料齐全' : issues !== null ? `当时材料不全，${issues} 项待补` : null;
      return `发送状态邮件给 ${text(d.to) ?? '申报人'}${state ? `（${state}）` : ''}`;
    }
    case 'login':
      return '登录';
    default:
      return auditActionZh(entry.action);
  }
}

/** What followed from the action: the application's state changed, emails were planned. */
function consequences(d: Detail): string[] {
  const out: string[] = [];
  if (d.completeBefore === false && d.completeAfter === true) out.push('申报变为材料齐全');
  if (d.completeBefore === true && d.completeAfter === false) out.push('申报变为材料不全');
  if (Array.isArray(d.planned) && d.planned.length > 0) out.push(`将发送 ${d.planned.length} 封邮件`);
  return out;
}

export interface AuditLine {
  at: string;
  by: string;
  action: string;
  /** The whole sentence: what, why, what followed. */
  sentence: string;
  /** The stored detail as indented JSON, for IT. */
  json: string;
}

export function auditLine(entry: AuditEntry, timeZone: string): AuditLine {
  const parts = [what(entry, timeZone)];
  // A note's reason is its text, said already.
  if (entry.reason && entry.action !== 'note') parts.push(`理由：${entry.reason}`);
  const then = consequences(entry.detail ?? {});
  if (then.length) parts.push(then.join('，'));
  return {
    at: wallTime(entry.at, timeZone),
    by: entry.by,
    action: auditActionZh(entry.action),
    sentence: `${parts.join('；')}。`,
    json: JSON.stringify(entry.detail ?? {}, null, 2),
  };
}
