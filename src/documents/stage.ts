/**
 * What one parse reads (cross-checks.md §6: the receipt must not wait for slow work).
 *   - 'all': everything (`shenbao check`, `parse`, `rebuild`, and the intake without a deep queue);
 *   - 'receipt': what can change the receipt's list of missing documents — every reader, and the
 *     OCR of a scan's top part that tells what the scan is (its certificate fields and excerpt
 *     come from that text too); not the seal, which only ever adds a warning;
 *   - 'deep': only the slow looks at the scans named (by sha256) that the receipt did not wait
 *     for: the seal (`scans`), and the whole first page of a scanned certificate (`pages`), whose
 *     fields lower on the page the top part missed. Other files are not read at all (archives
 *     are opened to reach their members). Its records carry only what the deep phase adds
 *     (src/intake/deep.ts merges it).
 * 'receipt' followed by 'deep' gives the records 'all' gives.
 */
export type ReadStage = 'all' | 'receipt' | 'deep';

export interface StageOptions {
  stage?: ReadStage;
  /** 'deep': sha256 of the scans whose seal to look for */
  scans?: readonly string[];
  /** 'deep': sha256 of the scanned certificates whose whole first page to read */
  pages?: readonly string[];
}
