/**
 * The one way an email body is built: texts from the campaign with {placeholders} filled
 * in, as paragraphs and numbered lists, rendered once as plain text and once as escaped HTML.
 */
import type { Campaign } from '../../config/campaign';
import type { Application } from '../../domain/application';
import { chineseDate } from '../../rules/zoned-time';
import { nameLine } from './bounded';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export type Block = { p: string } | { list: string[] };

export type Vars = Record<string, string | number>;

/** `{name}` → its value; the campaign loader has already refused unknown names. */
export function fill(template: string, vars: Vars): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function render(subject: string, blocks: Block[]): RenderedEmail {
  const text = blocks
    .map((b) => ('p' in b ? b.p : b.list.map((item, i) => `${i + 1}. ${item}`).join('\n')))
    .join('\n\n');
  const body = blocks
    .map((b) => ('p' in b ? `<p>${escapeHtml(b.p).replace(/\n/g, '<br>\n')}</p>` : `<ol>\n${b.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}\n</ol>`))
    .join('\n');
  const html = `<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n${body}\n</body></html>\n`;
  return { subject: subject.replace(/[\r\n]+/g, ' '), text: `${text}\n`, html };
}

/** Placeholders about the call itself. */
export function callVars(campaign: Campaign): Vars {
  const { association, federation } = campaign.contacts;
  return {
    callName: campaign.name,
    associationName: association.organisation,
    associationDeadline: chineseDate(campaign.deadlines.association),
    federationName: federation.organisation,
    federationDeadline: chineseDate(campaign.deadlines.federation),
    federationEmail: federation.email,
    contactName: association.name,
    contactPhones: association.phones.join(' / '),
  };
}

/** Placeholders about the call and one application. */
export function appVars(campaign: Campaign, app: Application): Vars {
  return { ...callVars(campaign), id: app.id, companyName: app.companyName ? nameLine(app.companyName) || '贵单位' : '贵单位' };
}

/**
 * `回复: Re: 申报 [SB2023-0042]` → `Re: 申报`: one Re:, and the number is added again by the
 * template. Every other application number goes too: a stranger who wrote another
 * application's number is never answered with it (issue 8 §2).
 */
export function reSubject(original: string, id: string): string {
  // `SB2023-`: campaign prefixes are letters and digits (campaign.ts), safe inside a RegExp.
  const prefix = /^[A-Za-z0-9]+-/.exec(id)?.[0] ?? '';
  const bare = nameLine(original)
    .split(`[${id}]`)
    .join(' ')
    .replace(prefix === '' ? /(?!)/ : new RegExp(`\\[?${prefix}\\d+\\]?`, 'gi'), ' ')
    .replace(/^(?:\s*(?:re|aw|答复|回复)\s*[:：])+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `Re: ${nameLine(bare) || '（无主题）'}`;
}

/** The closing blocks every email to an applicant ends with. */
export function closing(campaign: Campaign, vars: Vars): Block[] {
  return [{ p: fill(campaign.texts.contact, vars) }, { p: fill(campaign.texts.signature, vars) }];
}
