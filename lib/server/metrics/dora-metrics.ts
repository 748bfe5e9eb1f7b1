import "server-only";
import {
  doraByTarget,
  doraFigures,
  doraTrend,
  type DoraDeployment,
  type DoraFigures,
  type DoraGroup,
  type DoraWeek,
  type Period,
} from "@/lib/domain/dora-metrics";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { Prisma } from "../db/generated/client";
import { db } from "../db/db";

/** The most deployments one page of metrics reads; beyond it the page says the figures are cut short. */
export const DORA_MAX_ROWS = 50_000;

export type DoraFilters = { environment?: string; ciName?: string };
export type DoraMetrics = {
  figures: DoraFigures;
  byTarget: DoraGroup[];
  trend: DoraWeek[];
  truncated: boolean;
  environments: string[];
  cis: string[];
};

type Raw = Omit<DoraDeployment, "status"> & { status: DoraDeployment["status"] };

// A deployment's time as the domain defines it; the same expression in every part of the read.
const AT = Prisma.sql`COALESCE(d.finished_at, d.started_at, d.created_at)`;

/**
 * The DORA figures of a period from the deployment records: one bounded read of the period's
 * deployments, plus as context each CI and environment's last deployment before the period (does a
 * failure continue an episode?) and first success after it (when did an episode end?).
 */
export async function doraMetrics(viewer: Actor, period: Period, filters: DoraFilters = {}): Promise<DoraMetrics> {
  await refuseReadUnlessCan(viewer, "change.viewAll");
  const where = Prisma.sql`d.status <> 'started'
    ${filters.environment ? Prisma.sql`AND d.environment = ${filters.environment}` : Prisma.empty}
    ${filters.ciName ? Prisma.sql`AND d.ci_name = ${filters.ciName}` : Prisma.empty}`;
  const columns = Prisma.sql`d.environment, d.ci_name AS "ciName", d.status::text AS status, ${AT} AS at, d.committed_at AS "committedAt", d.authorized`;
  const client = db();
  const [inside, context, environments, cis] = await Promise.all([
    client.$queryRaw<Raw[]>(Prisma.sql`
      SELECT ${columns} FROM deployments d
      WHERE ${where} AND ${AT} >= ${period.start} AND ${AT} < ${period.end}
      ORDER BY ${AT} LIMIT ${DORA_MAX_ROWS + 1}`),
    client.$queryRaw<Raw[]>(Prisma.sql`
      WITH targets AS (
        SELECT DISTINCT d.environment, d.ci_name FROM deployments d WHERE ${where} AND ${AT} >= ${period.start} AND ${AT} < ${period.end})
      SELECT x.* FROM targets t
      CROSS JOIN LATERAL (
        (SELECT ${columns} FROM deployments d
         WHERE d.environment = t.environment AND d.ci_name = t.ci_name AND d.status <> 'started' AND ${AT} < ${period.start}
         ORDER BY ${AT} DESC LIMIT 1)
        UNION ALL
        (SELECT ${columns} FROM deployments d
         WHERE d.environment = t.environment AND d.ci_name = t.ci_name AND d.status = 'succeeded' AND ${AT} >= ${period.end}
         ORDER BY ${AT} LIMIT 1)
      ) x`),
    client.$queryRaw<{ value: string }[]>(Prisma.sql`SELECT DISTINCT environment AS value FROM deployments ORDER BY 1 LIMIT 200`),
    client.$queryRaw<{ value: string }[]>(Prisma.sql`SELECT DISTINCT ci_name AS value FROM deployments ORDER BY 1 LIMIT 500`),
  ]);
  const truncated = inside.length > DORA_MAX_ROWS;
  const rows = [...inside.slice(0, DORA_MAX_ROWS), ...context];
  return {
    figures: doraFigures(rows, period),
    byTarget: doraByTarget(rows, period),
    trend: doraTrend(rows, period),
    truncated,
    environments: environments.map((e) => e.value),
    cis: cis.map((c) => c.value),
  };
}
