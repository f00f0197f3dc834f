/**
 * Issue constructors: the structured fields of rules.md plus the sentence a company clerk
 * reads in the receipt. The wording lives here once; emails and reports only repeat it.
 */
import type { Issue } from '../domain/issue';
import { fieldLabel } from './labels';

/** Which form a field issue is about: "登记表", or "登记表“x.docx”" when several forms stand. */
export interface FormScope {
  file: string;
  several: boolean;
}

function formName(scope: FormScope): string {
  return scope.several ? `登记表“${scope.file}”` : '登记表';
}

/** 登记表中“邮政编码” / 登记表中产品“甲系统”的“应用领域” / 登记表中第 2 个产品的“应用领域” */
function fieldPhrase(scope: FormScope, path: string, productName?: string | null): string {
  const label = `“${fieldLabel(path)}”`;
  const index = /^products\[(\d+)\]/.exec(path)?.[1];
  if (index === undefined) return `${formName(scope)}中${label}`;
  const product = productName && productName !== '无' ? `产品“${productName}”` : `第 ${Number(index) + 1} 个产品`;
  return `${formName(scope)}中${product}的${label}`;
}

export const issue = {
  missingForm: (): Issue => ({
    code: 'MISSING_FORM',
    message: '未收到《优秀软件产品登记表》，请发送填写完整的登记表电子版（Word/WPS 文件）',
  }),
  missingEditableForm: (): Issue => ({
    code: 'MISSING_EDITABLE_FORM',
    message: '登记表只收到扫描件或图片，还需发送可编辑的电子版（Word/WPS 文件，或可复制文字的 PDF）',
  }),
  missingStampedScan: (): Issue => ({
    code: 'MISSING_STAMPED_SCAN',
    message: '未收到加盖企业公章的登记表扫描件（请将盖章后的登记表扫描或拍照发送）',
  }),
  missingCopyrightProof: (count: number, required: number): Issue => ({
    code: 'MISSING_COPYRIGHT_PROOF',
    message:
      count === 0
        ? '未收到软件著作权登记证书或其他知识产权证明'
        : `软件著作权登记证书或其他知识产权证明仅收到 ${count} 份，需至少 ${required} 份`,
    count,
    required,
  }),
  tooFewUserReports: (count: number, required: number): Issue => ({
    code: 'TOO_FEW_USER_REPORTS',
    message:
      count === 0
        ? `未收到用户使用报告，需至少 ${required} 份（加盖用户单位公章或使用人签字）`
        : `用户使用报告仅收到 ${count} 份，需至少 ${required} 份（加盖用户单位公章或使用人签字）`,
    count,
    required,
  }),
  unreadableAttachment: (file: string, reason: string): Issue => ({
    code: 'UNREADABLE_ATTACHMENT',
    message: `附件“${file}”无法读取（${reason}），请重新发送`,
    file,
    reason,
  }),
  linkNotAttachment: (url: string): Issue => ({
    code: 'LINK_NOT_ATTACHMENT',
    message: `邮件中的下载链接无法作为申报材料接收，请将其中的文件直接作为邮件附件发送：${url}`,
    url,
  }),
  missingField: (scope: FormScope, path: string, productName?: string | null, answeredNone = false): Issue => ({
    code: 'MISSING_FIELD',
    message:
      path === 'company.mainBusiness'
        ? `${fieldPhrase(scope, path)}未勾选任何一项`
        : answeredNone
          ? `${fieldPhrase(scope, path, productName)}不能填“无”，请填写实际内容`
          : `${fieldPhrase(scope, path, productName)}未填写`,
    path,
    file: scope.file,
  }),
  invalidField: (scope: FormScope, path: string, value: string, reason: string, productName?: string | null): Issue => ({
    code: 'INVALID_FIELD',
    message: `${fieldPhrase(scope, path, productName)}填写有误（“${value}”）：${reason}`,
    path,
    file: scope.file,
    reason,
  }),
  noProduct: (scope: FormScope): Issue => ({
    code: 'NO_PRODUCT',
    message: `${formName(scope)}中没有填写任何申报产品`,
    file: scope.file,
  }),
  tooManyProducts: (names: string[], limit: number): Issue => ({
    code: 'TOO_MANY_PRODUCTS',
    message: `本企业共申报 ${names.length} 个产品（${names.join('、')}），每家企业不得超过 ${limit} 个，请告知保留哪几个`,
    count: names.length,
    limit,
  }),
  releaseOutOfWindow: (scope: FormScope, path: string, productName: string | null, date: string, from: string, to: string): Issue => ({
    code: 'RELEASE_OUT_OF_WINDOW',
    message: `${productName ? `产品“${productName}”` : `第 ${Number(/\[(\d+)\]/.exec(path)?.[1] ?? 0) + 1} 个产品`}的发布时间 ${date} 不在 ${from} 至 ${to} 之间`,
    path,
    file: scope.file,
  }),
  textTooLong: (scope: FormScope, path: string, length: number, limit: number): Issue => ({
    code: 'TEXT_TOO_LONG',
    message: `${fieldPhrase(scope, path)}共 ${length} 字，超过 ${limit} 字的限制（不计空格）`,
    path,
    file: scope.file,
    length,
    limit,
  }),
};
