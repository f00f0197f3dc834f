/**
 * Which product each certificate and user report is about (cross-checks.md §2), pure.
 *
 * The application's products are those of its standing forms, in order of arrival, then row
 * (`products[i]`). A certificate is attributed by its software name (or short name), a user
 * report by the product names its text holds, anything else by its file name. With one
 * product everything is its; with two or more, a document naming none is unattributed.
 */
import type { Application } from '../domain/application';
import type { DocumentRecord } from '../domain/document';
import type { Product } from '../domain/form';
import { compact, toHalfWidth } from '../forms/text';
import { splitVersion } from '../forms/version';
import { isName, standingForms } from './products';

export interface AppProduct {
  /** index in the application's products: `products[i]` */
  index: number;
  /** as written on the form */
  name: string;
  key: string;
  row: Product;
  /** the form it is on */
  file: string;
}

const SHORT_NAME = /[(（[【]\s*简称[^)）\]】]*[)）\]】]/g;
const GENERIC_END = /(软件|系统|平台)$/;
const QUOTES = /[《》<>"“”'‘’「」『』]/g;
/** A key shorter than this would match too much ordinary text. */
const MIN_KEY = 2;

/**
 * A name as compared (cross-checks.md §2): half-width, no blanks or quotes, lower case, without
 * `（简称…）`, the version suffix and a trailing 软件/系统/平台 (repeatedly: `…系统软件V1.0`).
 */
export function productKey(name: string): string {
  let key = compact(toHalfWidth(name, true)).replace(SHORT_NAME, '').replace(QUOTES, '').toLowerCase();
  for (;;) {
    const next = splitVersion(key).base.replace(GENERIC_END, '');
    if (next === key || next.length < MIN_KEY) return key;
    key = next;
  }
}

/** The application's products with a real name, indexed over every row of the standing forms. */
export function applicationProducts(app: Application): AppProduct[] {
  const out: AppProduct[] = [];
  let index = 0;
  for (const f of standingForms(app.forms)) {
    for (const row of f.form.products) {
      if (isName(row.name)) out.push({ index, name: row.name, key: productKey(row.name), row, file: f.file });
      index += 1;
    }
  }
  return out;
}

/**
 * How often each product is named in `text`: the longest key wins where keys overlap (a
 * product `云帆审批` is not named by `云帆审批移动端`'s mentions), each mention counted once.
 */
function mentions(text: string, products: readonly AppProduct[]): Map<number, number> {
  let hay = compact(toHalfWidth(text, true)).replace(QUOTES, '').toLowerCase();
  const counts = new Map<number, number>();
  const byLength = [...products].filter((p) => p.key !== '').sort((a, b) => b.key.length - a.key.length);
  for (const p of byLength) {
    const parts = hay.split(p.key);
    if (parts.length > 1) {
      counts.set(p.index, (counts.get(p.index) ?? 0) + parts.length - 1);
      hay = parts.join('\u0000');
    }
  }
  return counts;
}

/** The one product most named, or null (none, or a tie). */
function most(counts: Map<number, number>): number | null {
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top || (second && second[1] === top[1])) return null;
  return top[0];
}

/** By a text: the product its title (first non-empty line) names alone, else the one it names most often. */
function byText(text: string, products: readonly AppProduct[]): number | null {
  const title = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const inTitle = mentions(title, products);
  if (inTitle.size === 1) return [...inTitle.keys()][0] ?? null;
  return most(mentions(text, products));
}

function byCertificate(d: DocumentRecord, products: readonly AppProduct[]): number | null {
  const c = d.certificate;
  if (!c) return null;
  for (const name of [c.softwareName, c.shortName]) {
    if (!name) continue;
    const key = productKey(name);
    const hits = products.filter((p) => p.key === key);
    if (hits.length === 1) return hits[0]?.index ?? null;
  }
  return null;
}

const baseName = (file: string) => file.replace(/\.[A-Za-z0-9]{1,5}$/, '');

/** The product one document is about, by the rules of §2, among two or more products; null: unattributed. */
export function attributeDocument(d: DocumentRecord, products: readonly AppProduct[]): number | null {
  if (d.kind === 'copyrightProof') {
    const named = byCertificate(d, products);
    if (named !== null) return named;
  }
  // A certificate whose fields could not be read is read like a report: by what its text names.
  if (d.excerpt && !(d.kind === 'copyrightProof' && d.certificate?.softwareName)) {
    const named = byText(d.excerpt, products);
    if (named !== null) return named;
  }
  return most(mentions(baseName(d.file), products));
}

export interface Attribution {
  products: AppProduct[];
  /** sha256 of each usable certificate and user report → the product index it is about, or null. */
  bySha: Map<string, number | null>;
}

/** Every usable certificate and user report attributed; empty when the application has no named product (no form yet). */
export function attribute(app: Application): Attribution {
  const products = applicationProducts(app);
  const bySha = new Map<string, number | null>();
  if (products.length === 0) return { products, bySha };
  for (const d of app.documents) {
    if (d.error !== null || (d.kind !== 'copyrightProof' && d.kind !== 'userReport')) continue;
    bySha.set(d.sha256, products.length === 1 ? (products[0]?.index ?? null) : attributeDocument(d, products));
  }
  return { products, bySha };
}

/** The product's name each document is about, as on the form (for the report, the dashboard and `check`). */
export function productOfDocuments(app: Application): Map<string, string | null> {
  const { products, bySha } = attribute(app);
  const name = new Map(products.map((p) => [p.index, p.name]));
  return new Map([...bySha].map(([sha, i]) => [sha, i === null ? null : (name.get(i) ?? null)]));
}
