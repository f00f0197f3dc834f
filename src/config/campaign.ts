/**
 * The campaign file: dates, limits, required documents and email texts of one call for
 * applications (rules.md: next year's call needs a new file, not new code).
 * JSON or YAML; every object is strict, so a misspelt key is an error, not a silent default.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { EMAIL_SHAPE } from '../domain/email-shape';

const isoDate = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'expected a date YYYY-MM-DD');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:MM');
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Asia/Shanghai');
const count = z.number().int('expected a whole number').min(0, 'expected a number ≥ 0');
const positive = z.number().int('expected a whole number').min(1, 'expected a number ≥ 1');
const email = z.string().regex(EMAIL_SHAPE, 'expected an email address');
const text = z.string().min(1, 'expected a text');

/**
 * The work one email may cause (issue 8 §3): documents read (every archive member counts, so
 * an archive inside an archive does too), levels of forwarded emails opened, and wall time
 * for the whole email. Beyond it the rest is reported as not read, never silently dropped.
 */
const perEmail = z.object({ documents: positive, nestingDepth: positive, seconds: positive }).strict();
export const DEFAULT_PER_EMAIL = { documents: 200, nestingDepth: 3, seconds: 60 } as const;

/** Sending limits beside the per-recipient one when the campaign file does not set them. */
export const DEFAULT_RATE_LIMIT = { perDomainPerHour: 100, globalPerHour: 300 } as const;

const processed = z.discriminatedUnion('action', [
  z.object({ action: z.literal('flag'), keyword: text, failedKeyword: text }).strict(),
  z.object({ action: z.literal('move'), folder: text, failedFolder: text }).strict(),
]);

const texts = z
  .object({
    greeting: text,
    signature: text,
    contact: text,
    kinds: z
      .object({
        registrationFormEditable: text,
        registrationFormScan: text,
        scoCaseForm: text,
        copyrightProof: text,
        userReport: text,
        other: text,
      })
      .strict(),
    receipt: z
      .object({
        subject: text,
        intro: text,
        receivedHeading: text,
        duplicateNote: text,
        totalsHeading: text,
        complete: text,
        issuesHeading: text,
        howToReply: text,
        /** cross-checks.md §4: the heading of the warnings, in every email that lists issues. */
        warningsHeading: text.default('请核对以下内容：'),
      })
      .strict(),
    lateNotice: z.object({ subject: text, intro: text, late: text, direct: text }).strict(),
    closedNotice: z.object({ subject: text, intro: text, closed: text }).strict(),
    followUp: z.object({ subject: text, intro: text, beforeDeadline: text, afterDeadline: text }).strict(),
    reminder: z.object({ subject: text, intro: text, issuesHeading: text, request: text }).strict(),
    digest: z.object({ subject: text, counts: text, changedHeading: text, noChanges: text }).strict(),
  })
  .strict();

export const campaignSchema = z
  .object({
    name: text,
    idPrefix: z.string().regex(/^[A-Za-z0-9]+$/, 'expected letters and digits, e.g. SB2023'),
    timeZone,
    deadlines: z.object({ association: isoDate, federation: isoDate }).strict(),
    graceMinutes: count,
    limits: z.object({ productsPerCompany: positive, summaryCharacters: positive, perEmail: perEmail.default(DEFAULT_PER_EMAIL) }).strict(),
    releaseWindow: z.object({ from: isoDate, to: isoDate }).strict(),
    requiredDocuments: z
      .object({ editableForm: z.boolean(), stampedScan: z.boolean(), copyrightProofs: count, userReports: count })
      .strict(),
    reminders: z
      .object({
        daysBefore: z.array(positive),
        at: clockTime,
        deadlines: z.array(z.enum(['association', 'federation'])),
      })
      .strict(),
    followUp: z.object({ perApplicationPerDay: positive }).strict(),
    rateLimit: z
      .object({
        perRecipientPerHour: positive,
        // On top of the per-recipient limit (issue 8 §1); what is held back waits and is listed.
        perDomainPerHour: positive.default(DEFAULT_RATE_LIMIT.perDomainPerHour),
        globalPerHour: positive.default(DEFAULT_RATE_LIMIT.globalPerHour),
      })
      .strict(),
    /** Our receiving server's authserv-ids: only its Authentication-Results/Received-SPF are believed. */
    mail: z.object({ trustedAuthServIds: z.array(text).default([]) }).strict().default({ trustedAuthServIds: [] }),
    /** A receipt names at most this many documents; the rest are counted. */
    receipt: z.object({ documentsListed: positive.default(30) }).strict().default({ documentsListed: 30 }),
    /** Days after the federation deadline that indexes built from applicant input are kept in Redis. */
    retentionDays: positive.default(365),
    processed,
    digest: z.object({ hour: z.number().int().min(0).max(23, 'expected an hour 0–23') }).strict(),
    contacts: z
      .object({
        association: z.object({ organisation: text, name: text, phones: z.array(text).min(1) }).strict(),
        federation: z.object({ organisation: text, email }).strict(),
      })
      .strict(),
    texts,
  })
  .strict();

