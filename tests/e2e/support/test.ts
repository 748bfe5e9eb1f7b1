import { test as base, expect, type Browser, type BrowserContext } from "@playwright/test";

const MARK = "[csp-violation]";

// Runs before any page script, so a blocked inline script or style is recorded too.
const RECORD_VIOLATIONS = `document.addEventListener("securitypolicyviolation", (e) => {
  console.error(${JSON.stringify(MARK)} + JSON.stringify({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile + ":" + e.lineNumber, sample: e.sample }));
}, true);`;

/**
 * The project's Playwright `test`: every page of every context the test opens (the default one and
 * those from browser.newContext / newPage) records Content-Security-Policy violations, and the
 * test fails at its end if there was any.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ browser, context }, use) => {
      const violations: string[] = [];
      const opened: BrowserContext[] = [];
      const watch = async (watched: BrowserContext) => {
        await watched.addInitScript(RECORD_VIOLATIONS);
        watched.on("console", (message) => {
          if (message.text().startsWith(MARK)) violations.push(`${message.page()?.url() ?? "?"} ${message.text().slice(MARK.length)}`);
        });
      };
      await watch(context);
      const restore = watchNewContexts(browser, async (created) => {
        opened.push(created);
        await watch(created);
      });
      await use(violations); // returns when the test has ended, passed or not
      restore();
      // The contexts a test opened close with it: left open, every later test in the worker would share the browser with them.
      await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

// Specs open contexts of their own (one per signed-in person); browser.newPage goes through newContext too.
function watchNewContexts(browser: Browser, watch: (context: BrowserContext) => Promise<void>): () => void {
  const newContext = browser.newContext;
  browser.newContext = async (...args) => {
    const created = await newContext.apply(browser, args);
    await watch(created);
    return created;
  };
  return () => {
    browser.newContext = newContext;
  };
}

export { expect };
