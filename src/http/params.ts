/** What a URL may name: an application number and a sha256, checked before anything is looked up. Pure. */

/** `SB2023-0042`: letters, digits and one dash-number part; nothing a path could be made of. */
export function validId(id: string): boolean {
  return /^[A-Za-z0-9]{1,20}-\d{1,8}$/.test(id);
}

export function validSha256(s: string): boolean {
  return /^[0-9a-f]{64}$/.test(s);
}
