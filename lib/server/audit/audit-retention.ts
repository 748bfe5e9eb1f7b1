import "server-only";
import { db } from "../db/db";
import { auditSettings } from "./audit-settings";

export type AuditRetention = { days: number; oldestEventAt: Date | null; oldestKeptUntil: Date | null; eventCount: number };

/** The configured retention period and what it means for the oldest event; nothing is ever deleted here. */
export async function auditRetention(): Promise<AuditRetention> {
  const days = auditSettings().retentionDays;
  const [oldest] = await db().$queryRaw<{ occurred_at: Date }[]>`SELECT occurred_at FROM audit_events ORDER BY seq LIMIT 1`;
  const [head] = await db().$queryRaw<{ seq: bigint }[]>`SELECT seq FROM audit_chain_head WHERE id = 1`;
  const oldestEventAt = oldest?.occurred_at ?? null;
  return {
    days,
    oldestEventAt,
    oldestKeptUntil: oldestEventAt ? new Date(oldestEventAt.getTime() + days * 86_400_000) : null,
    eventCount: Number(head?.seq ?? 0),
  };
}
