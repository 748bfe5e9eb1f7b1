import "server-only";
import type { TokenActor } from "./token-actor";
import { createHash, randomUUID } from "node:crypto";
import { canonicalJson } from "@/lib/domain/canonical-json";
import {
  decideDeployment,
  deploymentCallerRefusal,
  gateFailure,
  gateSummary,
  type GateDecision,
  type GateRequest,
} from "@/lib/domain/deployment-gate";
import { ok, refuse, type Result } from "@/lib/domain/result";
import type { GateAnswer, GateCheckBody } from "./deployment-schemas";
import { appendAuditEvent } from "../audit/append-audit-event";
import { recordDenial } from "../audit/record-denial";
import { inTransaction, type Tx } from "../db/transaction";
import { env } from "../env";
import { loadGateFacts } from "./load-gate-facts";

export type GateOptions = { now?: Date; timeoutMs?: number };

/**
 * The deployment gate: may this pipeline deploy these digests to these CIs now? Decided by the
 * domain (decideDeployment), stored per pipeline run and step so a rerun gets the same answer
 * while it holds, and audited with the token and the run. It never fails open: an error or a
 * timeout anywhere in here is a deny naming a logged reference.
 */
export async function checkDeployment(actor: TokenActor, body: GateCheckBody, options: GateOptions = {}): Promise<Result<GateAnswer>> {
  const refusal = deploymentCallerRefusal(actor.roles);
  if (refusal) {
    await recordDenial(actor, "deployment.gate", refusal);
    return refuse(refusal);
  }
  const at = options.now ?? new Date();
  const request: GateRequest = {
    environment: body.environment,
    cis: body.cis,
    digests: body.digests,
    changeNumber: body.changeNumber ?? null,
    at,
  };
  const e = env();
  const timeoutMs = options.timeoutMs ?? e.DEPLOYMENT_GATE_TIMEOUT_MS;
  const settings = { graceMinutes: e.DEPLOYMENT_GATE_GRACE_MINUTES, holdSeconds: e.DEPLOYMENT_GATE_HOLD_SECONDS };
  const hash = requestHash(request);
  const run = { pipelineRunUrl: body.pipelineRunUrl, pipelineStep: body.pipelineStep };
  try {
    const answer = await inTransaction(async (tx) => {
      await limitWaits(tx, timeoutMs, timeoutMs);
      const stored = await tx.deploymentGateDecision.findUnique({ where: { pipelineRunUrl_pipelineStep: run } });
      if (stored && stored.requestHash === hash && stored.actorId === actor.id && stored.validUntil > at) {
        const replayed: GateAnswer = { ...(stored.answer as GateAnswer), replayed: true };
        await limitWaits(tx, e.DB_STATEMENT_TIMEOUT_MS, e.DB_LOCK_TIMEOUT_MS);
        await audit(tx, actor, body, replayed, stored.changeId);
        return replayed;
      }
      const decision = decideDeployment(await loadGateFacts(tx, actor, request, settings));
      // Deciding is bounded by the gate's timeout; recording it waits as any write does.
      await limitWaits(tx, e.DB_STATEMENT_TIMEOUT_MS, e.DB_LOCK_TIMEOUT_MS);
      const id = randomUUID();
      const fresh = toAnswer(decision, id, at);
      const row = { id, requestHash: hash, allowed: decision.allowed, answer: fresh, changeId: decision.change?.id ?? null };
      const who = { actorId: actor.id, tokenId: actor.token.id, decidedAt: at, validUntil: decision.validUntil };
      await tx.deploymentGateDecision.upsert({
        where: { pipelineRunUrl_pipelineStep: run },
        create: { ...run, ...row, ...who },
        update: { ...row, ...who },
      });
      await audit(tx, actor, body, fresh, fresh.change?.id ?? null);
      return fresh;
    });
    return ok(answer);
  } catch (error) {
    const ref = randomUUID().slice(0, 8);
    console.error(`[deployment gate ${ref}]`, error);
    const answer = toAnswer(gateFailure(at, ref), null, at);
    // The deny stands whether or not the log can take it now.
    await inTransaction((tx) => audit(tx, actor, body, answer, null)).catch((auditError) =>
      console.error(`[deployment gate ${ref}] the denial was not audited`, auditError),
    );
    return ok(answer);
  }
}

async function limitWaits(tx: Tx, statementMs: number, lockMs: number): Promise<void> {
  await tx.$queryRaw`SELECT set_config('statement_timeout', ${String(statementMs)}, true), set_config('lock_timeout', ${String(lockMs)}, true)`;
}

/** What makes two questions the same: everything asked but the time. */
function requestHash({ environment, cis, digests, changeNumber }: GateRequest): string {
  const question = { environment, cis: [...cis].sort(), digests: [...digests].sort(), changeNumber };
  return createHash("sha256").update(canonicalJson(question)).digest("hex");
}

export function toAnswer(decision: GateDecision, decisionId: string | null, at: Date): GateAnswer {
  const { window } = decision;
  return {
    decision: decision.allowed ? "allow" : "deny",
    allowed: decision.allowed,
    summary: gateSummary(decision),
    reasons: decision.reasons,
    change: decision.change,
    window: window
      ? {
          start: window.start.toISOString(),
          end: window.end.toISOString(),
          opensAt: window.opensAt.toISOString(),
          closesAt: window.closesAt.toISOString(),
        }
      : null,
    decidedAt: at.toISOString(),
    validUntil: decision.validUntil.toISOString(),
    decisionId,
    replayed: false,
  };
}

async function audit(tx: Tx, actor: TokenActor, body: GateCheckBody, answer: GateAnswer, changeId: string | null): Promise<void> {
  await appendAuditEvent(tx, {
    actor,
    action: answer.allowed ? "deployment.gate_allowed" : "deployment.gate_denied",
    entityType: "deployment_gate",
    entityId: answer.decisionId,
    changeId,
    after: {
      decision: answer.decision,
      reasons: answer.reasons.map((r) => r.code),
      change: answer.change?.reference ?? null,
      validUntil: answer.validUntil,
      replayed: answer.replayed,
      token: { id: actor.token.id, publicId: actor.token.publicId },
      pipelineRunUrl: body.pipelineRunUrl,
      pipelineStep: body.pipelineStep,
      environment: body.environment,
      cis: body.cis,
      digests: body.digests,
      changeNumber: body.changeNumber ?? null,
    },
    reason: answer.summary,
  });
}
