import { generate } from "otplib";
import { confirmTotpEnrolment, secondFactorStatus, startTotpEnrolment } from "@/lib/server/auth/totp-enrolment";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { completeDraft, createTestCi, testDb, type createTestUser } from "./fixtures";

// What the second-factor tests (pages and API) set up: an authenticator app, and a change awaiting votes.

type U = Awaited<ReturnType<typeof createTestUser>>;

/** Enrols an authenticator app for the user, at the clock's current time. */
export async function enrolTotp(user: U): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await startTotpEnrolment(user.actor);
  if (!started.ok) throw new Error(started.message);
  const status = await secondFactorStatus(user.actor);
  if (status.state !== "pending") throw new Error("no pending enrolment");
  const epoch = Math.floor(Date.now() / 1000);
  const confirmed = await confirmTotpEnrolment(user.actor, { code: await generate({ secret: status.secret, epoch }) });
  if (!confirmed.ok) throw new Error(confirmed.message);
  return { secret: status.secret, recoveryCodes: confirmed.value.recoveryCodes };
}

/** A change on a critical, internet-facing CI, assessed and signed off, waiting for the CAB's votes. */
export async function changeAwaitingVotes(requester: U, manager: U, security: U): Promise<string> {
  const item = await createTestCi({ criticality: 4, exposure: "internet_facing" });
  const created = await createChangeDraft(requester.actor, completeDraft([item.id], { title: "Needs the CAB" }));
  if (!created.ok) throw new Error(created.message);
  const changeId = created.value.id;
  await performChangeAction(requester.actor, { changeId, action: "submit" });
  await performChangeAction(manager.actor, { changeId, action: "start_assessment" });
  for (const i of await testDb().checklistItem.findMany({ where: { changeId, preImplementation: false } })) {
    await signOffItem(i.signerRole === "security_reviewer" ? security.actor : manager.actor, {
      changeId,
      key: i.key,
      evidence: "Checked.",
    });
  }
  await performChangeAction(manager.actor, { changeId, action: "request_authorization" });
  return changeId;
}
