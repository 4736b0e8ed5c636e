import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (scripts/tools.sh installs it when missing and running as root), driven by
 * playwright-core: the tests never download a browser. CHROMIUM_PATH points elsewhere.
 */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium at ${path}. Install Debian's package (apt-get install --no-install-recommends chromium; ` +
        '`npm test` does it when run as root) or set CHROMIUM_PATH.',
    );
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Norwegian browser UI (date fields show dd.mm.åååå); Chromium refuses to start its sandbox as
    // root (CI containers run as root).
    args: ['--lang=nb', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
  });
}
