/**
 * A real SMTP server for tests and demos that keeps every message it accepts:
 * <dir>/<n>-<epoch ms>.eml with the envelope in <n>-<epoch ms>.json next to it.
 *
 * It can refuse recipients, so retries and permanent failures are testable end to end:
 *   reject-…@…      550 at RCPT TO, always
 *   tempfail-…@…    451 at RCPT TO, always
 *   tempfailN-…@…   451 for the first N attempts to that exact address, then accepted
 * and, for anything else, a control file (JSON, re-read on every command) with rules
 *   { "rules": [ { "match": "<regex on the address>", "code": 452, "times": 1, "stage": "rcpt" | "data" } ] }
 *
 * Self-contained (node builtins + smtp-server) so scripts/stack.sh can compile it alone.
 * Usage: node dist/scripts/smtp-sink.js --port 2525 --dir .stack/outbox [--control file] [--host 127.0.0.1]
 */
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

interface Rule {
  match: string;
  code: number;
  message?: string;
  times?: number;
  stage?: 'rcpt' | 'data';
}

interface Options {
  host: string;
  port: number;
  dir: string;
  control: string | null;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { host: '127.0.0.1', port: 2525, dir: 'outbox', control: null };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value after ${argv[i]}`);
    switch (argv[i]) {
      case '--host': opts.host = value; break;
      case '--port': opts.port = Number(value); break;
      case '--dir': opts.dir = value; break;
      case '--control': opts.control = value; break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return opts;
}

/** Refusal counts per rule and address, so "fail N times then accept" works across connections. */
const attempts = new Map<string, number>();

function countAttempt(ruleKey: string): number {
  const n = (attempts.get(ruleKey) ?? 0) + 1;
  attempts.set(ruleKey, n);
  return n;
}

function readControlRules(file: string | null): Rule[] {
  if (!file || !fs.existsSync(file)) return [];
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { rules?: Rule[] };
    return Array.isArray(parsed.rules) ? parsed.rules : [];
  } catch (err) {
    process.stderr.write(`smtp-sink: ignoring unreadable control file ${file}: ${String(err)}\n`);
    return [];
  }
}

function builtInRule(address: string): Rule | null {
  const local = address.split('@')[0]?.toLowerCase() ?? '';
  if (local.startsWith('reject-')) return { match: '', code: 550, message: '5.1.1 Mailbox unavailable (sink: reject-*)' };
  const temp = /^tempfail(\d*)-/.exec(local);
  if (temp) {
    const times = temp[1] ? Number(temp[1]) : undefined;
    return { match: '', code: 451, message: '4.3.0 Try again later (sink: tempfail-*)', times };
  }
  return null;
}

class SmtpReply extends Error {
  constructor(readonly responseCode: number, message: string) {
    super(message);
  }
}

/** Returns the refusal due for this address at this stage, counting the attempt, or null. */
function refusalFor(address: string, stage: 'rcpt' | 'data', control: string | null): SmtpReply | null {
  const candidates: [string, Rule][] = [];
  const builtIn = builtInRule(address);
  if (builtIn && stage === 'rcpt') candidates.push([`builtin|${address.toLowerCase()}`, builtIn]);
  readControlRules(control).forEach((rule, i) => {
    if ((rule.stage ?? 'rcpt') === stage && new RegExp(rule.match, 'i').test(address)) {
      candidates.push([`control${i}|${address.toLowerCase()}`, rule]);
    }
  });
  for (const [key, rule] of candidates) {
    if (rule.times === undefined || countAttempt(key) <= rule.times) {
      return new SmtpReply(rule.code, rule.message ?? `${rule.code} refused by sink rule`);
    }
  }
  return null;
}

function nextSequence(dir: string): number {
  let max = 0;
  for (const name of fs.readdirSync(dir)) {
    const n = Number(/^(\d+)-/.exec(name)?.[1] ?? 0);
    if (n > max) max = n;
  }
  return max + 1;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(opts.dir, { recursive: true });
  let seq = nextSequence(opts.dir);

  const server = new SMTPServer({
    name: 'sink.shenbao.test',
    banner: 'shenbao test sink',
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    size: 50 * 1024 * 1024,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'sink' });
    },
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback) {
      callback(refusalFor(address.address, 'rcpt', opts.control));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const rcptTo = session.envelope.rcptTo.map((a) => a.address);
        for (const rcpt of rcptTo) {
          const refusal = refusalFor(rcpt, 'data', opts.control);
          if (refusal) return callback(refusal);
        }
        const base = `${String(seq++).padStart(6, '0')}-${Date.now()}`;
        const envelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo,
          remoteAddress: session.remoteAddress,
          receivedAt: new Date().toISOString(),
          size: chunks.reduce((n, c) => n + c.length, 0),
        };
        // Write the envelope first and the message by rename, so a reader that sees an .eml
        // always finds it complete and its .json beside it.
        fs.writeFileSync(path.join(opts.dir, `${base}.json`), JSON.stringify(envelope, null, 2));
        const tmp = path.join(opts.dir, `.${base}.eml.tmp`);
        fs.writeFileSync(tmp, Buffer.concat(chunks));
        fs.renameSync(tmp, path.join(opts.dir, `${base}.eml`));
        process.stderr.write(`smtp-sink: ${base} from=${envelope.mailFrom} to=${rcptTo.join(',')}\n`);
        callback(null, `Queued as ${base}`);
      });
    },
  });
  server.on('error', (err) => process.stderr.write(`smtp-sink: ${String(err)}\n`));
  server.listen(opts.port, opts.host, () => {
    process.stderr.write(`smtp-sink: listening on ${opts.host}:${opts.port}, writing to ${opts.dir}\n`);
  });
  const stop = (): void => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
