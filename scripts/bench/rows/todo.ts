// Rows for features another helper is building (the auditors' history search and CSV/JSONL
// exports of searches). Replace each with a real module when the feature lands on main.
import type { BenchModule } from "../types";

export const todoRows: BenchModule = {
  title: "todo",
  async run() {
    return [
      // TODO(issue 6, after the auditors' search lands): GET /audit?from&to&type&state&ci&actor&action&tag&q with two filters + q, p95 at 100k vs 1k changes (target <= 1.5).
      { name: "History search, two filters + free text, p95 100k vs 1k", figure: "not built yet", baseline: "-", ratio: null, target: "<= 1.5", note: "page /audit with search params is not on this branch" },
      // TODO(issue 6, after the exports land): GET /api/exports/changes?format=csv and /api/exports/events?format=csv vs COPY (same query) TO STDOUT.
      { name: "CSV export of a search vs COPY of the same rows", figure: "not built yet", baseline: "-", ratio: null, target: ">= 0.5", note: "GET /api/exports/* is not on this branch" },
    ];
  },
};
