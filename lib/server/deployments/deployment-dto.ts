import "server-only";
import type { GateReason } from "@/lib/domain/deployment-gate";
import { changeReference } from "@/lib/domain/change-visibility";
import type { Prisma } from "../db/generated/client";
import type { DeploymentDto } from "./deployment-schemas";

/** The columns a deployment's answer, list row and change-page row show; its type is the DTO's source. */
export const DEPLOYMENT_SELECT = {
  id: true,
  environment: true,
  ciId: true,
  ciName: true,
  digests: true,
  status: true,
  startedAt: true,
  finishedAt: true,
  pipelineRunUrl: true,
  pipelineStep: true,
  commitSha: true,
  committedAt: true,
  triggeredBy: true,
  changeId: true,
  reportedById: true,
  authorized: true,
  unauthorizedReason: true,
  reasons: true,
  createdAt: true,
  updatedAt: true,
  change: { select: { id: true, number: true, title: true, state: true, type: true } },
} as const satisfies Prisma.DeploymentSelect;

export type DeploymentRow = Prisma.DeploymentGetPayload<{ select: typeof DEPLOYMENT_SELECT }>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toDeploymentDto(row: DeploymentRow): DeploymentDto {
  return {
    id: row.id,
    environment: row.environment,
    ci: { id: row.ciId, name: row.ciName },
    digests: row.digests,
    status: row.status,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    pipelineRunUrl: row.pipelineRunUrl,
    pipelineStep: row.pipelineStep,
    commitSha: row.commitSha,
    committedAt: iso(row.committedAt),
    triggeredBy: row.triggeredBy,
    change: row.change ? { ...row.change, reference: changeReference(row.change.number) } : null,
    authorized: row.authorized,
    unauthorizedReason: row.unauthorizedReason,
    reasons: row.reasons as GateReason[],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
