// What the bench rows find in the generated data (data/generate-bench-data.ts): everyone's
// password, the CAB member whose queue the bench loads, the auditor who exports, and the change
// with a long history.
export const BENCH_PASSWORD = "bench-password-2026";
export const BENCH_CAB_EMAIL = "bench.cab@bench.local";
export const BENCH_AUDITOR_EMAIL = "bench.auditor@bench.local";
export const BENCH_MANAGER_EMAIL = "bench.manager@bench.local";
export const LONG_HISTORY_TITLE = "Bench: change with a 200-event history";
export const LONG_HISTORY_EVENTS = 200;
