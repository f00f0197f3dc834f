/** A small cookie-keeping HTTP client, sending forms as a browser does. */
import http from 'node:http';

export interface Res {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  raw: Buffer;
}

export interface Client {
  get(url: string): Promise<Res>;
  post(url: string, form: Record<string, string>): Promise<Res>;
  /** The `_csrf` value of the first form on a page. */
  csrfOf(html: string): string;
  login(user?: string, password?: string): Promise<Res>;
  /** The Cookie header this client sends. */
  cookieHeader(): string;
}

/** Sends `path` as given (no normalisation of `..`), so traversal attempts reach the server verbatim. */
export function request(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Res> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function client(base: string): Client {
  const jar = new Map<string, string>();
  const keep = (res: Res) => {
    for (const h of res.headers['set-cookie'] ?? []) {
      const [kv = ''] = h.split(';');
      const eq = kv.indexOf('=');
      jar.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    return res;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const c: Client = {
    async get(url) {
      return keep(await request(base, 'GET', url, { cookie: cookie() }));
    },
    async post(url, form) {
      const body = new URLSearchParams(form).toString();
      return keep(await request(base, 'POST', url, { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) }, body));
    },
    csrfOf(html) {
      const m = /name="_csrf" value="([^"]+)"/.exec(html);
      if (!m?.[1]) throw new Error('no _csrf on the page');
      return m[1];
    },
    cookieHeader: cookie,
    async login(user = 'staff', password = 'correct horse') {
      const page = await c.get('/login');
      return c.post('/login', { _csrf: c.csrfOf(page.body), user, password, next: '/' });
    },
  };
  return c;
}
