/**
 * A header block larger than mailparser accepts (a 2 MB `To:` list, a runaway X- header) would make
 * the whole message unreadable. Such fields carry nothing we need, so they are dropped before
 * parsing and the rest of the message is read as usual.
 */
import { headEnd, headerFields } from './raw-mime';

/** Header blocks up to this size are passed on untouched. */
export const MAX_HEADER_BLOCK = 256 * 1024;
/** In a larger block, ordinary fields (From, Subject, Content-Type…) up to this size are always kept… */
const SMALL_FIELD = 8 * 1024;
/** …and larger ones only while the block stays under this budget. */
const BUDGET = 1024 * 1024;

export function dropOversizedHeaders(raw: Buffer): Buffer {
  const { headLength, bodyStart } = headEnd(raw);
  if (headLength <= MAX_HEADER_BLOCK) return raw;
  const fields = headerFields(raw.subarray(0, headLength));
  let used = fields.filter((f) => f.length <= SMALL_FIELD).reduce((n, f) => n + f.length, 0);
  const kept = fields.filter((f) => {
    if (f.length <= SMALL_FIELD) return true;
    if (used + f.length > BUDGET) return false;
    used += f.length;
    return true;
  });
  return Buffer.concat([...kept, raw.subarray(headLength, bodyStart), raw.subarray(bodyStart)]);
}
