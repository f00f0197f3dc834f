/**
 * IMAP connections (imapflow 2.x). One ImapFlow is one connection: it never reconnects and
 * cannot be reused after 'close', so callers create a new one each time (with backoff).
 * Also the "mark processed" step: a keyword, or a move to a folder when the campaign says
 * so and the server can do it safely (MOVE + UIDPLUS), else a flag.
 */
import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';

export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
}

export const DONE_KEYWORD = '$Shenbao-Done';
export const FAILED_KEYWORD = '$Shenbao-Failed';

export function createImapClient(s: ImapSettings, logger: Logger | false, opts: { maxIdleTimeMs?: number; autoIdleDelayMs?: number } = {}): ImapFlow {
  return new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: { user: s.user, pass: s.password },
    // 163/126 refuse SELECT without an ID; send one that says who we are.
    clientInfo: { name: 'shenbao', version: '0.1.0', vendor: 'shenbao', 'support-email': 'postmaster@localhost' },
    // IDLE can die silently: restart it regularly (also the poll interval without IDLE).
    maxIdleTime: opts.maxIdleTimeMs ?? 5 * 60_000,
    ...(opts.autoIdleDelayMs ? { autoIdleDelay: opts.autoIdleDelayMs } : {}),
    logger: logger === false ? false : logger.child({ component: 'imapflow' }, { level: logger.level === 'debug' || logger.level === 'trace' ? logger.level : 'warn' }),
    emitLogs: false,
  });
}

/** Flag with a keyword, or move to a folder (falling back to `keyword` where moving is unsafe). */
export type ProcessedAction = { action: 'flag'; keyword: string } | { action: 'move'; folder: string; keyword: string };

/** The campaign's `processed` setting, for a message done or failed. */
export type ProcessedSetting = { action: 'flag'; keyword: string; failedKeyword: string } | { action: 'move'; folder: string; failedFolder: string };

export function actionFor(setting: ProcessedSetting, outcome: 'done' | 'failed'): ProcessedAction {
  if (setting.action === 'flag') return { action: 'flag', keyword: outcome === 'done' ? setting.keyword : setting.failedKeyword };
  return outcome === 'done'
    ? { action: 'move', folder: setting.folder, keyword: DONE_KEYWORD }
    : { action: 'move', folder: setting.failedFolder, keyword: FAILED_KEYWORD };
}

/** Keywords that say a message was handled already (kept by the server even when Redis is lost). */
export function handledKeywords(setting: ProcessedSetting): string[] {
  return setting.action === 'flag' ? [setting.keyword, setting.failedKeyword] : [DONE_KEYWORD, FAILED_KEYWORD];
}

/**
 * Marks one message (by UID, in the selected generation only) as processed or failed.
 * Returns what was actually done. A message that is gone (expunged, or the mailbox was
 * recreated) is left alone.
 */
export async function markMessage(
  client: ImapFlow,
  mailbox: string,
  uidValidity: string,
  uid: number,
  action: ProcessedAction,
): Promise<MarkResult> {
  const lock = await client.getMailboxLock(mailbox);
  try {
    return await markSelected(client, uidValidity, uid, action);
  } finally {
    lock.release();
  }
}

export type MarkResult = 'flagged' | 'moved' | 'fallback-flag' | 'gone';

/** As markMessage, for a caller that already holds the mailbox lock. */
export async function markSelected(client: ImapFlow, uidValidity: string, uid: number, action: ProcessedAction): Promise<MarkResult> {
  const box = client.mailbox;
  if (!box || String(box.uidValidity) !== uidValidity) return 'gone';
  // With MOVE the server moves atomically; without it imapflow would emulate with COPY +
  // \Deleted + EXPUNGE (a plain EXPUNGE without UIDPLUS): flag instead.
  if (action.action === 'move' && client.capabilities.has('MOVE')) {
    await ensureFolder(client, action.folder);
    const res = await client.messageMove(String(uid), action.folder, { uid: true });
    if (res !== false) return 'moved';
  }
  const keyword = action.keyword;
  const flag = keywordAllowed(client, keyword) ? keyword : /fail/i.test(keyword) ? '\\Flagged' : '\\Seen';
  await client.messageFlagsAdd(String(uid), [flag], { uid: true });
  return action.action === 'move' || flag !== keyword ? 'fallback-flag' : 'flagged';
}

/** A custom keyword is kept only when the mailbox's PERMANENTFLAGS has `\*`. */
export function keywordAllowed(client: ImapFlow, keyword: string): boolean {
  const perm = client.mailbox ? client.mailbox.permanentFlags : undefined;
  return !!perm && (perm.has('\\*') || perm.has(keyword));
}

async function ensureFolder(client: ImapFlow, folder: string): Promise<void> {
  const st = await client.status(folder, { messages: true }).catch(() => false as const);
  if (st === false) await client.mailboxCreate(folder).catch(() => undefined);
}

/**
 * A connection opened when first needed and replaced when it closes: for the intake jobs,
 * which mark messages from any process (the watcher's connection lives in another process
 * when this one does not hold the watcher lease).
 */
export class ImapSession {
  private client: ImapFlow | null = null;
  private connecting: Promise<ImapFlow> | null = null;

  constructor(
    private readonly settings: ImapSettings,
    private readonly logger: Logger | false,
  ) {}

  async use<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    return fn(await this.connected());
  }

  private async connected(): Promise<ImapFlow> {
    if (this.client && this.client.usable) return this.client;
    if (!this.connecting) {
      const client = createImapClient(this.settings, this.logger);
      client.on('error', () => undefined); // 'close' follows; the next use reconnects
      client.on('close', () => {
        if (this.client === client) this.client = null;
      });
      this.connecting = client.connect().then(
        () => {
          this.client = client;
          this.connecting = null;
          return client;
        },
        (err: unknown) => {
          this.connecting = null;
          throw err;
        },
      );
    }
    return this.connecting;
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c && c.usable) await c.logout().catch(() => c.close());
  }
}
