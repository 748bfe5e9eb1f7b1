import "server-only";
import { deploymentOutcome } from "@/lib/domain/deployment-status";
import type { Actor } from "../auth/current-actor";
import type { DeploymentDto } from "./deployment-schemas";
import { performChangeAction } from "../changes/perform-change-action";
import { db } from "../db/db";

/**
 * Where the change allows it (its pipelineMovesChange setting), an authorized deployment takes the
 * change's own steps as its reporter: start implementing, then record the outcome once it finished
 * (failed and rolled back count as failed changes). The reporter acts as itself, never for someone
 * else: the lifecycle lets only the change's assigned implementer take those steps, so a change
 * manager assigns the pipeline's service account as implementer to hand them over. A refusal is
 * audited by the step as any refusal is; the deployment stays recorded either way.
 */
export async function moveChangeWithDeployment(actor: Actor, deployment: DeploymentDto, now: Date): Promise<void> {
  const changeId = deployment.change?.id;
  if (!changeId) return;
  const change = await db().changeRequest.findUnique({ where: { id: changeId }, select: { state: true, pipelineMovesChange: true } });
  if (!change?.pipelineMovesChange) return;
  const where = `pipeline run ${deployment.pipelineRunUrl}${deployment.pipelineStep ? ` (${deployment.pipelineStep})` : ""}`;
  if (change.state === "scheduled") {
    const started = await performChangeAction(
      actor,
      { changeId, action: "start_implementation", reason: `Started by the deployment of ${where}.` },
      now,
    );
    if (!started.ok) return;
  } else if (change.state !== "implementing") return;
  const outcome = deploymentOutcome(deployment.status);
  if (!outcome) return;
  await performChangeAction(
    actor,
    {
      changeId,
      action: "record_outcome",
      outcome,
      outcomeNotes: `Recorded from the deployment of ${deployment.ci.name} by ${where}: ${deployment.status.replace("_", " ")}.`,
    },
    now,
  );
}
