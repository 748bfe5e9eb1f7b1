// Deployments as the gate's reconciliation would have recorded them, inserted directly: the tests of
// what reads them (reports, CI page, evidence, DORA metrics) need no pipeline.
import { randomUUID } from "node:crypto";
import { testDb } from "./fixtures";

export type DeploymentSpec = {
  reportedById: string;
  environment?: string;
  ciId?: string | null;
  ciName?: string;
  status?: "started" | "succeeded" | "failed" | "rolled_back";
  startedAt?: Date | null;
  finishedAt?: Date | null;
  committedAt?: Date | null;
  changeId?: string | null;
  /** Unauthorized with this reason code; authorized when absent. */
  unauthorized?: string;
  digests?: string[];
  triggeredBy?: string;
  pipelineRunUrl?: string;
  /** When it was reported; the database's now() when absent. */
  createdAt?: Date;
};

export const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

export async function createDeployment(spec: DeploymentSpec) {
  const reason = spec.unauthorized;
  return testDb().deployment.create({
    data: {
      environment: spec.environment ?? "production",
      ciId: spec.ciId ?? null,
      ciName: spec.ciName ?? "payments-api",
      digests: spec.digests ?? [digestOf(1)],
      status: spec.status ?? "succeeded",
      startedAt: spec.startedAt === undefined ? null : spec.startedAt,
      finishedAt: spec.finishedAt === undefined ? new Date() : spec.finishedAt,
      pipelineRunUrl: spec.pipelineRunUrl ?? `https://ci.example.test/runs/${randomUUID()}`,
      commitSha: "0123456789abcdef0123456789abcdef01234567",
      committedAt: spec.committedAt ?? null,
      triggeredBy: spec.triggeredBy ?? "ci-bot",
      reportedById: spec.reportedById,
      changeId: spec.changeId ?? null,
      authorized: !reason,
      unauthorizedReason: reason ?? null,
      ...(spec.createdAt ? { createdAt: spec.createdAt, updatedAt: spec.createdAt } : {}),
      reasons: reason ? [{ code: reason, message: `Recorded unauthorized: ${reason.replaceAll("_", " ")}.` }] : [],
    },
  });
}
