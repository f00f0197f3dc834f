/**
 * "What did they send?" at a glance: the documents the campaign requires, each with what was
 * received (登记表 ✓, 用户使用报告 1/3) and whether it is still owed, waived or done. Counts
 * are of usable documents as staff see them (kind overrides applied; an unreadable file counts
 * for nothing, as in src/rules/document-checks.ts); once the form lists products, proofs and
 * reports are required per product (cross-checks.md §3), so the count is over all products and
 * the note says it product by product. Done/owed/waived comes from the verdict, so this block
 * can never disagree with the issues listed above it. Pure.
 */
import type { Campaign } from '../config/campaign';
import type { Verdict } from '../domain/application';
import type { DocumentRecord } from '../domain/document';
import type { Attribution } from '../rules/attribution';
import type { IssueCode } from '../rules/issue-codes';

export type ReceivedState = 'ok' | 'missing' | 'waived';

export interface ReceivedItem {
  label: string;
  /** `✓`, `✗`, `1/3`. */
  count: string;
  state: ReceivedState;
  /** In words: 已收到, 还缺 2 份, 已豁免 … */
  note: string;
}

function stateOf(codes: readonly IssueCode[], verdict: Verdict): ReceivedState {
  if (verdict.issues.some((i) => codes.includes(i.code))) return 'missing';
  if (verdict.waived.some((i) => codes.includes(i.code))) return 'waived';
  return 'ok';
}

/** Usable documents of `kind`: in all, and per product when the form lists products. */
function counted(label: string, kind: DocumentRecord['kind'], usable: readonly DocumentRecord[], each: number, attribution: Attribution, codes: readonly IssueCode[], verdict: Verdict): ReceivedItem {
  const docs = usable.filter((d) => d.kind === kind);
  const state = stateOf(codes, verdict);
  const { products, bySha } = attribution;
  if (products.length <= 1) {
    const have = docs.length;
    const note = state === 'ok' ? '已够' : state === 'waived' ? `已豁免（收到 ${have} 份）` : `还缺 ${Math.max(0, each - have)} 份`;
    return { label, count: `${have}/${each}`, state, note };
  }
  // Several products: each needs its own; a document about none of them counts for none.
  const per = products.map((p) => ({ p, have: docs.filter((d) => bySha.get(d.sha256) === p.index).length }));
  const have = per.reduce((n, x) => n + Math.min(x.have, each), 0);
  const unknown = docs.filter((d) => bySha.get(d.sha256) === null || bySha.get(d.sha256) === undefined).length;
  const parts = per.map(({ p, have: h }) => `产品 ${p.index + 1}${p.name ? `“${p.name}”` : ''} ${h}/${each}`);
  if (unknown) parts.push(`${unknown} 份未能对应到产品`);
  const head = state === 'waived' ? '已豁免；' : '';
  return { label, count: `${have}/${each * products.length}`, state, note: `${head}${parts.join('，')}` };
}

function single(label: string, have: boolean, codes: readonly IssueCode[], verdict: Verdict, missingNote = '未收到'): ReceivedItem {
  const state = stateOf(codes, verdict);
  return { label, count: have ? '✓' : '✗', state, note: state === 'waived' ? '已豁免' : have ? '已收到' : missingNote };
}

export function receivedSummary(
  documents: readonly DocumentRecord[], verdict: Verdict, req: Campaign['requiredDocuments'], attribution: Attribution,
): { items: ReceivedItem[]; unreadable: number; other: number } {
  const usable = documents.filter((d) => d.error === null);
  const forms = usable.filter((d) => d.kind === 'registrationForm');
  const editable = forms.some((d) => d.textLayer);
  const scan = forms.some((d) => !d.textLayer);
  const items: ReceivedItem[] = [
    single(req.editableForm ? '登记表（电子版）' : '登记表', req.editableForm ? editable : forms.length > 0, ['MISSING_FORM', 'MISSING_EDITABLE_FORM'], verdict,
      scan ? '只收到扫描件' : '未收到'),
  ];
  if (req.stampedScan) items.push(single('盖章扫描件', scan, ['MISSING_STAMPED_SCAN'], verdict));
  if (req.copyrightProofs > 0) {
    items.push(counted('著作权证明', 'copyrightProof', usable, req.copyrightProofs, attribution, ['MISSING_COPYRIGHT_PROOF'], verdict));
  }
  if (req.userReports > 0) {
    items.push(counted('用户使用报告', 'userReport', usable, req.userReports, attribution, ['TOO_FEW_USER_REPORTS'], verdict));
  }
  return {
    items,
    unreadable: documents.length - usable.length,
    other: usable.filter((d) => d.kind === 'other' || d.kind === 'scoCaseForm').length,
  };
}
