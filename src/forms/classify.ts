/**
 * What a document is, from its content first and its file name second (rules.md).
 *
 * A document's title says what it is; its body mentions other kinds (the form's part 3
 * heading is 产品相关著作权证明, its part 4 用户使用报告; a user report often mentions the
 * product's 软件著作权). So the first lines are read first, and in a title the kind named
 * last wins (`关于…著作权产品的使用报告` is a report). A numbered section heading
 * (`三、产品相关著作权证明`) is part of a larger document, never its title.
 *
 * Without a title, each kind is recognised by what only it has: the form by its labels
 * (企业名称, 法人代表, 主营业务 …), a certificate by its certificate-only wording (证书号
 * 软著登字第…号, 登记号 20xxSR…, 著作权人, 权利取得方式, 开发完成日期 …). A mention is no
 * proof: a company profile that says 已取得计算机软件著作权登记 is not a certificate, and a
 * staff list of names and e-mail addresses is not the form. A document with real text
 * of its own is the form only by that text, never by its file name alone.
 */
import type { DocumentKind } from '../domain/document';
import { compact } from './text';

type Kind = Exclude<DocumentKind, 'other'>;

/** Lines read as the title area, and how long a title can be. */
const TITLE_LINES = 6;
const TITLE_MAX = 50;

const SCO = /上合.{0,30}(合作|案例)|(合作|案例).{0,30}上合/;

const TITLE_WORDS: ReadonlyArray<[Kind, RegExp]> = [
  ['registrationForm', /(优秀|创新|软件)[^。，,]{0,12}(产品)?(登记表|申报表|报名表)/g],
  [
    'copyrightProof',
    /(著作权|版权|软著|专利|知识产权)[^。，,：:]{0,10}(证书|证明)|软件著作权|国家版权局|版权登记|发明专利|实用新型专利|外观设计专利/g,
  ],
  ['userReport', /用户使用报告|使用报告|用户报告|使用证明|应用证明|用户证明|使用情况(说明|报告)?|用户意见|应用报告/g],
];

/** `一、`, `（三）`, `3.`: a part of a larger document. */
const SECTION_HEADING = /^(?:[（(]?[一二三四五六七八九十]{1,3}[）)、.．]|[（(]?\d{1,2}[）)、．]|\d{1,2}\.(?!\d))/;

/** Wording only a certificate (software copyright or patent) carries; two of them make one. */
const CERTIFICATE_MARKS = [
  /软著登字/,
  /证书号/,
  /20\d{2}SR\d{4,}/i,
  /著作权人[:：]?/,
  /权利取得方式/,
  /权利范围/,
  /开发完成日期/,
  /首次发表日期/,
  /专利号[:：]?ZL/i,
  /专利权人/,
  /授权公告日/,
  /专利申请日/,
];
const CERTIFICATE_MIN_MARKS = 2;

/** Labels and part headings of the registration form; several of them make a form without its title. */
const FORM_LABELS = [
  /企业名称/, /法(人|定)代表/, /主营业务/, /产品名称/, /发布时间/, /细分类别/, /市场占有率/, /软件产品简述/, /应用案例简述/,
  /项目联系人/, /邮政编码/, /企业基本信息/, /优秀创新产品信息/, /企业网址/, /部门与职务/,
];
const FORM_MIN_LABELS = 4;

const NAME_WORDS: ReadonlyArray<[Kind, RegExp]> = [
  ['registrationForm', /报名表|登记表|申报表|优秀软件产品|创新软件产品|产品登记/g],
  ['copyrightProof', /软著|著作权|版权|知识产权|专利/g],
  ['userReport', /用户报告|使用报告|用户使用|使用证明|应用证明|用户证明|用户意见|使用情况/g],
];

/** Text of its own (readable characters, not placeholders): enough that the name may not make it the form. */
const SUBSTANTIVE_CHARS = 30;

/** The kind whose word ends last in the text (a title names its kind at its end). */
function lastNamed(text: string, words: ReadonlyArray<[Kind, RegExp]>): Kind | null {
  let best: { kind: Kind; end: number } | null = null;
  for (const [kind, re] of words) {
    for (const m of text.matchAll(re)) {
      const end = m.index + m[0].length;
      if (!best || end > best.end) best = { kind, end };
    }
  }
  return best?.kind ?? null;
}

function count(body: string, marks: RegExp[]): number {
  return marks.filter((re) => re.test(body)).length;
}

