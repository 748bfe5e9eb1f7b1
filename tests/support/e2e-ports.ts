// The two `next start` instances of the browser tests, and the crash test's own. E2E_PORT moves them all, so two test runs
// (two work trees) can go side by side without fighting over a port.
const base = Number(process.env.E2E_PORT || 3100);
export const E2E_PORTS = [base, base + 1] as const;
/** The crash-recovery test's own server, which it kills and restarts. */
export const CRASH_PORT = base + 2;
/** The browser tests' identity provider (the demo's, scripts/ops/demo-idp.ts), which both servers sign in through. */
export const E2E_IDP_PORT = base + 100;
