import { handleHistoryExport } from "@/lib/server/exports/export-route";

/** The audit events matching the history search, in chain order, as CSV or JSON Lines. */
export function GET(request: Request) {
  return handleHistoryExport(request, "audit_events");
}
