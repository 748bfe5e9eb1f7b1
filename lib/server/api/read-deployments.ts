import "server-only";
import { seesEveryChange } from "@/lib/domain/change-visibility";
import { ok, refuse, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { encodeKeyCursor } from "./api-cursor";
import type { DeploymentDto } from "../deployments/deployment-schemas";
import { DEPLOYMENT_CURSOR, type DeploymentListQuery } from "./deployment-list-schemas";
import { recordDenial } from "../audit/record-denial";
import { db } from "../db/db";
import { DEPLOYMENT_SELECT, toDeploymentDto } from "../deployments/deployment-dto";

const ONLY = "Only those who see every change (change managers, auditors, approvers, implementers) may list deployments.";

/** Reported deployments, newest first, with filters and a keyset cursor on (created_at, id). */
export async function listDeployments(
  actor: Actor,
  query: DeploymentListQuery,
): Promise<Result<{ items: DeploymentDto[]; nextCursor: string | null }>> {
  if (!seesEveryChange(actor.roles)) {
    await recordDenial(actor, "read:deployments", ONLY);
    return refuse(ONLY);
  }
  const after = query.cursor ? parseKey(query.cursor) : null;
  const rows = await db().deployment.findMany({
    where: {
      ...(query.environment ? { environment: query.environment } : {}),
      ...(query.ci ? { ciName: query.ci } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.authorized !== undefined ? { authorized: query.authorized } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: DEPLOYMENT_SELECT,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeKeyCursor(DEPLOYMENT_CURSOR, `${last.createdAt.toISOString()}|${last.id}`) : null;
  return ok({ items: page.map(toDeploymentDto), nextCursor });
}

function parseKey(key: string): { at: Date; id: string } | null {
  const [at, id] = key.split("|");
  const date = new Date(at ?? "");
  return Number.isNaN(date.getTime()) || !id ? null : { at: date, id };
}
