import "server-only";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { parseSecondFactorPolicy, SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from "@/lib/domain/step-up";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "./current-actor";
import { refuseUnlessCan } from "./refuse-unless-can";
import { db } from "../db/db";
import { inTransaction, type Tx } from "../db/transaction";

/** The app setting that holds whether approvers need a second factor; absent means "required". */
export const SECOND_FACTOR_POLICY_SETTING = "second_factor_policy";

export async function loadSecondFactorPolicy(client: Tx | ReturnType<typeof db> = db()): Promise<SecondFactorPolicy> {
  const row = await client.appSetting.findUnique({ where: { key: SECOND_FACTOR_POLICY_SETTING }, select: { value: true } });
  return parseSecondFactorPolicy(row?.value ?? null);
}

/** An admin turns the policy on or off; an audit event records before and after. */
export async function saveSecondFactorPolicy(actor: Actor | null, input: { policy?: unknown }): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessCan(
    actor,
    "config.manage",
    "settings.second_factor_policy",
    "Only an admin changes the second-factor policy.",
  );
  if (refused) return refused;
  const policy = input.policy;
  if (typeof policy !== "string" || !(SECOND_FACTOR_POLICIES as readonly string[]).includes(policy))
    return refuse("Choose whether approvers need a second factor.", { policy: "Choose required or off." });
  return inTransaction(async (tx) => {
    const before = await loadSecondFactorPolicy(tx);
    if (before === policy) return ok({ message: "The second-factor policy is unchanged." });
    await tx.appSetting.upsert({
      where: { key: SECOND_FACTOR_POLICY_SETTING },
      create: { key: SECOND_FACTOR_POLICY_SETTING, value: policy },
      update: { value: policy, updatedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "settings.second_factor_policy_changed",
      entityType: "settings",
      entityId: SECOND_FACTOR_POLICY_SETTING,
      before: { policy: before },
      after: { policy },
    });
    return ok({ message: policy === "required" ? "Approvers now need a second factor." : "Approvers no longer need a second factor." });
  });
}
