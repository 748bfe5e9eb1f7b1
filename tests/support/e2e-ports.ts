// The two `next start` instances of the browser tests. E2E_PORT moves both, so two test runs
// (two work trees) can go side by side without fighting over a port.
const base = Number(process.env.E2E_PORT || 3100);
export const E2E_PORTS = [base, base + 1] as const;
