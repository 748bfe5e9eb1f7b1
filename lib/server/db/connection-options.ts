// Sent by every connection of the application's request pool when it opens (libpq `options`).
// - No parallel workers: under concurrent requests on a small server they add no throughput, and
//   starting them cost more than the query. The audit events search at 100,000 changes ran in
//   43 ms with two workers, 5.4 ms without (docs/performance.md).
// - random_page_cost 1.1 (PostgreSQL's default, 4, prices a disk seek): the working set is in
//   memory or on SSD, where an index probe costs little more than reading the next page. At the
//   default the planner read whole tables to join a few thousand rows: the waivers report seq-
//   scanned every change for its 2,700 waivers (a page 43-72 ms, 13-14 ms with this at 100,000
//   changes), and the closed-without-review report hashed every review instead of walking two
//   indexes (docs/performance.md, 2026-12-02 afternoon).
// The bench EXPLAINs with these too.
export const APP_CONNECTION_OPTIONS = "-c max_parallel_workers_per_gather=0 -c random_page_cost=1.1";
