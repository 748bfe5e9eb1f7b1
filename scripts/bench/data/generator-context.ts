// What every part of the bench data generator shares: the owner's connection for the rows, the
// seeded random source, the audit events' planner and the per-table row counts.
import type pg from "pg";
import type { Role } from "../../../lib/domain/roles";
import type { ChainedEventLog, Json } from "../../lib/history/chained-event-log";
import type { Random } from "../../lib/history/random";

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export type BenchUser = { id: string; email: string; name: string; roles: Role[] };

export type EventDetails = { before?: Json; after?: Json; reason?: string | null };

/** Plans one audit event at `at` (ms since the epoch); the chained log writes them in time order. */
export type PlanEvent = (
  at: number,
  actor: BenchUser | null,
  action: string,
  entityType: string,
  entityId: string | null,
  changeId: string | null,
  details?: EventDetails,
) => void;

export type GeneratorContext = {
  owner: pg.Client;
  r: Random;
  plan: PlanEvent;
  /** Adds rows written to a table's count. */
  count: (table: string, n: number) => void;
};

/** The planner of events on `chain`; each person keeps one client address, drawn when they first act. */
export function eventPlanner(chain: ChainedEventLog, r: Random): PlanEvent {
  const addressOf = new Map<string, string>();
  const address = (u: BenchUser) =>
    addressOf.get(u.id) ?? addressOf.set(u.id, `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`).get(u.id)!;
  return (at, actor, action, entityType, entityId, changeId, details = {}) =>
    chain.plan(at, {
      actor,
      action,
      entityType,
      entityId,
      changeId,
      before: details.before ?? null,
      after: details.after ?? null,
      reason: details.reason ?? null,
      clientAddress: actor ? address(actor) : null,
    });
}
