// Sent by every connection of the application's request pool when it opens (libpq `options`).
// No parallel workers: under concurrent requests on a small server they add no throughput, and
// starting them cost more than the query. The audit events search at 100,000 changes ran in
// 43 ms with two workers, 5.4 ms without (docs/performance.md). The bench EXPLAINs with it too.
export const APP_CONNECTION_OPTIONS = "-c max_parallel_workers_per_gather=0";
