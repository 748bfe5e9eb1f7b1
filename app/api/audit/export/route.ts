import { handleHistoryExport } from "@/lib/server/exports/export-route";

/** The whole audit log as JSON Lines, with a manifest like every export; for `npm run audit:verify`. */
export function GET(request: Request) {
  return handleHistoryExport(request, "audit_events", { format: "jsonl" });
}
