// The rows of a batch of generated changes, loaded table by table in one COPY each.
import { copyRows } from "../../lib/history/copy";
import { copyTable } from "../../lib/history/table-columns";
import type { GeneratorContext } from "./generator-context";

export type ChangeChunk = {
  /** change_requests rows, keyed by column in the table's order. */
  changes: Record<string, unknown>[];
  changeCis: unknown[][];
  cves: unknown[][];
  rounds: unknown[][];
  votes: unknown[][];
  checklist: unknown[][];
  comments: unknown[][];
  reviews: unknown[][];
};

export function emptyChunk(): ChangeChunk {
  return { changes: [], changeCis: [], cves: [], rounds: [], votes: [], checklist: [], comments: [], reviews: [] };
}

export async function flushChunk({ owner, count }: Pick<GeneratorContext, "owner" | "count">, chunk: ChangeChunk): Promise<void> {
  const columns = Object.keys(chunk.changes[0] ?? {});
  await copyRows(
    owner,
    "change_requests",
    columns,
    chunk.changes.map((c) => columns.map((column) => c[column])),
  );
  count("change_requests", chunk.changes.length);
  await copyTable(owner, "change_cis", chunk.changeCis);
  count("change_cis", chunk.changeCis.length);
  await copyRows(owner, "cve_references", ["id", "change_id", "cve_id", "cvss_base_score", "known_exploited"], chunk.cves);
  count("cve_references", chunk.cves.length);
  const tables = [
    ["approval_rounds", chunk.rounds],
    ["votes", chunk.votes],
    ["checklist_items", chunk.checklist],
    ["comments", chunk.comments],
    ["post_implementation_reviews", chunk.reviews],
  ] as const;
  for (const [table, rows] of tables) {
    await copyTable(owner, table, rows);
    count(table, rows.length);
  }
}
