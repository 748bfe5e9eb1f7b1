import "server-only";
import { z } from "zod";
import { historyFiltersSchema } from "@/lib/domain/history-filters";
import { keyCursorParam, limitParam, pageSchema } from "./api-pages";

// What /api/v1/audit/events takes and answers: the history page's filters, and each event as its
// JSON line in the exports (the members its hash covers, with the hash and the previous one).

/** The cursor's list: an events cursor names the last event's seq. */
export const EVENT_CURSOR = "audit-events";

/** GET /api/v1/audit/events: the history search's filters (those of its exports), a cursor and a page size. */
export const auditEventQuerySchema = historyFiltersSchema
  .extend({
    cursor: keyCursorParam(EVENT_CURSOR),
    limit: limitParam,
  })
  .strict();
export type AuditEventQuery = z.infer<typeof auditEventQuerySchema>;

export const auditEventSchema = z.object({
  seq: z.number().int().describe("The event's place in the chain"),
  occurredAt: z.iso.datetime(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  changeId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  clientAddress: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string().describe("SHA-256 over prevHash and the other members: verify as an export's line"),
});

export const auditEventListSchema = pageSchema(auditEventSchema);
export type AuditEventResource = z.infer<typeof auditEventSchema>;
