import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { scanPolicyFormSchema } from "@/lib/domain/scan-policy-form";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { refuseUnlessCan } from "../auth/refuse-unless-can";
import { inTransaction } from "../db/transaction";
import { loadScanPolicy, SCAN_POLICY_SETTING } from "./scan-policy";

/** An admin saves the scan policy; an audit event records before and after. Changes judged afterwards use it. */
export async function saveScanPolicy(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessCan(actor, "config.manage", "settings.scan_policy", "Only an admin changes the scan policy.");
  if (refused) return refused;
  const parsed = safeParseInput(scanPolicyFormSchema, input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error.issues);
    return refuse(fieldErrors.form ?? "Check the highlighted fields.", fieldErrors);
  }
  const after = parsed.data;
  return inTransaction(async (tx) => {
    const before = await loadScanPolicy(tx);
    if (JSON.stringify(before) === JSON.stringify(after)) return ok({ message: "The scan policy is unchanged." });
    await tx.appSetting.upsert({
      where: { key: SCAN_POLICY_SETTING },
      create: { key: SCAN_POLICY_SETTING, value: after },
      update: { value: after, updatedAt: new Date() },
    });
    await appendAuditEvent(tx, {
      actor,
      action: "settings.scan_policy_changed",
      entityType: "settings",
      entityId: SCAN_POLICY_SETTING,
      before,
      after,
    });
    return ok({ message: "The scan policy is saved. Changes are judged by it from now on." });
  });
}
