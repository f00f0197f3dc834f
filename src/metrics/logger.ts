/**
 * The pino logger of `shenbao worker` and `shenbao serve`: JSON lines on stderr (stdout is
 * for programs), secrets redacted wherever a library might put them. What is logged on
 * purpose is what staff need to trace an email: Message-ID, mailbox/uid, application number,
 * idempotency key, the one recipient address of an outgoing email. Never bodies, subjects,
 * attachment contents, passwords, session keys or cookies.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/env';

/**
 * Paths censored in every line: settings objects (a config logged by mistake), library
 * errors that carry their request (nodemailer/imapflow auth, fastify headers).
 */
export const REDACT_PATHS: readonly string[] = [
  'password', 'pass', 'sessionKey', 'secret', 'token', 'authorization', 'cookie',
  '*.password', '*.pass', '*.sessionKey', '*.secret', '*.token', '*.authorization', '*.cookie',
  '*.auth.pass', '*.auth.password', 'config.imap', 'config.smtp',
  'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'err.config',
];

export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination(2)): Logger {
  return pino({ level, redact: { paths: [...REDACT_PATHS], censor: '[redacted]' } }, destination);
}
