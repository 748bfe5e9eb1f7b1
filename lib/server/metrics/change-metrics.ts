import "server-only";
import type { ChangeState } from "@/lib/domain/change-states";
import type { ChangeType } from "@/lib/domain/change-types";
import { REVIEW_DEADLINE_DAYS } from "@/lib/domain/notification-kinds";
import type { TimeWindow } from "@/lib/domain/schedule-windows";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";

// Every figure is an SQL aggregate over the period [start, end); nothing loads rows into JavaScript.
// Definitions:
// - success rate: of changes implemented in the period (outcome recorded), the share successful or
//   successful with issues; by type, and by tier = the highest criticality among the change's CIs;
// - emergency rate and rework rate: of changes submitted in the period, the share of emergencies,
//   and of those returned for rework at least once;
// - CAB cycle time: submitted → authorized, for normal and major changes authorized in the period;
// - lead time: submitted → implemented (outcome recorded), for changes implemented in the period;
// - MTTR: mean of implementation start → outcome recorded, for failed or rolled-back changes
//   implemented in the period (the outcome is recorded once service is restored);
// - backlog and reviews overdue: as they stand now.
// The SQL text is assembled from constants only; every value travels as a bound parameter.

export type Rate = { total: number; succeeded: number; rate: number | null };
export type Spread = { count: number; median: number | null; p90: number | null };
export type ChangeMetrics = {
  successByType: ({ type: ChangeType } & Rate)[];
  successByTier: ({ tier: number } & Rate)[];
  emergencyRate: { submitted: number; emergencies: number; rate: number | null };
  reworkRate: { submitted: number; reworked: number; rate: number | null };
  cabCycleHours: Spread;
  leadTimeHours: Spread;
  mttrHours: { count: number; mean: number | null };
  backlog: { state: ChangeState; count: number }[];
  reviewsOverdue: number;
};

const SUCCEEDED = `outcome IN ('successful', 'successful_with_issues')`;
const hours = (a: string, b: string) => `extract(epoch FROM (${b} - ${a})) / 3600.0`;
const rate = (r: { total: number; succeeded: number }): Rate => ({ ...r, rate: r.total ? r.succeeded / r.total : null });

/** The metrics of a period; the 403 page for a viewer who may not see every change. */
export async function changeMetrics(viewer: Actor, period: TimeWindow, now = new Date()): Promise<ChangeMetrics> {
  await refuseReadUnlessCan(viewer, "change.viewAll");
  const client = db();
  const { start, end } = period;
  const spread = (from: string, to: string, where: string) =>
    client.$queryRawUnsafe<Spread[]>(
      `SELECT count(*)::int AS count,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours(from, to)}))::float8 AS median,
            (percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hours(from, to)}))::float8 AS p90
     FROM change_requests WHERE ${where}`,
      start,
      end,
    );
  // Eight independent aggregates: side by side on the pool's connections, not one after another.
  const [byType, byTier, [submitted], [cab], [lead], [mttr], backlog, [overdue]] = await Promise.all([
    client.$queryRawUnsafe<{ type: ChangeType; total: number; succeeded: number }[]>(
      `SELECT type::text AS type, count(*)::int AS total, count(*) FILTER (WHERE ${SUCCEEDED})::int AS succeeded
       FROM change_requests WHERE outcome IS NOT NULL AND implemented_at >= $1 AND implemented_at < $2 GROUP BY change_requests.type ORDER BY change_requests.type`,
      start,
      end,
    ),
    client.$queryRawUnsafe<{ tier: number; total: number; succeeded: number }[]>(
      `SELECT t.tier, count(*)::int AS total, count(*) FILTER (WHERE ${SUCCEEDED.replace("outcome", "c.outcome")})::int AS succeeded
       FROM change_requests c
       JOIN LATERAL (SELECT max(i.criticality)::int AS tier FROM change_cis x JOIN configuration_items i ON i.id = x.ci_id WHERE x.change_id = c.id) t ON t.tier IS NOT NULL
       WHERE c.outcome IS NOT NULL AND c.implemented_at >= $1 AND c.implemented_at < $2 GROUP BY t.tier ORDER BY t.tier`,
      start,
      end,
    ),
    client.$queryRawUnsafe<{ submitted: number; emergencies: number; reworked: number }[]>(
      `SELECT count(*)::int AS submitted, count(*) FILTER (WHERE type = 'emergency')::int AS emergencies, count(*) FILTER (WHERE rework_count > 0)::int AS reworked
       FROM change_requests WHERE submitted_at >= $1 AND submitted_at < $2`,
      start,
      end,
    ),
    spread(
      "submitted_at",
      "authorized_at",
      `type IN ('normal', 'major') AND submitted_at IS NOT NULL AND authorized_at >= $1 AND authorized_at < $2`,
    ),
    spread("submitted_at", "implemented_at", `submitted_at IS NOT NULL AND implemented_at >= $1 AND implemented_at < $2`),
    client.$queryRawUnsafe<{ count: number; mean: number | null }[]>(
      `SELECT count(*)::int AS count, avg(${hours("implementation_started_at", "implemented_at")})::float8 AS mean
       FROM change_requests WHERE outcome IN ('failed', 'rolled_back') AND implementation_started_at IS NOT NULL AND implemented_at >= $1 AND implemented_at < $2`,
      start,
      end,
    ),
    client.$queryRawUnsafe<{ state: ChangeState; count: number }[]>(
      `SELECT state::text AS state, count(*)::int AS count FROM change_requests WHERE state NOT IN ('closed', 'rejected', 'cancelled') GROUP BY state ORDER BY array_position(enum_range(NULL::change_state), state)`,
    ),
    client.$queryRawUnsafe<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM change_requests WHERE state = 'review' AND implemented_at < $1`,
      new Date(now.getTime() - REVIEW_DEADLINE_DAYS * 86_400_000),
    ),
  ]);
  const s = submitted!;
  return {
    successByType: byType.map((r) => ({ type: r.type, ...rate(r) })),
    successByTier: byTier.map((r) => ({ tier: r.tier, ...rate(r) })),
    emergencyRate: { submitted: s.submitted, emergencies: s.emergencies, rate: s.submitted ? s.emergencies / s.submitted : null },
    reworkRate: { submitted: s.submitted, reworked: s.reworked, rate: s.submitted ? s.reworked / s.submitted : null },
    cabCycleHours: cab!,
    leadTimeHours: lead!,
    mttrHours: mttr!,
    backlog,
    reviewsOverdue: overdue!.count,
  };
}
