/** Whether `serve` may listen where it was told to. Pure. */

/** 127.0.0.0/8, ::1 and `localhost`: only this machine can connect. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Why the dashboard must not listen on `host` (no password beyond loopback), else null. */
export function listenRefusal(host: string, hasPassword: boolean): string | null {
  if (hasPassword || isLoopback(host)) return null;
  return `HTTP_HOST ${host} is reachable from other machines: set DASHBOARD_USER and DASHBOARD_PASSWORD, or listen on 127.0.0.1`;
}
