/**
 * Threading headers of our replies carry only well-formed message ids (issue 8 §4): the
 * `References:` an applicant's client sent are copied into our reply, so they are applicant
 * input. A well-formed id is `<left@right>` in printable ASCII without blanks, angle brackets
 * or a second `@`, at most 250 characters; at most the last 10 are kept. nodemailer puts
 * each id of `References:` on its own folded line, so every header line stays far within the
 * 998 octets RFC 5322 allows.
 */

export const MAX_MESSAGE_ID = 250;
export const MAX_REFERENCES = 10;

// `<`, printable ASCII except `<` `>` `@` (no blanks, no controls), `@`, the same, `>`.
const MESSAGE_ID = /^<[!-;=?A-~]+@[!-;=?A-~]+>$/;

/** Is `id` one well-formed message id, as we would write it? */
export function isMessageId(id: string): boolean {
  return id.length <= MAX_MESSAGE_ID && MESSAGE_ID.test(id);
}

/** `id` with angle brackets (mailparser and clients give both forms) if it is then well-formed, else null. */
export function messageIdOrNull(id: string | null | undefined): string | null {
  if (!id) return null;
  const t = id.trim();
  const bracketed = t.startsWith('<') ? t : `<${t}>`;
  return isMessageId(bracketed) ? bracketed : null;
}

/** The well-formed ids of `ids`, once each (the later copy counts), the last `max` of them, in their order. Linear. */
export function threadIds(ids: readonly string[], max = MAX_REFERENCES): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = ids.length - 1; i >= 0 && out.length < max; i--) {
    const ok = messageIdOrNull(ids[i]);
    if (ok === null || seen.has(ok)) continue;
    seen.add(ok);
    out.push(ok);
  }
  return out.reverse();
}
