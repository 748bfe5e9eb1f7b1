import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Result } from "@/lib/domain/result";
import { DEFAULT_REMINDER_SETTINGS } from "@/lib/domain/reminder-settings";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import * as votesRoute from "@/app/api/v1/changes/[id]/votes/route";
import { issueOwnToken } from "@/lib/server/api-tokens/issue-token";
import { createDelegation } from "@/lib/server/delegations/create-delegation";
import { endDelegation } from "@/lib/server/delegations/end-delegation";
import { deliverMail } from "@/lib/server/deliveries/deliver-mail";
import { unreadCount } from "@/lib/server/notifications/notification-inbox";
import { saveReminderSettings } from "@/lib/server/reminders/reminder-settings";
import { sendCabDigest } from "@/lib/server/reminders/send-cab-digest";
import { sweepReminders } from "@/lib/server/reminders/sweep-reminders";
import { callApi } from "../support/api-client";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver";

// Read when the app first calls env(): a real SMTP server receives the reminder mails.
const receiver: SmtpReceiver = await startSmtpReceiver(Number(process.env.SMTP_TEST_PORT || 25500) + 7);
process.env.SMTP_URL = receiver.url;
process.env.NEXTAUTH_URL = "https://changes.example.test";
process.env.MAIL_FROM = "Change portal <portal@example.test>";

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, manager2: U, security: U, cab1: U, cab2: U, cab3: U, deputy: U, bot: U, admin: U;

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  manager2 = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
  const cab = await Promise.all([1, 2, 3].map(() => createTestUser({ roles: ["cab_member"] })));
  [cab1, cab2, cab3] = [cab[0]!, cab[1]!, cab[2]!];
  bot = await createTestUser({ roles: ["requester"] });
  await testDb().user.update({ where: { id: bot.id }, data: { kind: "service_account" } });
  admin = await createTestUser({ roles: ["admin"] });
}, 60_000);

afterAll(async () => receiver.stop());

