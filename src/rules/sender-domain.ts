/**
 * Whether a sender may be a colleague of the addresses an application knows: the same mail
 * domain, when that domain is a company's own. A free-mail domain (qq.com, 163.com, gmail.com …)
 * says nothing about who sent: two strangers share it as easily as two colleagues.
 */

/** Public mailbox providers common among applicants (Chinese first), lower case. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'qq.com', 'vip.qq.com', 'foxmail.com',
  '163.com', 'vip.163.com', '126.com', 'vip.126.com', 'yeah.net', '188.com', 'netease.com',
  'sina.com', 'sina.cn', 'vip.sina.com', 'sohu.com', 'vip.sohu.com', 'tom.com', '21cn.com', '263.net',
  '139.com', '189.cn', 'wo.cn', 'aliyun.com', '88.com', '2980.com',
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'live.cn', 'msn.com',
  'yahoo.com', 'yahoo.com.cn', 'yahoo.cn', 'icloud.com', 'me.com', 'mac.com', 'aol.com',
  'proton.me', 'protonmail.com', 'gmx.com', 'gmx.net', 'mail.com', 'yandex.com', 'yandex.ru', 'zoho.com',
]);

/** The domain of an address, lower case; null when there is none. */
export function mailDomain(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return null;
  return address.slice(at + 1).trim().toLowerCase() || null;
}

export function isFreeMail(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain.toLowerCase());
}

/** `from` shares a company's own mail domain with one of the `known` addresses. */
export function sameOrganisationDomain(from: string, known: readonly string[]): boolean {
  const domain = mailDomain(from);
  if (domain === null || isFreeMail(domain)) return false;
  return known.some((k) => mailDomain(k) === domain);
}
