import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";

/**
 * Headless Chromium for looking at reports (the screenshot in docs/ and the browser test). Uses
 * the system Chromium (QLOOP_CHROMIUM, default /usr/bin/chromium); nothing is downloaded. The
 * flags keep it off the network — on a closed network its background connections would only be
 * refused and logged — and a fresh profile per launch keeps runs independent.
 */
export const CHROMIUM_PATH = process.env.QLOOP_CHROMIUM ?? "/usr/bin/chromium";

export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedChromium> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium fonts-wqy-microhei) or set QLOOP_CHROMIUM`,
    );
  }
  // Loaded lazily: playwright-core is a dev dependency, needed only by docs:report and the tests.
  const { chromium } = await import("playwright-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "qloop-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1100, height: 900 },
    deviceScaleFactor: 1,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
