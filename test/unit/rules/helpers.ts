/** Builders for the rules and notify tests: a well-filled form, documents and emails. */
import { createHash } from 'node:crypto';
import type { DocumentKind, DocumentRecord } from '../../../src/domain/document';
import type { Product, RegistrationForm } from '../../../src/domain/form';
import type { FoldInput } from '../../../src/rules/fold';

export function product(name: string, over: Partial<Product> = {}): Product {
  return {
    name, releaseDate: '2022-05', releaseDateText: '2022年5月', category: 'application', categoryText: '应用软件', domain: '智慧政务',
    revenueSharePercent: 35, marketSharePercent: '无', exportSharePercent: 0, ...over,
  };
}

export function form(products: Product[] = [product('星云数据中台')], over: Partial<RegistrationForm> = {}, company: Partial<RegistrationForm['company']> = {}): RegistrationForm {
  return {
    company: {
      name: '武汉星云软件有限公司', legalRepresentative: '王五', website: 'www.xingyun.com.cn', address: '武汉市东湖新技术开发区光谷大道 1 号', postalCode: '430074',
      mainBusiness: ['application', 'ai'], contact: { name: '李四', phone: '027-87654321', email: 'lisi@xingyun.com.cn', position: '市场部 经理' }, ...company,
    },
    products, productSummary: '数据中台产品，自主研发。', caseSummary: '服务于武汉市某区政务数据共享。', ...over,
  };
}

export function doc(file: string, kind: DocumentKind, over: Partial<DocumentRecord> = {}, content = file): DocumentRecord {
  return {
    file, format: /\.(jpe?g|png)$/i.test(file) ? 'image' : /\.pdf$/i.test(file) ? 'pdf' : 'docx', kind, textLayer: !/\.(jpe?g|png)$/i.test(file),
    form: null, error: null, sha256: createHash('sha256').update(content).digest('hex'), size: content.length, ...over,
  };
}

export const formDoc = (file: string, f: RegistrationForm, content = file) => doc(file, 'registrationForm', { form: f }, content);
export const scan = (file = '登记表盖章.jpg') => doc(file, 'registrationForm', { textLayer: false, format: 'image' });
export const proof = (file = '软件著作权登记证书.pdf') => doc(file, 'copyrightProof');
export const report = (n: number) => doc(`用户使用报告${n}.pdf`, 'userReport');

/** A certificate and three user reports named for each product (cross-checks.md §2: by file name). */
export function productDocuments(names: readonly string[]): DocumentRecord[] {
  return names.flatMap((n) => [
    doc(`软件著作权登记证书-${n}.pdf`, 'copyrightProof'),
    ...[1, 2, 3].map((i) => doc(`用户使用报告${i}-${n}.pdf`, 'userReport')),
  ]);
}

/** Everything the 2023 call asks for: for one product as sent without names, per product when several. */
export function completeDocuments(f: RegistrationForm = form()): DocumentRecord[] {
  const names = f.products.map((p) => p.name).filter((n): n is string => !!n && n !== '无');
  const perProduct = names.length > 1 ? productDocuments(names) : [proof(), report(1), report(2), report(3)];
  return [formDoc('优秀软件产品登记表.docx', f), scan(), ...perProduct];
}

let counter = 0;
export function email(at: string, documents: DocumentRecord[], over: Partial<FoldInput> = {}): FoldInput {
  counter += 1;
  return {
    messageId: `<m${counter}@mail.example.cn>`, from: 'LiSi@XingYun.com.cn', subject: '申报材料', arrival: { at: new Date(at), source: 'internalDate' },
    documents, links: [], ...over,
  };
}
