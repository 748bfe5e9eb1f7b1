import "server-only";
import { assessRisk, type RiskAssessment } from "@/lib/domain/risk";
import { cmdbGraph } from "../cis/cmdb-graph";
import type { Tx } from "../db/transaction";

const NINETY_DAYS = 90 * 24 * 60 * 60 * 1000;

/** Gathers the risk model's inputs for a change and scores it. */
export async function assessChangeRisk(tx: Tx, changeId: string, now: Date): Promise<RiskAssessment> {
  const change = await tx.changeRequest.findUniqueOrThrow({
    where: { id: changeId },
    select: {
      type: true, plannedStart: true, plannedEnd: true, backoutTested: true,
      cis: { select: { ci: { select: { id: true, name: true, criticality: true, exposure: true } } } },
      cves: { select: { cvssBaseScore: true, knownExploited: true } },
    },
  });
  const ciIds = change.cis.map(({ ci }) => ci.id);
  // One connection per transaction: its queries run one after the other.
  const { graph } = await cmdbGraph(tx);
  const recentFailures = ciIds.length
    ? await tx.changeRequest.count({
        where: { id: { not: changeId }, outcome: { in: ["failed", "rolled_back"] }, implementedAt: { gte: new Date(now.getTime() - NINETY_DAYS) }, cis: { some: { ciId: { in: ciIds } } } },
      })
    : 0;
  const windowMinutes = change.plannedStart && change.plannedEnd ? Math.max(0, (change.plannedEnd.getTime() - change.plannedStart.getTime()) / 60_000) : 0;
  return assessRisk({
    type: change.type,
    cis: change.cis.map(({ ci }) => ({ name: ci.name, criticality: ci.criticality, exposure: ci.exposure })),
    dependentCount: [...graph.dependentDepths(ciIds).values()].filter((depth) => depth > 0).length,
    cves: change.cves.map((c) => ({ cvssBaseScore: Number(c.cvssBaseScore), knownExploited: c.knownExploited })),
    windowMinutes,
    backoutTested: change.backoutTested,
    recentFailures,
  });
}

/** The columns that keep an assessment: the score, the level, and every factor's contribution in words. */
export function riskColumns(assessment: RiskAssessment, now: Date) {
  return { riskScore: assessment.score, riskLevel: assessment.level, riskFactors: { summary: assessment.summary, factors: assessment.factors }, riskAssessedAt: now };
}