/** Sentence punctuation: a title has none. */
const SENTENCE = /[，。；！？]/;
/** A sentence saying what was obtained (`已取得计算机软件著作权登记证书`) mentions a kind, it is no title. */
const MENTION = /(取得|获得|拥有|荣获)/;

/** OCR joins what stands side by side: `优秀软件产品登记表 三、产品相关著作权证明` is a title, then a part. */
const EMBEDDED_HEADING = /[一二三四五六七八九十]{1,3}、/;

function fromTitle(lines: string[]): Kind | null {
  let seen = false;
  for (const whole of lines.slice(0, TITLE_LINES)) {
    // The title stands before the first part (`一、…`); a heading above everything is OCR's disorder.
    if (SECTION_HEADING.test(whole)) {
      if (seen) return null;
      continue;
    }
    seen = true;
    const cut = whole.search(EMBEDDED_HEADING);
    const line = cut > 0 ? whole.slice(0, cut) : whole;
    // A field line (`企业名称：武汉某某知识产权有限公司`) or a sentence (even one wrapped without its comma) is not a title.
    if (line.length > TITLE_MAX || SENTENCE.test(line) || MENTION.test(line) || FORM_LABELS.some((re) => re.test(line))) continue;
    if (SCO.test(line) && /登记表|案例/.test(line)) return 'scoCaseForm';
    const kind = lastNamed(line, TITLE_WORDS);
    if (kind) return kind;
  }
  return null;
}

const linesOf = (text: string): string[] => text.split(/\r?\n/).map(compact).filter((l) => l !== '');

/**
 * The title alone says the text is a form (ours, or the SCO case form), whose OCR text serves
 * nothing else: the rest of a scan need not be read to know it (src/documents/readers/ocr).
 * A certificate's or a report's title is not enough: their text names their product.
 */
export function titleNamesForm(text: string): boolean {
  const kind = fromTitle(linesOf(text));
  return kind === 'registrationForm' || kind === 'scoCaseForm';
}

function fromContent(text: string): Kind | null {
  const lines = linesOf(text);
  if (lines.length === 0) return null;
  const title = fromTitle(lines);
  if (title) return title;
  const body = lines.join('\n');
  if (count(body, FORM_LABELS) >= FORM_MIN_LABELS) return 'registrationForm';
  if (SCO.test(body) && /案例/.test(body) && /登记表/.test(body)) return 'scoCaseForm';
  if (count(body, CERTIFICATE_MARKS) >= CERTIFICATE_MIN_MARKS) return 'copyrightProof';
  const userWords = TITLE_WORDS.find(([kind]) => kind === 'userReport')?.[1];
  if (userWords && new RegExp(userWords.source).test(body)) return 'userReport';
  return null;
}

function fromName(fileName: string): Kind | null {
  const base = compact(fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.[a-z0-9]{1,5}$/i, '');
  if (/上合/.test(base)) return 'scoCaseForm';
  return lastNamed(base, NAME_WORDS);
}

/** Readable characters outside template placeholders (`${email}`, `{{table}}`). */
function substantive(text: string): boolean {
  const own = text.replace(/\$\{[^}\n]{0,60}\}|\{\{[^}\n]{0,60}\}\}/g, '');
  return (own.match(/[\p{Script=Han}A-Za-z0-9]/gu)?.length ?? 0) >= SUBSTANTIVE_CHARS;
}

export interface ClassifyOptions {
  /** the text came from OCR of a scan: noisy, so the file name may still tell the form */
  ocr?: boolean;
}

/** A title naming some other form (`横向项目立项申报表`, `人员信息表`): the document says it is not ours. */
const FORM_TITLE = /(申报表|申请表|登记表|信息表|审批表|报名表|统计表|明细表|一览表|汇总表)$/;

function titledAsOtherForm(text: string): boolean {
  const lines = text.split(/\r?\n/).map(compact).filter((l) => l !== '').slice(0, TITLE_LINES);
  return lines.some((l) => l.length <= TITLE_MAX && !SENTENCE.test(l) && FORM_TITLE.test(l));
}

export function classifyDocument(fileName: string, text: string | null, opts: ClassifyOptions = {}): DocumentKind {
  const byContent = text ? fromContent(text) : null;
  if (byContent) return byContent;
  const byName = fromName(fileName);
  // The form is recognised by its own title and labels: a text of some other table (a staff
  // list, another association's 申报表) named like a form is not the form.
  if (byName === 'registrationForm' && text && ((!opts.ocr && substantive(text)) || titledAsOtherForm(text))) return 'other';
  return byName ?? 'other';
}
