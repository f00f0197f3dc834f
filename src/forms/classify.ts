/**
 * What a document is, from its content first and its file name second (rules.md).
 *
 * A document's title says what it is; its body mentions other kinds (the form's part 4
 * heading is 用户使用报告, a user report often mentions the product's 软件著作权). So the
 * first lines are read first, and in a title the kind named last wins (`关于…著作权产品的
 * 使用报告` is a report). The body is only read when the title names nothing.
 */
import type { DocumentKind } from '../domain/document';
import { compact } from './text';

type Kind = Exclude<DocumentKind, 'other'>;

/** Lines read as the title area, and how long a title can be. */
const TITLE_LINES = 6;
const TITLE_MAX = 50;

const SCO = /上合.{0,30}(合作|案例)|(合作|案例).{0,30}上合/;

const TITLE_WORDS: ReadonlyArray<[Kind, RegExp]> = [
  ['registrationForm', /(优秀|创新|软件)[^。，,]{0,12}(产品)?(登记表|申报表|报名表)|企业基本信息/g],
  ['copyrightProof', /著作权登记证书|软件著作权|著作权证明|著作权|软著|版权登记|版权局|知识产权|专利证书|发明专利|实用新型专利|外观设计专利/g],
  ['userReport', /用户使用报告|使用报告|用户报告|使用证明|应用证明|用户证明|使用情况(说明|报告)?|用户意见|应用报告/g],
];

const CERTIFICATE = /登记证书|证书号|软著登字|著作权人|专利号|专利权人|授权公告日/;

/** Labels of the registration form; several of them make a form without its title. */
const FORM_LABELS = [/企业名称/, /法(人|定)代表/, /主营业务/, /产品名称/, /发布时间/, /细分类别/, /市场占有率/, /软件产品简述/, /应用案例简述/, /项目联系人/, /邮政编码/];

const NAME_WORDS: ReadonlyArray<[Kind, RegExp]> = [
  ['registrationForm', /报名表|登记表|申报表|申请表|信息表|优秀软件产品|创新软件产品|产品登记/g],
  ['copyrightProof', /软著|著作权|版权|知识产权|专利/g],
  ['userReport', /用户报告|使用报告|用户使用|使用证明|应用证明|用户证明|用户意见|使用情况/g],
];

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

/** The kind whose word comes first in the text. */
function firstNamed(text: string, words: ReadonlyArray<[Kind, RegExp]>): Kind | null {
  let best: { kind: Kind; index: number } | null = null;
  for (const [kind, re] of words) {
    for (const m of text.matchAll(re)) {
      if (!best || m.index < best.index) best = { kind, index: m.index };
      break;
    }
  }
  return best?.kind ?? null;
}

function fromContent(text: string): Kind | null {
  const lines = text.split(/\r?\n/).map(compact).filter((l) => l !== '');
  if (lines.length === 0) return null;
  for (const line of lines.slice(0, TITLE_LINES)) {
    // A field line (`企业名称：武汉某某知识产权有限公司`) or a sentence is not a title.
    if (line.length > TITLE_MAX || FORM_LABELS.some((re) => re.test(line))) continue;
    if (SCO.test(line) && /登记表|案例/.test(line)) return 'scoCaseForm';
    const kind = lastNamed(line, TITLE_WORDS);
    if (kind) return kind;
  }
  const body = lines.join('\n');
  if (FORM_LABELS.filter((re) => re.test(body)).length >= 4) return 'registrationForm';
  if (SCO.test(body) && /案例/.test(body) && /登记表/.test(body)) return 'scoCaseForm';
  // A certificate's own wording; a report merely mentions the product's 软件著作权.
  if (CERTIFICATE.test(body)) return 'copyrightProof';
  const userWords = TITLE_WORDS.find(([kind]) => kind === 'userReport')?.[1];
  if (userWords && new RegExp(userWords.source).test(body)) return 'userReport';
  return firstNamed(body, TITLE_WORDS);
}

function fromName(fileName: string): Kind | null {
  const base = compact(fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.[a-z0-9]{1,5}$/i, '');
  if (/上合/.test(base)) return 'scoCaseForm';
  return lastNamed(base, NAME_WORDS);
}

export function classifyDocument(fileName: string, text: string | null): DocumentKind {
  return (text ? fromContent(text) : null) ?? fromName(fileName) ?? 'other';
}
