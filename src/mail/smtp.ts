/**
 * Outgoing mail over SMTP (nodemailer, pooled). The adapter only sends: what to send, when,
 * and how often is decided in src/notify/outbox.ts. Every message leaves with the headers
 * that keep auto-responders from answering us (RFC 3834) and our own loop marker, and with
 * the Message-ID the caller decided before sending, so a retry sends the same Message-ID.
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { MailAddress, SmtpConfig } from '../config/env';
import { messageIdOrNull, threadIds } from '../domain/message-id';

/** The loop marker on everything shenbao sends; the intake loop guard looks for it. */
export const LOOP_HEADER = 'X-Shenbao-Loop';

export interface OutgoingEmail {
  /** `<…@domain>`, decided before sending (see messageIdFor). */
  messageId: string;
  from: MailAddress;
  to: string;
  subject: string;
  text: string;
  html?: string;
  inReplyTo?: string;
  references?: readonly string[];
  /** RFC 3834: a reply to a message, or a message of our own (reminder, digest). */
  autoSubmitted: 'auto-replied' | 'auto-generated';
  /** Campaign id in the loop header. */
  loopId: string;
}

export interface SendResult {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's last reply, e.g. `250 Queued as …`. */
  response: string;
}

/** A send that did not happen; `permanent` says whether trying again can help. */
export class SmtpSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'SmtpSendError';
  }
}

export interface Mailer {
  send(msg: OutgoingEmail): Promise<SendResult>;
  verify(): Promise<void>;
  close(): void;
}

/** A stable Message-ID from an idempotency key: the same key always gives the same id. */
export function messageIdFor(key: string, fromAddress: string): string {
  const domain = fromAddress.split('@')[1] ?? 'shenbao.invalid';
  return `<sb-${createHash('sha256').update(key).digest('hex').slice(0, 24)}@${domain}>`;
}

/** The headers every outgoing email carries. */
export function autoHeaders(msg: Pick<OutgoingEmail, 'autoSubmitted' | 'loopId'>): Record<string, string> {
  return {
    'Auto-Submitted': msg.autoSubmitted,
    'X-Auto-Response-Suppress': 'All',
    Precedence: msg.autoSubmitted === 'auto-replied' ? 'auto_reply' : 'bulk',
    [LOOP_HEADER]: msg.loopId,
  };
}

// Codes that mean the server or network was not reachable or hung: worth another try.
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EPROTOCOL', 'ESTREAM', 'ECONNRESET', 'ECONNREFUSED']);

interface NodemailerError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * 5xx is permanent; 4xx and connection trouble are transient. An authentication failure is
 * a setting to fix, not a property of the email, so it is retried (and fails the job in the
 * end) rather than marking the email undeliverable.
 */
export function classifySmtpError(err: unknown): SmtpSendError {
  if (err instanceof SmtpSendError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as NodemailerError;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const code = typeof e.code === 'string' ? e.code : null;
  const text = (e.response ?? e.message ?? 'send failed').replace(/\s+/g, ' ').trim();
  let permanent: boolean;
  if (responseCode !== null && responseCode >= 500) permanent = code !== 'EAUTH';
  else if (responseCode !== null && responseCode >= 400) permanent = false;
  else if (code !== null && TRANSIENT_CODES.has(code)) permanent = false;
  else permanent = code === 'EENVELOPE' || code === 'EMESSAGE';
  return new SmtpSendError(text, permanent, responseCode, code);
}

export interface MailerOptions {
  maxConnections?: number;
  /** Per-connection timeouts (ms); nodemailer's defaults (up to 10 min) would outlive a claim. */
  timeoutMs?: number;
}

export function createMailer(smtp: SmtpConfig, options: MailerOptions = {}): Mailer {
  const timeout = options.timeoutMs ?? 60_000;
  const transportOptions: SMTPPool.Options = {
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.auth ? { user: smtp.auth.user, pass: smtp.auth.password } : undefined,
    maxConnections: options.maxConnections ?? 2,
    maxMessages: 100,
    connectionTimeout: Math.min(timeout, 30_000),
    greetingTimeout: Math.min(timeout, 30_000),
    socketTimeout: timeout,
  };
  const transport = nodemailer.createTransport(transportOptions);

  return {
    async send(msg: OutgoingEmail): Promise<SendResult> {
      let info: SMTPPool.SentMessageInfo;
      try {
        info = await transport.sendMail({
          messageId: msg.messageId,
          from: msg.from.name ? { name: msg.from.name, address: msg.from.address } : msg.from.address,
          to: msg.to,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          // Well-formed ids only, the last 10: nodemailer folds one id per line (≤ 998 octets each).
          inReplyTo: messageIdOrNull(msg.inReplyTo) ?? undefined,
          references: msg.references ? threadIds(msg.references) : undefined,
          headers: autoHeaders(msg),
        });
      } catch (err) {
        throw classifySmtpError(err);
      }
      const accepted = info.accepted.map(addressText);
      const rejected = info.rejected.map(addressText);
      // With several recipients nodemailer resolves when any was accepted: check ours.
      if (rejected.length > 0 || accepted.length === 0) {
        const first = info.rejectedErrors?.[0];
        const failure = classifySmtpError(first ?? { message: `recipient rejected: ${rejected.join(', ')}`, code: 'EENVELOPE' });
        throw failure;
      }
      return { messageId: info.messageId || msg.messageId, accepted, rejected, response: info.response };
    },
    async verify(): Promise<void> {
      try {
        await transport.verify();
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    close(): void {
      transport.close();
    },
  };
}

function addressText(a: string | { address: string }): string {
  return typeof a === 'string' ? a : a.address;
}
