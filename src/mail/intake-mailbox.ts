/**
 * What the intake does to the mailbox, over the worker's IMAP session (the watcher's own
 * connection may live in another process): mark a message processed or failed (keyword or
 * move, per campaign), and download a message again when its raw file is not in this
 * machine's store (another machine's watcher kept it, and STORAGE_DIR is not shared).
 */
import type { MessageRef } from '../store/intake-log';
import type { RawMailStore } from '../store/raw-mail';
import { actionFor, markMessage, type ImapSession, type MarkResult, type ProcessedSetting } from './imap';

/** One message as listed for `shenbao rebuild`. */
export interface ListedMessage {
  uid: number;
  flags: string[];
  internalDate: string | null;
}

export class IntakeMailbox {
  constructor(
    private readonly session: ImapSession,
    private readonly processed: ProcessedSetting,
    private readonly raw: RawMailStore,
  ) {}

  mark(ref: MessageRef, outcome: 'done' | 'failed'): Promise<MarkResult> {
    return this.session.use((c) => markMessage(c, ref.mailbox, ref.uidValidity, ref.uid, actionFor(this.processed, outcome)));
  }

  /** Every message of `mailbox` by UID (and the generation they belong to): what `shenbao rebuild` reads. */
  list(mailbox: string): Promise<{ uidValidity: string; messages: ListedMessage[] }> {
    return this.session.use(async (c) => {
      const lock = await c.getMailboxLock(mailbox);
      try {
        const uidValidity = String(c.mailbox ? c.mailbox.uidValidity : '');
        if (!c.mailbox || c.mailbox.exists === 0) return { uidValidity, messages: [] };
        const all = await c.fetchAll('1:*', { uid: true, flags: true, internalDate: true }, { uid: true });
        const messages = all.map((m) => ({
          uid: m.uid,
          flags: [...(m.flags ?? [])],
          internalDate: m.internalDate ? new Date(m.internalDate).toISOString() : null,
        }));
        return { uidValidity, messages: messages.sort((a, b) => a.uid - b.uid) };
      } finally {
        lock.release();
      }
    });
  }

  /** Downloads one message into the raw store; its sha256, or null when it is gone. */
  download(ref: MessageRef): Promise<string | null> {
    return this.session.use(async (c) => {
      const lock = await c.getMailboxLock(ref.mailbox);
      try {
        if (!c.mailbox || String(c.mailbox.uidValidity) !== ref.uidValidity) return null;
        const dl = await c.download(String(ref.uid), undefined, { uid: true });
        return dl.content ? (await this.raw.putStream(dl.content)).sha256 : null;
      } finally {
        lock.release();
      }
    });
  }

  /**
   * The message's bytes, downloaded into the raw store; null when it is gone from the mailbox
   * (or the mailbox was recreated) or the bytes there are not the ones the job names.
   */
  async refetch(msg: MessageRef & { sha256: string }): Promise<Buffer | null> {
    const sha256 = await this.download(msg);
    return sha256 === msg.sha256 ? this.raw.get(sha256) : null;
  }
}
