import "server-only";
import { endpoint } from "../endpoint";
import { pageResponse } from "../api-pages";
import { auditEventListSchema, auditEventQuerySchema } from "../audit-schemas";
import { listAuditEventsForApi } from "../read-audit-events";

/** The audit history's events, newest first, with the history page's filters. */
export const listAuditEvents = endpoint({
  method: "GET",
  path: "/audit/events",
  tag: "Audit",
  summary: "Search the audit events",
  description:
    "Newest first, with the audit history page's filters; each event as its line in a JSON Lines export. Follow `next` for older events. Auditors and admins.",
  scope: "audit:read",
  input: auditEventQuerySchema,
  output: auditEventListSchema,
  run: listAuditEventsForApi,
  respond: pageResponse,
});
