import { existsSync } from "node:fs";

/** The Chromium the browser tests drive: CHROMIUM_PATH, or Debian's. Never a silent skip. */
export function chromiumPath(): string {
  const candidate = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(candidate)) {
    throw new Error(
      `No Chromium at ${candidate}. The browser tests need one: on Debian or Ubuntu run ` +
        "`sudo apt-get install -y chromium` (it installs /usr/bin/chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  return candidate;
}
