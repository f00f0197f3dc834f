/**
 * What goes into the federation package: one folder per complete application, each document
 * renamed by what staff say it is (`企业名称-登记表.docx`, `企业名称-用户使用报告1.pdf` …), every
 * name safe on Windows and unique in its folder. Pure: the route streams what this plans.
 */
import type { Judged } from '../domain/application';
import type { DocumentFormat, DocumentRecord } from '../domain/document';
import { asStaffSee } from '../rules/staff-overlay';
import { extensionOf, safeFileName, uniqueIn } from './safe-names';

export interface PackageFile {
  /** Path in the zip: `<folder>/<name>`. */
  path: string;
  applicationId: string;
  sha256: string;
  /** The document's own name (for finding an archive member). */
  file: string;
  /** The raw .eml that carried it. */
  rawSha256: string;
  /** Store, don't deflate: PDFs, images, docx and archives are compressed already. */
  compress: boolean;
  arrivedAt: string;
}

const FORMAT_EXT: Record<DocumentFormat, string> = {
  docx: '.docx', doc: '.doc', wps: '.wps', pdf: '.pdf', image: '.jpg', zip: '.zip', rar: '.rar', '7z': '.7z', text: '.txt', other: '',
};
const COMPRESSED = new Set(['.pdf', '.jpg', '.jpeg', '.png', '.gif', '.webp', '.docx', '.xlsx', '.pptx', '.zip', '.rar', '.7z']);

/** The label a document is filed under, and whether it is numbered even when alone. */
function labelOf(d: DocumentRecord): { label: string; numbered: boolean } {
  switch (d.kind) {
    case 'registrationForm': return d.textLayer ? { label: '登记表', numbered: false } : { label: '盖章扫描件', numbered: false };
    case 'scoCaseForm': return { label: '上合案例登记表', numbered: false };
    case 'copyrightProof': return { label: '著作权证明', numbered: true };
    case 'userReport': return { label: '用户使用报告', numbered: true };
    default: return { label: '其他材料', numbered: true };
  }
}

/** A text put in a folder instead of documents whose raw email is not kept (records older than the raw store). */
export interface PackageNote {
  path: string;
  text: string;
}

const ORDER = ['登记表', '盖章扫描件', '上合案例登记表', '著作权证明', '用户使用报告', '其他材料'];

export function packageFiles(items: readonly Judged[]): { files: PackageFile[]; notes: PackageNote[] } {
  const out: PackageFile[] = [];
  const notes: PackageNote[] = [];
  const folders = new Set<string>();
  for (const { app: stored, verdict } of items) {
    if (!verdict.complete || stored.mergedInto) continue;
    const app = asStaffSee(stored);
    const company = safeFileName(app.companyName ?? stored.id, 60);
    const folder = uniqueIn(folders, company);
    const carrier = new Map<string, { raw: string; at: string }>();
    for (const e of stored.emails) for (const sha of e.documents) if (e.rawSha256 && !carrier.has(sha)) carrier.set(sha, { raw: e.rawSha256, at: e.arrivedAt });
    const readable = app.documents.filter((d) => d.error === null && d.size > 0);
    const docs = readable.filter((d) => carrier.has(d.sha256));
    const lost = readable.filter((d) => !carrier.has(d.sha256));
    if (lost.length > 0) {
      notes.push({ path: `${folder}/缺少原件.txt`, text: `${stored.id} ${app.companyName ?? ''}\r\n以下文件的原始邮件未保存，请从邮箱中取出：\r\n${lost.map((d) => d.file).join('\r\n')}\r\n` });
    }
    const byLabel = new Map<string, DocumentRecord[]>();
    for (const d of docs) byLabel.set(labelOf(d).label, [...(byLabel.get(labelOf(d).label) ?? []), d]);
    const used = new Set<string>();
    for (const label of ORDER) {
      const group = byLabel.get(label) ?? [];
      group.forEach((d, n) => {
        const ext = extensionOf(d.file) || FORMAT_EXT[d.format];
        const number = labelOf(d).numbered || group.length > 1 ? String(n + 1) : '';
        const name = uniqueIn(used, safeFileName(`${company}-${label}${number}${ext}`));
        const c = carrier.get(d.sha256) as { raw: string; at: string };
        out.push({ path: `${folder}/${name}`, applicationId: stored.id, sha256: d.sha256, file: d.file, rawSha256: c.raw, compress: !COMPRESSED.has(ext.toLowerCase()), arrivedAt: c.at });
      });
    }
  }
  return { files: out, notes };
}
