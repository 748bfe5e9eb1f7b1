import "server-only";
import { isUuid } from "@/lib/domain/is-uuid";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";

// What the CI page and a change's evidence show of the deployments pipelines reported. The gate
// and the records themselves are lib/server's deployment API (issue 32, items 2 and 3).

export type DeploymentLine = {
  id: string;
  environment: string;
  ciName: string;
  status: "started" | "succeeded" | "failed" | "rolled_back";
  at: Date;
  digests: string[];
  pipelineRunUrl: string;
  pipelineStep: string;
  triggeredBy: string | null;
  authorized: boolean;
  unauthorizedReason: string | null;
  change: { id: string; number: number; title: string } | null;
};

const SELECT = {
  id: true,
  environment: true,
  ciName: true,
  status: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
  digests: true,
  pipelineRunUrl: true,
  pipelineStep: true,
  triggeredBy: true,
  authorized: true,
  unauthorizedReason: true,
  change: { select: { id: true, number: true, title: true } },
} as const;

type Row = { startedAt: Date | null; finishedAt: Date | null; createdAt: Date };
// When it happened: finished, else started, else reported (the DORA metrics' definition too).
const line = <R extends Row>({ startedAt, finishedAt, createdAt, ...rest }: R) => ({ ...rest, at: finishedAt ?? startedAt ?? createdAt });

/** How many deployments the CI page lists. */
export const CI_DEPLOYMENTS_SHOWN = 20;

/** A CI's most recent deployments, newest reported first, and how many it has had; config managers only (403). */
export async function ciDeployments(
  viewer: Actor,
  ciId: string,
): Promise<{ recent: DeploymentLine[]; total: number; unauthorized: number }> {
  await refuseReadUnlessCan(viewer, "config.manage");
  if (!isUuid(ciId)) return { recent: [], total: 0, unauthorized: 0 };
  const [recent, counts] = await Promise.all([
    db().deployment.findMany({
      where: { ciId },
      select: SELECT,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: CI_DEPLOYMENTS_SHOWN,
    }),
    db().deployment.groupBy({ by: ["authorized"], where: { ciId }, _count: { _all: true } }),
  ]);
  const count = (authorized: boolean) => counts.find((c) => c.authorized === authorized)?._count._all ?? 0;
  return { recent: recent.map(line), total: count(true) + count(false), unauthorized: count(false) };
}

/** The deployments that carried one change, oldest first (bounded); the caller has checked the viewer. */
export async function deploymentsOfChange(changeId: string): Promise<DeploymentLine[]> {
  const rows = await db().deployment.findMany({
    where: { changeId },
    select: SELECT,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 500,
  });
  return rows.map(line);
}
