/** The form's labels (form-fields.md), grouped by part, and the marks that end a part. */
import { LabelSet, leadingLabel } from './labels';
import { compact } from './text';

export type CompanyKey =
  | 'name' | 'legalRepresentative' | 'website' | 'address' | 'postalCode' | 'mainBusiness'
  | 'contactName' | 'phone' | 'email' | 'position';

export const COMPANY_LABELS = new LabelSet<CompanyKey>([
  { key: 'name', strong: ['企业名称', '单位名称', '公司名称', '企业全称', '申报单位', '申报企业'] },
  { key: 'legalRepresentative', strong: ['法人代表姓名', '法定代表人姓名', '法人代表', '法定代表人', '法人姓名'], weak: ['法人'] },
  { key: 'website', strong: ['企业网址', '公司网址', '单位网址', '企业网站', '公司网站', '企业官网'], weak: ['网址', '网站', '官网'] },
  { key: 'address', strong: ['通信地址', '通讯地址', '联系地址', '企业地址', '公司地址', '办公地址', '单位地址'], weak: ['地址'] },
  { key: 'postalCode', strong: ['邮政编码'], weak: ['邮编'] },
  { key: 'mainBusiness', strong: ['主营业务'], notFollowedBy: '收入|类别' },
  { key: 'contactName', strong: ['项目联系人', '联系人姓名', '联系人'] },
  { key: 'phone', strong: ['联系电话', '联系人电话', '联系方式', '手机号码', '电话号码', '办公电话', '手机号'], weak: ['电话', '手机'] },
  { key: 'email', strong: ['电子邮箱', '电子邮件', '联系邮箱', '邮箱地址', 'E-mail', 'Email'], weak: ['邮箱', '邮件'] },
  { key: 'position', strong: ['部门与职务', '部门及职务', '部门和职务', '部门/职务', '部门、职务', '部门职务', '所在部门'], weak: ['职务', '部门'] },
]);

export type ProductKey = 'name' | 'releaseDate' | 'category' | 'domain' | 'revenueSharePercent' | 'marketSharePercent' | 'exportSharePercent';

/** Column headers of the products table, in the template's order. */
export const PRODUCT_LABELS = new LabelSet<ProductKey>([
  { key: 'name', strong: ['产品名称', '软件名称', '产品全称'] },
  { key: 'releaseDate', strong: ['发布时间', '发布日期', '上市时间', '发布年份'] },
  { key: 'category', strong: ['细分类别', '产品类别', '软件类别', '所属类别'], weak: ['类别'] },
  { key: 'domain', strong: ['应用领域', '所属领域', '行业领域'], weak: ['领域'] },
  { key: 'revenueSharePercent', strong: ['产品收入占企业主营业务收入比重', '收入占企业主营业务收入比重', '产品收入占比', '收入占比', '营收占比'] },
  { key: 'marketSharePercent', strong: ['市场占有率', '市场份额', '占有率'] },
  { key: 'exportSharePercent', strong: ['产品出口额占产品总收入比重', '出口额占产品总收入比重', '出口额占比', '出口占比', '出口额'] },
]);

export const PRODUCT_ORDER: ReadonlyArray<ProductKey> = PRODUCT_LABELS.defs.map((d) => d.key);

/** The template's header texts, to recognise the pieces of a header wrapped over lines. */
export const HEADER_VOCABULARY = compact(
  '产品名称 发布时间（以软著上的时间为准或其他相关证明） 细分类别（参照主营业务类别） 应用领域 ' +
    '产品收入占企业主营业务收入比重（%） 市场占有率（%） 产品出口额占产品总收入比重（%）',
);

export type SummaryKey = 'productSummary' | 'caseSummary';

export const SUMMARY_LABELS = new LabelSet<SummaryKey>([
  { key: 'productSummary', strong: ['软件产品简述', '产品简述', '软件产品简介', '产品简介'] },
  { key: 'caseSummary', strong: ['应用案例简述', '案例简述', '应用案例简介', '案例简介'], weak: ['应用案例'] },
]);

/**
 * The template's own part headings after part 1 (`二、优秀创新产品信息`, `三、产品相关著作权证明`…),
 * its closing note, or the next attachment. A summary's own numbered headings
 * (`二、核心技术`) and notes are not boundaries.
 */
const PART_HEADINGS = [
  /^[二2][、.．].{0,6}产品信息/,
  /^[三3][、.．].{0,8}(著作权|知识产权)/,
  /^[四4][、.．].{0,4}用户使用报告/,
  /^[五5][、.．].{0,4}其他需要说明/,
  /^注[:：].{0,12}(每家企业|不得超过)/,
  /^附件\d*[:：]?$/,
];

export function isPartBoundary(text: string): boolean {
  const c = compact(text);
  return PART_HEADINGS.some((re) => re.test(c));
}

/** The signature block that may close the form (`单位（盖章）：`, `日期：`). */
const SIGNATURE = /^((申报)?(单位|企业)[(（]?(盖章|公章|签章)|(盖章|签字|签名|日期|填表人|填报人|负责人签字)[:：]|年月日$)/;

/** Text that starts something else than a value: a label of the form, the next part, the signatures. */
export function startsSection(text: string): boolean {
  return (
    isPartBoundary(text) ||
    SIGNATURE.test(compact(text)) ||
    leadingLabel(SUMMARY_LABELS, text) !== null ||
    leadingLabel(PRODUCT_LABELS, text) !== null ||
    (leadingLabel(COMPANY_LABELS, text) !== null && /[:：]/.test(text))
  );
}
