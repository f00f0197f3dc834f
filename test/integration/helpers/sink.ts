/**
 * Reading what the SMTP sink (scripts/smtp-sink.ts) kept: <n>-<ms>.eml with the envelope in
 * <n>-<ms>.json. The sink is shared by all tests, so callers filter (by recipient, by the
 * loop header carrying a per-test id) rather than count the folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { stackEnv, waitFor } from './stack';

export interface SinkEnvelope {
  mailFrom: string;
  rcptTo: string[];
  remoteAddress: string;
  receivedAt: string;
  size: number;
}

export interface SinkMessage {
  file: string;
  envelope: SinkEnvelope;
  raw: Buffer;
  mail: ParsedMail;
  /** Header value as text (first occurrence), lower-case name; '' when absent. */
  header(name: string): string;
}

export type SinkFilter = (m: SinkMessage) => boolean;

const cache = new Map<string, SinkMessage>();

async function load(dir: string, name: string): Promise<SinkMessage> {
  const file = path.join(dir, name);
  const hit = cache.get(file);
  if (hit) return hit;
  const raw = fs.readFileSync(file);
  const envelope = JSON.parse(fs.readFileSync(file.replace(/\.eml$/, '.json'), 'utf8')) as SinkEnvelope;
  const mail = await simpleParser(raw);
  const lines = new Map(mail.headerLines.map((l) => [l.key, l.line.slice(l.line.indexOf(':') + 1).trim()]));
  const message: SinkMessage = {
    file,
    envelope,
    raw,
    mail,
    header: (n) => (lines.get(n.toLowerCase()) ?? '').replace(/\r?\n\s+/g, ' '),
  };
  cache.set(file, message);
  return message;
}

/** Every kept message (oldest first), optionally filtered. */
export async function readSink(filter: SinkFilter = () => true, dir = stackEnv().sinkDir): Promise<SinkMessage[]> {
  const names = fs.readdirSync(dir).filter((n) => /^\d+-\d+\.eml$/.test(n)).sort();
  const all = await Promise.all(names.map((n) => load(dir, n)));
  return all.filter(filter);
}

/** Waits until at least `count` kept messages pass `filter`; returns them all. */
export async function waitForMessages(count: number, filter: SinkFilter, timeoutMs = 15_000): Promise<SinkMessage[]> {
  return waitFor(`${count} message(s) in the SMTP sink`, async () => {
    const found = await readSink(filter);
    return found.length >= count ? found : null;
  }, timeoutMs, 100);
}

export const to = (address: string): SinkFilter => (m) => m.envelope.rcptTo.some((r) => r.toLowerCase() === address.toLowerCase());
export const withHeader = (name: string, value: string): SinkFilter => (m) => m.header(name) === value;
