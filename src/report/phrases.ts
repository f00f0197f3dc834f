/**
 * Short Chinese phrases for the report's issue column: what is missing in a few words
 * ("用户使用报告不足（1/3）"), where the receipt's full sentence (src/rules/issues.ts) would
 * not fit a cell. One phrase per issue code; the full message stays beside it.
 */
import type { DeadlineStatus, Issue } from '../domain/issue';
import type { CategoryCode } from '../domain/form';
import type { IssueCode } from '../rules/issue-codes';
import { fieldLabel } from '../rules/labels';
import { clean } from './clean';

/** What each code means, without the details of one case (filters, headings, legends). */
export const ISSUE_LABELS_ZH: Record<IssueCode, string> = {
  MISSING_FORM: '缺登记表',
  MISSING_EDITABLE_FORM: '缺登记表电子版',
  MISSING_STAMPED_SCAN: '缺盖章扫描件',
  MISSING_COPYRIGHT_PROOF: '缺著作权证明',
  TOO_FEW_USER_REPORTS: '用户使用报告不足',
  UNREADABLE_ATTACHMENT: '附件无法读取',
  LINK_NOT_ATTACHMENT: '发来下载链接而非附件',
  MISSING_FIELD: '登记表有漏填',
  INVALID_FIELD: '登记表填写有误',
  NO_PRODUCT: '未填申报产品',
  TOO_MANY_PRODUCTS: '产品超过上限',
  RELEASE_OUT_OF_WINDOW: '发布时间不在范围内',
  TEXT_TOO_LONG: '简述超字数',
  // cross-checks.md §4: warnings (请核对), they do not make an application incomplete
  COPYRIGHT_NAME_MISMATCH: '软著名称与产品名称不一致',
  COPYRIGHT_OWNER_MISMATCH: '著作权人与申报企业不一致',
  RELEASE_DATE_MISMATCH: '发布时间与软著首次发表日期不一致',
  SEAL_NOT_FOUND: '扫描件未见红色公章',
  DOCUMENT_PRODUCT_UNKNOWN: '材料未写明所属产品',
};

/** 错误 makes an application incomplete; 请核对 is a warning (cross-checks.md §4). */
export const SEVERITY_ZH = { error: '需补正', warning: '请核对' } as const;

export const DEADLINE_ZH: Record<DeadlineStatus, string> = { onTime: '按时', late: '逾期', closed: '截止后' };

/** Chinese names of the category codes (form-fields.md, the 主营业务 boxes). */
export const CATEGORY_ZH: Record<CategoryCode, string> = {
  basic: '基础软件',
  industrial: '工业软件',
  support: '支撑软件',
  application: '应用软件',
  ai: '人工智能类软件',
  other: '其他软件',
};

export const COMPLETE_ZH = { true: '材料齐全', false: '材料不全' } as const;

const ratio = (i: Issue): string => (i.count !== undefined && i.required !== undefined ? `（${i.count}/${i.required}）` : '');

/** 产品“甲系统”： for a per-product issue (cross-checks.md §3). */
const ofProduct = (i: Issue): string => (i.product ? `“${clean(i.product)}”` : '');

/** `products[1].domain` → 第 2 个产品的应用领域; `company.postalCode` → 邮政编码. */
function field(path: string | undefined): string {
  if (path === undefined) return '';
  const product = /^products\[(\d+)\]/.exec(path);
  const label = fieldLabel(path);
  return product ? `第 ${Number(product[1]) + 1} 个产品的${label}` : label;
}

/** The short phrase for one open (or waived) issue. */
export function issuePhrase(i: Issue): string {
  switch (i.code) {
    case 'MISSING_COPYRIGHT_PROOF':
      return `${ofProduct(i)}著作权证明不足${ratio(i)}`;
    case 'TOO_FEW_USER_REPORTS':
      return `${ofProduct(i)}用户使用报告不足${ratio(i)}`;
    case 'COPYRIGHT_NAME_MISMATCH':
      return i.found ? `软著名称不一致：${clean(i.found)}` : ISSUE_LABELS_ZH[i.code];
    case 'COPYRIGHT_OWNER_MISMATCH':
      return i.found ? `著作权人不一致：${clean(i.found)}` : ISSUE_LABELS_ZH[i.code];
    case 'RELEASE_DATE_MISMATCH':
      return i.found ? `${ofProduct(i)}发布时间与软著不一致（软著 ${clean(i.found)}）` : ISSUE_LABELS_ZH[i.code];
    case 'SEAL_NOT_FOUND':
      return i.file ? `未见红色公章：${clean(i.file)}` : ISSUE_LABELS_ZH[i.code];
    case 'DOCUMENT_PRODUCT_UNKNOWN':
      return i.file ? `未写明所属产品：${clean(i.file)}` : ISSUE_LABELS_ZH[i.code];
    case 'UNREADABLE_ATTACHMENT':
      return i.file ? `附件无法读取：${clean(i.file)}` : ISSUE_LABELS_ZH[i.code];
    case 'MISSING_FIELD':
      return i.path ? `未填：${field(i.path)}` : ISSUE_LABELS_ZH[i.code];
    case 'INVALID_FIELD':
      return i.path ? `填写有误：${field(i.path)}` : ISSUE_LABELS_ZH[i.code];
    case 'TOO_MANY_PRODUCTS':
      return i.count !== undefined && i.limit !== undefined ? `产品超过 ${i.limit} 个（共 ${i.count} 个）` : ISSUE_LABELS_ZH[i.code];
    case 'RELEASE_OUT_OF_WINDOW':
      return i.path ? `${field(i.path)}不在范围内` : ISSUE_LABELS_ZH[i.code];
    case 'TEXT_TOO_LONG':
      return i.path && i.length !== undefined && i.limit !== undefined
        ? `${field(i.path)}超字数（${i.length}/${i.limit}）`
        : ISSUE_LABELS_ZH[i.code];
    default:
      return ISSUE_LABELS_ZH[i.code];
  }
}

/** Issue 8: an application held apart as a possible duplicate of `of` (a stranger's form naming that company). */
export const duplicatePhrase = (of: string | null): string => (of ? `可能与 ${clean(of)} 重复` : '');

/** Issue 8: how many of its emails nobody was answered for (list/group From, failed authentication…). */
export const noReplyPhrase = (emails: number): string => (emails > 0 ? `${emails} 封来信未自动回复` : '');
