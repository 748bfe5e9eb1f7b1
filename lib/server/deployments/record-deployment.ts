import "server-only";
import type { TokenActor } from "./token-actor";
import { decideDeployment, deploymentCallerRefusal, primaryReason, type GateReason } from "@/lib/domain/deployment-gate";
import { canMoveDeployment, DEPLOYMENT_STATUS_LABELS } from "@/lib/domain/deployment-status";
import { ok, refuse, refuseAs, type Result } from "@/lib/domain/result";
import type { DeploymentDto, DeploymentReportBody } from "./deployment-schemas";
import { appendAuditEvent } from "../audit/append-audit-event";
import { recordDenial } from "../audit/record-denial";
import { refuseWhenBusy } from "../db/database-busy";
import { inTransaction, type Tx } from "../db/transaction";
import { env } from "../env";
import { DEPLOYMENT_SELECT, toDeploymentDto } from "./deployment-dto";
import { loadGateFacts } from "./load-gate-facts";
import { moveChangeWithDeployment } from "./move-change-with-deployment";
import { notifyUnauthorizedDeployment } from "./notify-unauthorized";

/** A start time may run ahead of the portal's clock by this much (clock skew), no more. */
const CLOCK_SKEW_MS = 5 * 60_000;

export type RecordedDeployment = { deployment: DeploymentDto; created: boolean };

/**
 * A pipeline reports a deployment: the first report of a run's step records it, reconciled by
 * the gate's own rules (decideDeployment) at its start time; a later report of the same step
 * moves its status on. An unauthorized one is audited as such and told to change managers and
 * security reviewers in the same transaction. Where the change allows it, the deployment then
 * starts the change and records its outcome, through the change's own steps.
 */
export async function recordDeployment(
  actor: TokenActor,
  body: DeploymentReportBody,
  now = new Date(),
): Promise<Result<RecordedDeployment>> {
  const refusal = deploymentCallerRefusal(actor.roles);
  if (refusal) {
    await recordDenial(actor, "deployment.report", refusal);
    return refuse(refusal);
  }
  const timeErrors = timeRefusals(body, now);
  if (timeErrors) return refuse("Some times are not possible; `errors` says which.", timeErrors);
  const result = await refuseWhenBusy(() => inTransaction((tx) => write(tx, actor, body, now)));
  if (!result.ok) return result;
  const { deployment, moved } = result.value;
  if (moved && deployment.authorized && deployment.change) await moveChangeWithDeployment(actor, deployment, now);
  return ok({ deployment, created: result.value.created });
}

