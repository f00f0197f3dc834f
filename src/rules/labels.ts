/** Chinese labels of the form's fields, keyed by path with the product index left out (form-fields.md). */
export const FIELD_LABELS: Record<string, string> = {
  'company.name': '企业名称',
  'company.legalRepresentative': '法人代表姓名',
  'company.website': '企业网址',
  'company.address': '通信地址',
  'company.postalCode': '邮政编码',
  'company.mainBusiness': '主营业务',
  'company.contact.name': '项目联系人',
  'company.contact.phone': '联系电话',
  'company.contact.email': '邮箱',
  'company.contact.position': '部门与职务',
  'products[].name': '产品名称',
  'products[].releaseDate': '发布时间',
  'products[].category': '细分类别',
  'products[].domain': '应用领域',
  'products[].revenueSharePercent': '产品收入占企业主营业务收入比重（%）',
  'products[].marketSharePercent': '市场占有率（%）',
  'products[].exportSharePercent': '产品出口额占产品总收入比重（%）',
  productSummary: '软件产品简述',
  caseSummary: '应用案例简述',
};

/** `products[1].domain` → 应用领域; an unknown path is shown as it is (a bug to fix, not to hide). */
export function fieldLabel(path: string): string {
  return FIELD_LABELS[path.replace(/\[\d+\]/g, '[]')] ?? path;
}

/**
 * Services that offer a file by link (src/mail/links.ts kinds), as an applicant names them.
 * The receipt names the service, never the link itself: a link an applicant wrote must not
 * reach anyone as a link in the association's email (src/notify/templates/defang.ts).
 */
export const LINK_SERVICE_LABELS: Record<string, string> = {
  'qq-large-attachment': 'QQ 邮箱超大附件',
  'netease-large-attachment': '网易邮箱超大附件',
  onedrive: 'OneDrive',
  'baidu-pan': '百度网盘',
  'aliyun-drive': '阿里云盘',
  weiyun: '腾讯微云',
  '123pan': '123 云盘',
  lanzou: '蓝奏云',
  'quark-pan': '夸克网盘',
  'google-drive': 'Google 云端硬盘',
  dropbox: 'Dropbox',
  'cloud-drive': '网盘',
};

export const linkServiceLabel = (kind: string): string => LINK_SERVICE_LABELS[kind] ?? '网盘';
