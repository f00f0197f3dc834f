/**
 * Where the templates and the stylesheet are: they are not TypeScript, so tsc leaves them in
 * src/http; from dist/src/http (the built CLI) that is the package's own src/http.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../config/campaign';

export function httpSourceDir(): string {
  const here = __dirname;
  if (existsSync(path.join(here, 'views'))) return here;
  return path.join(packageRoot(here), 'src', 'http');
}
