import "server-only";
import type { Actor } from "../auth/current-actor";
import type { DeploymentDto } from "./deployment-schemas";
import type { Tx } from "../db/transaction";
import { enqueueMails } from "../deliveries/enqueue-mails";

/**
 * Change managers and security reviewers hear of an unauthorized deployment at once: in the
 * portal and by mail, written in the deployment's transaction (a rolled-back report tells no one).
 */
export async function notifyUnauthorizedDeployment(tx: Tx, reporter: Actor, deployment: DeploymentDto): Promise<void> {
  const users = await tx.user.findMany({
    where: { active: true, kind: "user", roles: { some: { role: { in: ["change_manager", "security_reviewer"] } } } },
    select: { id: true },
  });
  if (users.length === 0) return;
  const why = deployment.reasons[0]?.message ?? "No authorized change covers it.";
  const message =
    `Unauthorized deployment to ${deployment.ci.name} (${deployment.environment}), reported by ${reporter.name} ` +
    `from ${deployment.pipelineRunUrl}${deployment.pipelineStep ? ` (${deployment.pipelineStep})` : ""}: ${why}`;
  const created = await tx.notification.createManyAndReturn({
    data: users.map((u) => ({ userId: u.id, kind: "deployment_unauthorized", changeId: deployment.change?.id ?? null, message })),
    select: { id: true, userId: true, kind: true, changeId: true, message: true },
  });
  await enqueueMails(tx, created);
}
