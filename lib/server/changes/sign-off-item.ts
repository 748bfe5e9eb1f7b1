import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { z } from "zod";
import { decideSignOff } from "@/lib/domain/decide-sign-off";
import { decideWaiver } from "@/lib/domain/decide-waiver";
import { fieldErrorsOf, refuse, type Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { runChangeStep, type StepDone } from "./run-change-step";

const base = {
  changeId: z.string().uuid("Unknown change."),
  key: z.string().min(1).max(100),
  version: z.coerce.number().int().positive().optional(),
};
const said = (min: number, what: string) => z.string().trim().min(min, what).max(10_000, "Use at most 10,000 characters.");
export const signOffInputSchema = z.object({ ...base, evidence: said(3, "Say what evidence you checked (a link, a report, a ticket).") });
export const waiverInputSchema = z.object({
  ...base,
  compensatingControl: said(3, "Name the compensating control."),
  residualRisk: said(3, "Describe the residual risk that remains."),
  expiresAt: z
    .string()
    .trim()
    .max(40, "Enter a date and time.")
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const date = new Date(v);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: "Enter a date and time." });
        return z.NEVER;
      }
      return date;
    })
    .describe("When the waiver lapses (ISO 8601 with an offset); required for the scan policy item"),
});

/** Signs one checklist item with its evidence. */
export async function signOffItem(actor: Actor | null, input: unknown): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(signOffInputSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { changeId, key, evidence, version } = parsed.data;
  return runChangeStep(actor, {
    changeId,
    version,
    decide: (facts) => decideSignOff(facts, actor, key, evidence),
    write: (tx) =>
      tx.checklistItem
        .update({
          where: { changeId_key: { changeId, key } },
          data: {
            status: "signed",
            signedById: actor.id,
            signedAt: new Date(),
            evidence,
            compensatingControl: null,
            residualRisk: null,
            waiverExpiresAt: null,
          },
        })
        .then(() => undefined),
    message: "Signed off.",
  });
}

/** Waives one checklist item: only a security reviewer, always with a compensating control and the residual risk. */
export async function waiveItem(actor: Actor | null, input: unknown): Promise<Result<StepDone>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(waiverInputSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { changeId, key, compensatingControl, residualRisk, expiresAt, version } = parsed.data;
  const now = new Date();
  return runChangeStep(actor, {
    changeId,
    version,
    now,
    decide: (facts) => decideWaiver(facts, actor, key, { compensatingControl, residualRisk, expiresAt, now }),
    write: (tx) =>
      tx.checklistItem
        .update({
          where: { changeId_key: { changeId, key } },
          data: { status: "waived", signedById: actor.id, signedAt: now, compensatingControl, residualRisk, waiverExpiresAt: expiresAt },
        })
        .then(() => undefined),
    message: "Waiver recorded with its compensating control and residual risk.",
  });
}
