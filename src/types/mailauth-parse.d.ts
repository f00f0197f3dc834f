/** mailauth 4.13.3 has no public parser of existing Authentication-Results; its internal one (no types). */
declare module 'mailauth/lib/parse-dkim-headers' {
  function parseDkimHeaders(line: string): { parsed: Record<string, unknown> };
  export = parseDkimHeaders;
}
