/**
 * Debian's Chromium driven by playwright-core (no browser download: playwright's own builds
 * cannot be fetched here). A fresh profile per launch; the flags keep Chromium off the
 * network it cannot reach anyway, so it does not spend its start-up retrying Google hosts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Browser {
  context: BrowserContext;
  profile: string;
  close(): Promise<void>;
}

export async function launchChromium(downloads: string): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/ensure-deps.sh installs Debian's chromium`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    acceptDownloads: true,
    downloadsPath: downloads,
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    profile,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where a test keeps what it saw (screenshots, downloads): TEST_OUTPUT_DIR from scripts/test.sh, else a temp folder. */
export function outputDir(label: string): string {
  const base = process.env.TEST_OUTPUT_DIR ?? path.join(os.tmpdir(), 'shenbao-test-output');
  const dir = path.join(base, label);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