export type Campaign = z.infer<typeof campaignSchema>;
export type CampaignTexts = Campaign['texts'];

/** Placeholders each text may use; anything else is a typo the loader reports. */
const CALL_VARS = ['callName', 'associationName', 'associationDeadline', 'federationName', 'federationDeadline', 'federationEmail', 'contactName', 'contactPhones'];
const APP_VARS = [...CALL_VARS, 'id', 'companyName'];
const REPLY_VARS = [...APP_VARS, 'reSubject', 'arrivedAt'];
export const PLACEHOLDERS: Record<string, readonly string[]> = {
  greeting: APP_VARS,
  signature: APP_VARS,
  contact: APP_VARS,
  kinds: [],
  receipt: REPLY_VARS,
  lateNotice: REPLY_VARS,
  closedNotice: REPLY_VARS,
  followUp: APP_VARS,
  reminder: [...APP_VARS, 'days', 'deadline'],
  digest: [...CALL_VARS, 'date', 'now', 'since', 'applications', 'complete', 'incomplete', 'late', 'closed', 'changed'],
};

export class CampaignError extends Error {
  readonly code = 'CAMPAIGN_INVALID' as const;
  readonly messageZh: string;
  constructor(message: string, messageZh: string) {
    super(message);
    this.name = 'CampaignError';
    this.messageZh = messageZh;
  }
}

function fail(name: string, detail: string): never {
  throw new CampaignError(`campaign file ${name}: ${detail}`, `申报活动配置文件 ${name} 有误：${detail}`);
}

function formatPath(parts: readonly PropertyKey[]): string {
  return parts.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

function valueAt(data: unknown, parts: readonly PropertyKey[]): unknown {
  let v = data;
  for (const p of parts) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describe(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code === 'unrecognized_keys') return `${formatPath([...issue.path, issue.keys[0] ?? ''])}: unknown key`;
  const where = formatPath(issue.path) || '(top level)';
  const got = valueAt(data, issue.path);
  if (got === undefined) return `${where}: missing`;
  const what = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
  return `${where}: ${what} (got ${JSON.stringify(got)})`;
}

function checkPlaceholders(name: string, t: CampaignTexts): void {
  for (const [group, value] of Object.entries(t)) {
    const allowed = PLACEHOLDERS[group] ?? [];
    const entries: [string, string][] = typeof value === 'string' ? [[group, value]] : Object.entries(value).map(([k, v]) => [`${group}.${k}`, v]);
    for (const [key, s] of entries) {
      for (const m of s.matchAll(/\{([^{}]*)\}/g)) {
        if (!allowed.includes(m[1] ?? '')) fail(name, `texts.${key}: unknown placeholder {${m[1]}} (allowed: ${allowed.map((a) => `{${a}}`).join(' ') || 'none'})`);
      }
    }
  }
}

/** Pure: the campaign in `text` (YAML or JSON), or a CampaignError naming the first bad key. */
export function parseCampaign(text: string, name: string): Campaign {
  let data: unknown;
  try {
    data = name.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    fail(name, `not valid ${name.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = campaignSchema.safeParse(data);
  if (!result.success) {
    const [first] = result.error.issues;
    const more = result.error.issues.length - 1;
    fail(name, (first ? describe(first, data) : 'invalid') + (more > 0 ? ` (and ${more} more)` : ''));
  }
  const c = result.data;
  if (c.deadlines.association > c.deadlines.federation) fail(name, `deadlines.association: must not be after deadlines.federation (got "${c.deadlines.association}")`);
  if (c.releaseWindow.from > c.releaseWindow.to) fail(name, `releaseWindow.from: must not be after releaseWindow.to (got "${c.releaseWindow.from}")`);
  checkPlaceholders(name, c.texts);
  return c;
}

/** The folder holding package.json: works from src/ (ts-jest) and from dist/src/ alike. */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

export const DEFAULT_CAMPAIGN_FILE = path.join(packageRoot(), 'campaigns', '2023.yaml');

/** The campaign in `file`, or the shipped 2023 campaign when no file is given. */
export function loadCampaign(file?: string): Campaign {
  const target = file ?? DEFAULT_CAMPAIGN_FILE;
  let text: string;
  try {
    text = readFileSync(target, 'utf8');
  } catch (err) {
    fail(target, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseCampaign(text, target);
}
