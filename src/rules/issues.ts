/**
 * Issue constructors: the structured fields of rules.md plus the sentence a company clerk
 * reads in the receipt. The wording lives here once; emails and reports only repeat it.
 */
import type { Link } from '../domain/email';
import type { Issue } from '../domain/issue';
import { severityOf } from './issue-codes';
import { fieldLabel, linkServiceLabel } from './labels';

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

/** Applicant text quoted in a sentence: one short line. */
const quote = (s: string): string => {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
};

/** 产品“甲系统”的 when the application has several products (cross-checks.md §3), else nothing. */
export interface ProductScope {
  index: number;
  name: string;
  several: boolean;
}
const ofProduct = (p: ProductScope): string => (p.several ? `产品“${quote(p.name)}”的` : '');
const productFields = (p: ProductScope) => ({ path: `products[${p.index}]`, product: p.name });

/** An issue with the severity its code has (issue-codes.ts: the warnings of cross-checks.md §4). */
function withSeverity({ code, ...rest }: Omit<Issue, 'severity'>): Issue {
  return { code, severity: severityOf(code), ...rest };
}

export const issue = {
  missingForm: (): Issue => withSeverity({
    code: 'MISSING_FORM',
    message: '未收到《优秀软件产品登记表》，请发送填写完整的登记表电子版（Word/WPS 文件）',
  }),
  missingEditableForm: (): Issue => withSeverity({
    code: 'MISSING_EDITABLE_FORM',
    message: '登记表只收到扫描件或图片，还需发送可编辑的电子版（Word/WPS 文件，或可复制文字的 PDF）',
  }),
  missingStampedScan: (): Issue => withSeverity({
    code: 'MISSING_STAMPED_SCAN',
    message: '未收到加盖企业公章的登记表扫描件（请将盖章后的登记表扫描或拍照发送）',
  }),
  missingCopyrightProof: (count: number, required: number): Issue => withSeverity({
    code: 'MISSING_COPYRIGHT_PROOF',
    message:
      count === 0
        ? '未收到软件著作权登记证书或其他知识产权证明'
        : `软件著作权登记证书或其他知识产权证明仅收到 ${count} 份，需至少 ${required} 份`,
    count,
    required,
  }),
  tooFewUserReports: (count: number, required: number): Issue => withSeverity({
    code: 'TOO_FEW_USER_REPORTS',
    message:
      count === 0
        ? `未收到用户使用报告，需至少 ${required} 份（加盖用户单位公章或使用人签字）`
        : `用户使用报告仅收到 ${count} 份，需至少 ${required} 份（加盖用户单位公章或使用人签字）`,
    count,
    required,
  }),
  productMissingCopyrightProof: (p: ProductScope, count: number, required: number): Issue => withSeverity({
    code: 'MISSING_COPYRIGHT_PROOF',
    message:
      count === 0
        ? `未收到${ofProduct(p)}软件著作权登记证书或其他知识产权证明`
        : `${ofProduct(p)}软件著作权登记证书或其他知识产权证明仅收到 ${count} 份，需至少 ${required} 份`,
    ...productFields(p),
    count,
    required,
  }),
  productTooFewUserReports: (p: ProductScope, count: number, required: number): Issue => withSeverity({
    code: 'TOO_FEW_USER_REPORTS',
    message:
      count === 0
        ? `未收到${ofProduct(p)}用户使用报告，需至少 ${required} 份（加盖用户单位公章或使用人签字）`
        : `${ofProduct(p)}用户使用报告仅收到 ${count} 份，需至少 ${required} 份（加盖用户单位公章或使用人签字）`,
    ...productFields(p),
    count,
    required,
  }),
  unreadableAttachment: (file: string, reason: string): Issue => withSeverity({
    code: 'UNREADABLE_ATTACHMENT',
    message: `附件“${file}”无法读取（${reason}），请重新发送`,
    file,
    reason,
  }),
  /** The message names the service only; staff see the link itself (`url`, and the email on the dashboard). */
  linkNotAttachment: (link: Link): Issue => withSeverity({
    code: 'LINK_NOT_ATTACHMENT',
    message: `邮件中的${linkServiceLabel(link.kind)}下载链接无法作为申报材料接收，请将其中的文件直接作为邮件附件发送`,
    url: link.url,
  }),
  missingField: (scope: FormScope, path: string, productName?: string | null, answeredNone = false): Issue => withSeverity({
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
  invalidField: (scope: FormScope, path: string, value: string, reason: string, productName?: string | null): Issue => withSeverity({
    code: 'INVALID_FIELD',
    message: `${fieldPhrase(scope, path, productName)}填写有误（“${value}”）：${reason}`,
    path,
    file: scope.file,
    reason,
  }),
  noProduct: (scope: FormScope): Issue => withSeverity({
    code: 'NO_PRODUCT',
    message: `${formName(scope)}中没有填写任何申报产品`,
    file: scope.file,
  }),
  tooManyProducts: (names: string[], limit: number): Issue => withSeverity({
    code: 'TOO_MANY_PRODUCTS',
    message: `本企业共申报 ${names.length} 个产品（${names.join('、')}），每家企业不得超过 ${limit} 个，请告知保留哪几个`,
    count: names.length,
    limit,
  }),
  releaseOutOfWindow: (scope: FormScope, path: string, productName: string | null, date: string, from: string, to: string): Issue => withSeverity({
    code: 'RELEASE_OUT_OF_WINDOW',
    message: `${productName ? `产品“${productName}”` : `第 ${Number(/\[(\d+)\]/.exec(path)?.[1] ?? 0) + 1} 个产品`}的发布时间 ${date} 不在 ${from} 至 ${to} 之间`,
    path,
    file: scope.file,
  }),
  textTooLong: (scope: FormScope, path: string, length: number, limit: number): Issue => withSeverity({
    code: 'TEXT_TOO_LONG',
    message: `${fieldPhrase(scope, path)}共 ${length} 字，超过 ${limit} 字的限制（不计空格）`,
    path,
    file: scope.file,
    length,
    limit,
  }),
  // cross-checks.md §4: warnings (listed under 请核对以下内容; they never make an application incomplete)
  copyrightNameMismatch: (file: string, product: string, found: string): Issue => withSeverity({
    code: 'COPYRIGHT_NAME_MISMATCH',
    message: `软件著作权登记证书“${file}”上的软件名称“${quote(found)}”与登记表中的产品名称“${quote(product)}”不一致，请核对是否为同一产品`,
    file,
    product,
    found,
  }),
  copyrightOwnerMismatch: (file: string, found: string, company: string): Issue => withSeverity({
    code: 'COPYRIGHT_OWNER_MISMATCH',
    message: `软件著作权登记证书“${file}”上的著作权人“${quote(found)}”与申报企业“${quote(company)}”不一致，请核对（如著作权经转让或许可取得，请附上说明）`,
    file,
    found,
  }),
  releaseDateMismatch: (p: ProductScope, file: string, formDate: string, found: string): Issue => withSeverity({
    code: 'RELEASE_DATE_MISMATCH',
    message: `${p.several ? `产品“${quote(p.name)}”` : '登记表中产品'}的发布时间 ${formDate} 与软件著作权登记证书“${file}”上的首次发表日期 ${found} 不一致（发布时间以软著上的时间为准），请核对`,
    path: `products[${p.index}].releaseDate`,
    product: p.name,
    file,
    found,
  }),
  sealNotFound: (file: string, kind: 'registrationForm' | 'userReport'): Issue => withSeverity({
    code: 'SEAL_NOT_FOUND',
    message: `${kind === 'registrationForm' ? '登记表盖章扫描件' : '用户使用报告扫描件'}“${file}”上未识别到红色公章，请核对是否已加盖公章（此项为自动识别，仅供参考；如已盖章可忽略）`,
    file,
  }),
  documentProductUnknown: (file: string, kind: 'copyrightProof' | 'userReport'): Issue => withSeverity({
    code: 'DOCUMENT_PRODUCT_UNKNOWN',
    message: `${kind === 'copyrightProof' ? '著作权证明' : '用户使用报告'}“${file}”中没有找到所属的申报产品名称，请告知它属于哪个产品（例如在文件名中写明产品名称）`,
    file,
  }),
};