const must = async <T>(result: Promise<Result<T>>): Promise<T> => {
  const r = await result;
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

/** A high-risk normal change in authorization: CAB quorum (3) and a security reviewer. */
async function inAuthorization(by: U = requester, title = "Rotate TLS certificates"): Promise<string> {
  const ci = await createTestCi({ criticality: 4, exposure: "internet_facing" });
  const { id } = await must(createChangeDraft(by.actor, completeDraft([ci.id], { title, cves: "CVE-2026-4242 9.8 exploited" })));
  await must(performChangeAction(by.actor, { changeId: id, action: "submit" }));
  await must(performChangeAction(manager.actor, { changeId: id, action: "start_assessment" }));
  for (const item of await testDb().checklistItem.findMany({ where: { changeId: id, preImplementation: false } }))
    await must(
      signOffItem(item.signerRole === "security_reviewer" ? security.actor : manager.actor, {
        changeId: id,
        key: item.key,
        evidence: "Checked.",
      }),
    );
  await must(performChangeAction(manager.actor, { changeId: id, action: "request_authorization" }));
  return id;
}

/** Sets when the round's votes were asked for: the reminders' clock is then ours to read. */
async function votesRequestedAt(changeId: string, at: string): Promise<void> {
  await testDb().$executeRaw`UPDATE approval_rounds r SET votes_requested_at = ${new Date(at)} FROM change_requests c
    WHERE c.id = ${changeId}::uuid AND r.change_id = c.id AND r.number = c.approval_round`;
}

const snapshot = async (changeId: string) => {
  const change = await testDb().changeRequest.findUniqueOrThrow({
    where: { id: changeId },
    select: { state: true, version: true, authorizedAt: true },
  });
  const votes = await testDb().vote.findMany({ where: { changeId }, orderBy: { castAt: "asc" } });
  return { change, votes };
};
const notified = async (changeId: string, kind: string) =>
  (await testDb().notification.findMany({ where: { changeId, kind }, select: { userId: true } })).map((n) => n.userId).sort();
const events = (changeId: string, action: string) => testDb().auditEvent.findMany({ where: { changeId, action } });

describe("reminders and escalation (UTC, Monday to Friday 09:00-17:00)", () => {
  it("reminds after 8 business hours, escalates after 24, each once, and never moves the change or its votes", async () => {
    const id = await inAuthorization();
    await must(castVote(cab1.actor, { changeId: id, role: "cab_member", decision: "approve", comment: "Fine." }));
    await votesRequestedAt(id, "2026-12-11T09:00:00Z"); // a Friday morning
    const before = await snapshot(id);

    expect((await sweepReminders(new Date("2026-12-11T16:59:00Z"))).filter((k) => k.includes(id))).toEqual([]);
    // The weekend does not count: Friday's 8 hours are the reminder's, reached at Friday 17:00.
    expect((await sweepReminders(new Date("2026-12-13T12:00:00Z"))).filter((k) => k.includes(id))).toEqual([
      `vote:${id}:${Date.parse("2026-12-11T09:00:00Z")}:reminder`,
    ]);
    expect(await notified(id, "vote_reminder")).toEqual([cab2.id, cab3.id, security.id].sort());
    expect(await snapshot(id)).toEqual(before);
    expect((await sweepReminders(new Date("2026-12-13T12:00:00Z"))).filter((k) => k.includes(id))).toEqual([]);
    expect(await events(id, "change.reminder_sent")).toHaveLength(1);

    // Friday 8 + Monday 8 + Tuesday 8 business hours: escalated on Tuesday at 17:00, not before.
    expect((await sweepReminders(new Date("2026-12-15T16:59:00Z"))).filter((k) => k.includes(id))).toEqual([]);
    expect((await sweepReminders(new Date("2026-12-15T17:00:00Z"))).filter((k) => k.includes(id))).toHaveLength(1);
    expect(await notified(id, "approval_escalated")).toEqual([manager.id, manager2.id].sort());
    expect(await snapshot(id)).toEqual(before);
    await sweepReminders(new Date("2027-01-30T12:00:00Z"));
    expect(await snapshot(id)).toEqual(before);
    expect(await events(id, "change.approval_escalated")).toHaveLength(1);
    expect(await notified(id, "approval_escalated")).toHaveLength(2);

    // The reminder's mail arrives over SMTP.
    const mails = await testDb().delivery.findMany({ where: { changeId: id, kind: "vote_reminder" } });
    for (const m of mails) await deliverMail(m.id);
    const got = receiver.received.filter((r) => r.mail.subject?.includes("Reminder: your vote is still awaited"));
    expect(got.map((r) => r.envelopeTo[0]).sort()).toEqual([cab2.email, cab3.email, security.email].sort());
    expect(got[0]!.mail.text).toContain("business hours");
  });

  it("counts an emergency on the clock, in minutes", async () => {
    const ci = await createTestCi();
    const { id } = await must(
      createChangeDraft(requester.actor, completeDraft([ci.id], { type: "emergency", emergencyJustification: "Active exploitation." })),
    );
    await must(performChangeAction(requester.actor, { changeId: id, action: "submit" }));
    const round = await testDb().approvalRound.findFirstOrThrow({ where: { changeId: id } });
    expect(round.votesRequestedAt).not.toBeNull();
    await votesRequestedAt(id, "2026-12-12T22:00:00Z"); // Saturday night
    await testDb().$executeRaw`UPDATE change_requests SET submitted_at = ${new Date("2026-12-12T22:00:00Z")} WHERE id = ${id}::uuid`;
    const before = await snapshot(id);
    // An emergency starts from authorization: its votes and its pre-implementation sign-offs are awaited at once.
    const steps = (keys: string[]) =>
      keys
        .filter((k) => k.includes(id))
        .map((k) => `${k.split(":")[0]} ${k.split(":")[3]}`)
        .sort();
    expect(steps(await sweepReminders(new Date("2026-12-12T22:29:00Z")))).toEqual([]);
    expect(steps(await sweepReminders(new Date("2026-12-12T22:30:00Z")))).toEqual(["readiness reminder", "vote reminder"]);
    expect(steps(await sweepReminders(new Date("2026-12-12T23:00:00Z")))).toEqual(["readiness escalation", "vote escalation"]);
    // One escalation each, to each change manager.
    expect(await notified(id, "approval_escalated")).toEqual([manager.id, manager.id, manager2.id, manager2.id].sort());
    expect(await snapshot(id)).toEqual(before);
  });

  it("sends each step once when two workers sweep at the same moment", async () => {
    const id = await inAuthorization();
    await votesRequestedAt(id, "2026-12-07T09:00:00Z");
    const now = new Date("2026-12-10T12:00:00Z");
    const [a, b] = await Promise.all([sweepReminders(now), sweepReminders(now)]);
    expect([...a, ...b].filter((k) => k.includes(id)).sort()).toEqual([
      `vote:${id}:${Date.parse("2026-12-07T09:00:00Z")}:escalation`,
      `vote:${id}:${Date.parse("2026-12-07T09:00:00Z")}:reminder`,
    ]);
    expect(await events(id, "change.reminder_sent")).toHaveLength(1);
    expect(await events(id, "change.approval_escalated")).toHaveLength(1);
    expect(await notified(id, "vote_reminder")).toEqual([cab1.id, cab2.id, cab3.id, security.id].sort());
  });

  it("reminds and escalates an approved change's pre-implementation sign-offs, from its approval, like votes", async () => {
    const id = await inAuthorization(requester, "Readiness awaited");
    for (const [who, role] of [
      [cab1, "cab_member"],
      [cab2, "cab_member"],
      [cab3, "cab_member"],
      [security, "security_reviewer"],
    ] as const)
      await must(castVote(who.actor, { changeId: id, role, decision: "approve", comment: "Fine." }));
    await must(performChangeAction(manager.actor, { changeId: id, action: "schedule" }));
    const pending = await testDb().checklistItem.findMany({ where: { changeId: id, preImplementation: true, status: "pending" } });
    expect(pending.map((i) => i.signerRole)).toContain("change_manager");
    const approvedAt = "2026-12-14T09:00:00Z"; // a Monday morning
    await testDb().$executeRaw`UPDATE change_requests SET authorized_at = ${new Date(approvedAt)} WHERE id = ${id}::uuid`;
    const since = Date.parse(approvedAt);
    const before = await snapshot(id);

    expect((await sweepReminders(new Date("2026-12-14T16:59:00Z"))).filter((k) => k.includes(id))).toEqual([]);
    expect((await sweepReminders(new Date("2026-12-14T17:00:00Z"))).filter((k) => k.includes(id))).toEqual([
      `readiness:${id}:${since}:reminder`,
    ]);
    expect(await notified(id, "sign_off_reminder")).toEqual([manager.id, manager2.id].sort());
    const [reminded] = await testDb().notification.findMany({ where: { changeId: id, kind: "sign_off_reminder" } });
    expect(reminded!.message).toMatch(/waited 8 business hours for pre-implementation checklist sign-offs \(Change manager\)/);
    expect((await sweepReminders(new Date("2026-12-16T16:59:00Z"))).filter((k) => k.includes(id))).toEqual([]);
    expect((await sweepReminders(new Date("2026-12-16T17:00:00Z"))).filter((k) => k.includes(id))).toEqual([
      `readiness:${id}:${since}:escalation`,
    ]);
    expect(await notified(id, "approval_escalated")).toEqual([manager.id, manager2.id].sort());
    expect((await events(id, "change.approval_escalated"))[0]!.after).toMatchObject({ awaiting: "readiness", step: "escalation" });
    expect(await snapshot(id)).toEqual(before);
    expect(await testDb().changeRequest.findUniqueOrThrow({ where: { id }, select: { state: true } })).toEqual({ state: "scheduled" });
  });

  it("withdraws the vote-awaited notifications when the round closes", async () => {
    const id = await inAuthorization();
    const awaited = await testDb().notification.findMany({ where: { changeId: id, kind: "vote_awaited" } });
    expect(awaited.length).toBeGreaterThan(0);
    const unreadBefore = await unreadCount(cab3.id);
    await must(castVote(security.actor, { changeId: id, role: "security_reviewer", decision: "reject", comment: "Not safe." }));
    await must(performChangeAction(manager.actor, { changeId: id, action: "reject", reason: "Vetoed by security." }));
    const after = await testDb().notification.findMany({ where: { changeId: id, kind: "vote_awaited" } });
    expect(after.every((n) => n.withdrawnAt !== null)).toBe(true);
    expect(await unreadCount(cab3.id)).toBe(unreadBefore - 1);
  });
});

describe("delegation", () => {
  // Created here, after the reminders' tests: security reviewers, so the digest's recipients stay as they are.
  let partyDeputy: U;
  beforeAll(async () => {
    deputy = await createTestUser({ roles: ["security_reviewer"] });
    partyDeputy = await createTestUser({ roles: ["requester", "security_reviewer"] });
  });
  const week = () => {
    const start = new Date(Date.now() - 60_000);
    const iso = (d: Date) => d.toISOString().slice(0, 16);
    return { startsAt: iso(start), endsAt: iso(new Date(start.getTime() + 7 * 86_400_000)) };
  };

  it("lets a delegate vote once, on behalf, counted as the delegator's; creating, using and ending are audited", async () => {
    const id = await inAuthorization();
    await must(createDelegation(cab2.actor, { delegateId: deputy.id, ...week(), reason: "On leave" }));
    const [created] = await testDb().auditEvent.findMany({ where: { action: "delegation.created", actorId: cab2.id } });
    expect(created).toBeDefined();

    expect(await castVote(deputy.actor, { changeId: id, role: "cab_member", decision: "approve", onBehalfOf: cab2.id })).toMatchObject({
      ok: true,
    });
    const [vote] = await testDb().vote.findMany({ where: { changeId: id } });
    expect(vote).toMatchObject({ voterId: deputy.id, onBehalfOfId: cab2.id, role: "cab_member" });
    const [cast] = await events(id, "change.vote_cast");
    expect(cast!.after).toMatchObject({ onBehalfOf: cab2.id, role: "cab_member" });
    expect(cast!.actorId).toBe(deputy.id);

    // Delegate and delegator cannot both count: the delegator's own vote is refused.
    expect(await castVote(cab2.actor, { changeId: id, role: "cab_member", decision: "approve" })).toMatchObject({ ok: false });
    expect(await testDb().vote.count({ where: { changeId: id } })).toBe(1);

    const [delegation] = await testDb().delegation.findMany({ where: { delegatorId: cab2.id } });
    await must(endDelegation(cab2.actor, { id: delegation!.id }));
    expect(await testDb().auditEvent.count({ where: { action: "delegation.ended", entityId: delegation!.id } })).toBe(1);
    const other = await inAuthorization();
    const late = await castVote(deputy.actor, { changeId: other, role: "cab_member", decision: "approve", onBehalfOf: cab2.id });
    expect(late).toMatchObject({ ok: false });
    if (!late.ok) expect(late.message).toMatch(/not .*delegate at this time/);
  });

  it("refuses a delegate who is party to the change (segregation of duties per change), and a vote for one who is not your delegator", async () => {
    await must(createDelegation(cab3.actor, { delegateId: partyDeputy.id, ...week() }));
    const id = await inAuthorization(partyDeputy);
    const refused = await castVote(partyDeputy.actor, { changeId: id, role: "cab_member", decision: "approve", onBehalfOf: cab3.id });
    expect(refused).toMatchObject({ ok: false });
    if (!refused.ok) expect(refused.message).toMatch(/You requested this change/);
    expect(await castVote(deputy.actor, { changeId: id, role: "cab_member", decision: "approve", onBehalfOf: cab1.id })).toMatchObject({
      ok: false,
      message: "You are not that person's delegate.",
    });
    expect(await testDb().vote.count({ where: { changeId: id } })).toBe(0);
    expect(await testDb().auditEvent.count({ where: { changeId: id, action: "change.action_refused" } })).toBe(2);
  });

  it("takes onBehalfOf through the API's vote, under the same rules as the page's, and the change shows whose vote it is", async () => {
    const id = await inAuthorization(requester, "Voted through the API by a delegate");
    await must(createDelegation(cab1.actor, { delegateId: deputy.id, ...week(), reason: "Conference" }));
    const token = (await must(issueOwnToken(deputy.actor, { name: "deputy's script", scopes: ["changes:read", "changes:write"] }))).token;
    const vote = (body: unknown, as = token) => callApi(votesRoute.POST, { method: "POST", token: as, params: { id }, body });

    const notDelegator = await vote({ role: "cab_member", decision: "approve", onBehalfOf: cab3.id });
    expect(notDelegator.status).toBe(403);
    expect(await notDelegator.json()).toMatchObject({ detail: "You are not that person's delegate." });
    expect((await vote({ role: "cab_member", decision: "approve", onBehalfOf: "cab1" })).status).toBe(422);

    const cast = await vote({ role: "cab_member", decision: "approve", comment: "For Robin, on leave.", onBehalfOf: cab1.id });
    expect(cast.status).toBe(200);
    const change = (await cast.json()) as { votes: { voter: { name: string }; onBehalfOf: { name: string } | null }[] };
    expect(change.votes).toEqual([expect.objectContaining({ voter: { name: deputy.actor.name }, onBehalfOf: { name: cab1.actor.name } })]);
    const [stored] = await testDb().vote.findMany({ where: { changeId: id } });
    expect(stored).toMatchObject({ voterId: deputy.id, onBehalfOfId: cab1.id, role: "cab_member" });

    // Counted once, as the delegator's: their own vote, through the API too, is refused.
    const cab1Token = (await must(issueOwnToken(cab1.actor, { name: "cab1's script", scopes: ["changes:read", "changes:write"] }))).token;
    expect((await vote({ role: "cab_member", decision: "approve" }, cab1Token)).status).toBe(403);
    // Segregation of duties per change, as on the page: no delegated vote on a change the delegate requested.
    const own = await inAuthorization(partyDeputy, "Requested by the delegate");
    const partyToken = (await must(issueOwnToken(partyDeputy.actor, { name: "party's script", scopes: ["changes:read", "changes:write"] })))
      .token;
    const party = await callApi(votesRoute.POST, {
      method: "POST",
      token: partyToken,
      params: { id: own },
      body: { role: "cab_member", decision: "approve", onBehalfOf: cab3.id },
    });
    expect(party.status).toBe(403);
    expect(((await party.json()) as { detail: string }).detail).toMatch(/You requested this change/);
    expect(await testDb().vote.count({ where: { changeId: { in: [id, own] } } })).toBe(1);
  });

  it("asks an active delegate for the delegator's vote when a round opens, by notification and mail", async () => {
    await must(createDelegation(cab2.actor, { delegateId: deputy.id, ...week(), reason: "Away this week" }));
    const id = await inAuthorization(requester, "Opened while a CAB member is away");
    const toDeputy = await testDb().notification.findMany({ where: { changeId: id, kind: "vote_awaited", userId: deputy.id } });
    const forCab2 = toDeputy.find((n) => n.message.includes(cab2.actor.name));
    expect(forCab2?.message).toMatch(new RegExp(`awaits the vote of ${cab2.actor.name}, whose delegate you are\\.$`));
    const [mail] = await testDb().delivery.findMany({ where: { messageKey: `mail.${forCab2!.id}` } });
    expect(await deliverMail(mail!.id)).toBe("sent");
    const got = receiver.received.find((r) => r.envelopeTo[0] === deputy.email && r.mail.text?.includes(`the vote of ${cab2.actor.name}`));
    expect(got?.mail.subject).toContain("Your vote is awaited");
    // The delegator is asked as before; a delegation ended before the round opens asks nobody.
    expect(await testDb().notification.count({ where: { changeId: id, kind: "vote_awaited", userId: cab2.id } })).toBe(1);
    const [delegation] = await testDb().delegation.findMany({ where: { delegatorId: cab2.id, endedAt: null } });
    await must(endDelegation(cab2.actor, { id: delegation!.id }));
    const later = await inAuthorization(requester, "Opened after the CAB member is back");
    const after = await testDb().notification.findMany({ where: { changeId: later, kind: "vote_awaited", userId: deputy.id } });
    expect(after.some((n) => n.message.includes(cab2.actor.name))).toBe(false);
  });

  it("never makes a service account (or a non-approver) a delegate, nor lets a requester-only user delegate", async () => {
    const toBot = await createDelegation(security.actor, { delegateId: bot.id, ...week() });
    expect(toBot).toMatchObject({ ok: false, message: expect.stringContaining("A service account cannot be a delegate") });
    expect(await createDelegation(requester.actor, { delegateId: cab1.id, ...week() })).toMatchObject({ ok: false });
    expect(await createDelegation(security.actor, { delegateId: admin.id, ...week() })).toMatchObject({ ok: false });
    expect(await createDelegation(security.actor, { delegateId: "not-a-uuid", ...week() })).toMatchObject({ ok: false });
    expect(await testDb().delegation.count({ where: { delegatorId: { in: [security.id, requester.id] } } })).toBe(0);
    expect(await testDb().auditEvent.count({ where: { action: "delegation.refused", actorId: security.id } })).toBe(2);
  });
});

describe("the CAB digest", () => {
  it("mails the changes awaiting votes once per cut-off, within its lead time", async () => {
    const id = await inAuthorization(requester, "Digest candidate");
    expect(await saveReminderSettings(cab1.actor, DEFAULT_REMINDER_SETTINGS)).toMatchObject({ ok: false });
    await must(
      saveReminderSettings(admin.actor, {
        ...DEFAULT_REMINDER_SETTINGS,
        timeZone: "Europe/Berlin",
        cabCutOffDays: [3],
        cabCutOffTime: "14:00",
        digestLeadHours: 4,
      }),
    );
    // Wednesday 2026-12-16 14:00 Berlin is 13:00 UTC.
    expect(await sendCabDigest(new Date("2026-12-16T08:59:00Z"))).toBeNull();
    const [first, second] = await Promise.all([
      sendCabDigest(new Date("2026-12-16T09:00:00Z")),
      sendCabDigest(new Date("2026-12-16T09:05:00Z")),
    ]);
    expect([first, second].filter(Boolean).map((d) => d!.toISOString())).toEqual(["2026-12-16T13:00:00.000Z"]);
    const digests = await testDb().notification.findMany({ where: { kind: "cab_digest" } });
    expect(digests.map((d) => d.userId).sort()).toEqual([cab1.id, cab2.id, cab3.id, manager.id, manager2.id].sort());
    const { number } = await testDb().changeRequest.findUniqueOrThrow({ where: { id }, select: { number: true } });
    expect(digests[0]!.message).toContain(`CHG-${String(number).padStart(6, "0")} "Digest candidate"`);
    expect(await testDb().auditEvent.count({ where: { action: "cab.digest_sent" } })).toBe(1);
    const mail = await testDb().delivery.findFirstOrThrow({ where: { kind: "cab_digest", recipientId: cab1.id } });
    await deliverMail(mail.id);
    const got = receiver.received.find((r) => r.envelopeTo.includes(cab1.email) && r.mail.subject?.startsWith("CAB digest"));
    expect(got?.mail.html).toContain("Digest candidate");
  });
});