function timeRefusals(body: DeploymentReportBody, now: Date): Record<string, string> | null {
  const errors: Record<string, string> = {};
  if (body.startedAt && body.startedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) errors.startedAt = "The start is in the future.";
  if (body.finishedAt && body.startedAt && body.finishedAt < body.startedAt) errors.finishedAt = "The end is before the start.";
  if (body.committedAt && body.committedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    errors.committedAt = "The commit time is in the future.";
  return Object.keys(errors).length ? errors : null;
}

type Written = { deployment: DeploymentDto; created: boolean; moved: boolean };

async function write(tx: Tx, actor: TokenActor, body: DeploymentReportBody, now: Date): Promise<Result<Written>> {
  const run = { pipelineRunUrl: body.pipelineRunUrl, pipelineStep: body.pipelineStep };
  // Two reports of one step at once take turns, so the second sees the first.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`deployment:${run.pipelineRunUrl}\n${run.pipelineStep}`}, 0))`;
  const existing = await tx.deployment.findUnique({ where: { pipelineRunUrl_pipelineStep: run }, select: DEPLOYMENT_SELECT });
  if (existing) return update(tx, actor, body, existing, now);
  const at = body.startedAt ?? now;
  const e = env();
  const request = { environment: body.environment, cis: [body.ci], digests: body.digests, changeNumber: body.changeNumber ?? null, at };
  const settings = { graceMinutes: e.DEPLOYMENT_GATE_GRACE_MINUTES, holdSeconds: 0 };
  const decision = decideDeployment(await loadGateFacts(tx, actor, request, settings));
  const ci = (await tx.configurationItem.findUnique({ where: { name: body.ci }, select: { id: true } })) ?? null;
  const created = await tx.deployment.create({
    data: {
      environment: body.environment,
      ciId: ci?.id ?? null,
      ciName: body.ci,
      digests: body.digests,
      status: body.status,
      startedAt: at,
      finishedAt: body.finishedAt ?? (body.status === "started" ? null : now),
      ...run,
      commitSha: body.commitSha ?? null,
      committedAt: body.committedAt ?? null,
      triggeredBy: body.triggeredBy ?? null,
      reportedById: actor.id,
      reportedByTokenId: actor.token.id,
      changeId: decision.change?.id ?? null,
      authorized: decision.allowed,
      unauthorizedReason: primaryReason(decision),
      reasons: decision.reasons,
    },
    select: DEPLOYMENT_SELECT,
  });
  const deployment = toDeploymentDto(created);
  const audit = { actor, entityType: "deployment", entityId: created.id, changeId: created.changeId };
  const after = { ...auditFacts(deployment), token: { id: actor.token.id, publicId: actor.token.publicId } };
  const summary = decision.allowed
    ? `Authorized by ${decision.change?.reference}.`
    : `Not authorized: ${decision.reasons.map((r: GateReason) => r.message).join(" ")}`;
  await appendAuditEvent(tx, { ...audit, action: "deployment.recorded", after, reason: summary });
  if (!decision.allowed) {
    await appendAuditEvent(tx, { ...audit, action: "deployment.unauthorized", after, reason: summary });
    await notifyUnauthorizedDeployment(tx, actor, deployment);
  }
  return ok({ deployment, created: true, moved: true });
}

async function update(
  tx: Tx,
  actor: TokenActor,
  body: DeploymentReportBody,
  existing: Parameters<typeof toDeploymentDto>[0],
  now: Date,
): Promise<Result<Written>> {
  // Another account may not rewrite a pipeline's record: a replayed or guessed run address gets no say.
  if (existing.reportedById !== actor.id)
    return refuseAs("conflict", "Another account reported this pipeline run and step; report your deployment under your own run.");
  const same =
    existing.environment === body.environment &&
    existing.ciName === body.ci &&
    [...existing.digests].sort().join() === [...body.digests].sort().join();
  if (!same)
    return refuseAs(
      "conflict",
      "This pipeline run and step already reported a deployment of other digests, another configuration item or another environment; report each deployment under its own step.",
    );
  const current = toDeploymentDto(existing);
  if (existing.status === body.status) return ok({ deployment: current, created: false, moved: false });
  if (!canMoveDeployment(existing.status, body.status))
    return refuseAs(
      "conflict",
      `This deployment is already ${DEPLOYMENT_STATUS_LABELS[existing.status].toLowerCase()}; it cannot become ${DEPLOYMENT_STATUS_LABELS[body.status].toLowerCase()}.`,
    );
  const updated = await tx.deployment.update({
    where: { id: existing.id },
    data: {
      status: body.status,
      finishedAt: body.finishedAt ?? existing.finishedAt ?? now,
      commitSha: existing.commitSha ?? body.commitSha ?? null,
      committedAt: existing.committedAt ?? body.committedAt ?? null,
      triggeredBy: existing.triggeredBy ?? body.triggeredBy ?? null,
      updatedAt: now,
    },
    select: DEPLOYMENT_SELECT,
  });
  const deployment = toDeploymentDto(updated);
  await appendAuditEvent(tx, {
    actor,
    action: "deployment.status_reported",
    entityType: "deployment",
    entityId: updated.id,
    changeId: updated.changeId,
    before: { status: existing.status },
    after: { status: updated.status, token: { id: actor.token.id, publicId: actor.token.publicId } },
  });
  return ok({ deployment, created: false, moved: true });
}

function auditFacts(d: DeploymentDto) {
  return {
    environment: d.environment,
    ci: d.ci.name,
    digests: d.digests,
    status: d.status,
    pipelineRunUrl: d.pipelineRunUrl,
    pipelineStep: d.pipelineStep,
    change: d.change?.reference ?? null,
    authorized: d.authorized,
    reasons: d.reasons.map((r) => r.code),
  };
}
