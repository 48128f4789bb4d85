/**
 * Browser tests drive Debian's Chromium (scripts/dev-stack.sh install puts it at /usr/bin/chromium) with
 * playwright-core, which brings no browser of its own. The flags are what this kind of machine needs: no sandbox
 * as root, no GPU, and none of Chromium's background connections, which a closed network refuses.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { integrationRequired } from './stack.ts';

const CHROMIUM = process.env.AIOPS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when Chromium is installed; otherwise throws under REQUIRE_INTEGRATION=1, else warns loudly. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `${CHROMIUM} missing — install it with scripts/dev-stack.sh install`;
  if (integrationRequired) throw new Error(`${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING BROWSER TESTS: ${msg}\n`);
  return false;
}

/** A browser with a fresh, empty profile (its own --user-data-dir), closed by the caller. */
export function launchChromium(viewport = { width: 1280, height: 860 }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'aiops-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
}
