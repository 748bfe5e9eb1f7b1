import "server-only";
import { canViewChange, type ChangeViewer } from "@/lib/domain/change-visibility";
import type { DeploymentDto } from "./deployment-schemas";
import { db } from "../db/db";
import { DEPLOYMENT_SELECT, toDeploymentDto } from "./deployment-dto";

/** The change page's list: the newest deployments reconciled with this change, for a viewer who may open it. */
export const CHANGE_DEPLOYMENTS_SHOWN = 20;

export async function listChangeDeployments(
  viewer: ChangeViewer,
  change: { id: string; requesterId: string; implementerId: string | null },
): Promise<DeploymentDto[]> {
  if (!canViewChange(viewer, change)) return [];
  const rows = await db().deployment.findMany({
    where: { changeId: change.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: CHANGE_DEPLOYMENTS_SHOWN,
    select: DEPLOYMENT_SELECT,
  });
  return rows.map(toDeploymentDto);
}
