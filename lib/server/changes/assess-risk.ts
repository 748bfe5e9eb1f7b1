import "server-only";
import { backoutTestCounts } from "@/lib/domain/backout-test";
import { assessRisk, type RiskAssessment } from "@/lib/domain/risk";
import { cmdbGraph } from "../cis/cmdb-graph";
import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/transaction";

const NINETY_DAYS = 90 * 24 * 60 * 60 * 1000;

/**
 * Failed or rolled-back changes, other than this one, implemented in the 90 days before `now` on
 * any of the CIs. From the recent failures (a partial index, migration
 * 20261202060000_recent_failures_index) to the CIs, each failure probed once: written as a
 * per-row subquery so the planner cannot turn it into a join that reads every change that ever
 * touched the CIs, which grows with history.
 */
export async function recentFailuresOn(tx: Pick<Tx, "$queryRaw">, changeId: string, ciIds: readonly string[], now: Date): Promise<number> {
  if (ciIds.length === 0) return 0;
  const [row] = await tx.$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n FROM change_requests c
    WHERE c.outcome IN ('failed', 'rolled_back') AND c.implemented_at >= ${new Date(now.getTime() - NINETY_DAYS)} AND c.id <> ${changeId}::uuid
      AND (SELECT true FROM change_cis x WHERE x.change_id = c.id AND x.ci_id = ANY(${[...ciIds]}::uuid[]) LIMIT 1)`);
  return row?.n ?? 0;
}

/** Gathers the risk model's inputs for a change and scores it. */
export async function assessChangeRisk(tx: Tx, changeId: string, now: Date): Promise<RiskAssessment> {
  const change = await tx.changeRequest.findUniqueOrThrow({
    where: { id: changeId },
    select: {
      type: true,
      plannedStart: true,
      plannedEnd: true,
      requesterId: true,
      backoutTestedById: true,
      cis: { select: { ci: { select: { id: true, name: true, criticality: true, exposure: true } } } },
      cves: { select: { cvssBaseScore: true, knownExploited: true } },
    },
  });
  const ciIds = change.cis.map(({ ci }) => ci.id);
  // One connection per transaction: its queries run one after the other.
  const { graph } = await cmdbGraph(tx);
  const recentFailures = await recentFailuresOn(tx, changeId, ciIds, now);
  const windowMinutes =
    change.plannedStart && change.plannedEnd ? Math.max(0, (change.plannedEnd.getTime() - change.plannedStart.getTime()) / 60_000) : 0;
  return assessRisk({
    type: change.type,
    cis: change.cis.map(({ ci }) => ({ name: ci.name, criticality: ci.criticality, exposure: ci.exposure })),
    dependentCount: [...graph.dependentDepths(ciIds).values()].filter((depth) => depth > 0).length,
    cves: change.cves.map((c) => ({ cvssBaseScore: Number(c.cvssBaseScore), knownExploited: c.knownExploited })),
    windowMinutes,
    backoutTested: backoutTestCounts(change),
    recentFailures,
  });
}

/** The columns that keep an assessment: the score, the level, and every factor's contribution in words. */
export function riskColumns(assessment: RiskAssessment, now: Date) {
  return {
    riskScore: assessment.score,
    riskLevel: assessment.level,
    riskFactors: { summary: assessment.summary, factors: assessment.factors },
    riskAssessedAt: now,
  };
}
