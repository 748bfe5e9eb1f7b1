import { handleHistoryExport } from "@/lib/server/exports/export-route";

/** The changes matching the history search, as CSV or JSON Lines (?format=csv|jsonl&filters). */
export function GET(request: Request) {
  return handleHistoryExport(request, "changes");
}
