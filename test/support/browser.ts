// Real Chromium for the console's browser tests: Debian's chromium driven by
// playwright-core (`npx playwright install` cannot work here; CI installs the
// package, see .ci/run). Tests skip, saying why, only when it is missing.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

/** Why the browser tests cannot run here, or false when they can. */
export const browserUnavailable: string | false = existsSync(chromiumPath)
  ? false
  : `${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does) to run the console's browser tests`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // Flags that work in containers and CI without a display or a GPU (../shared/DESIGN.md).
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
