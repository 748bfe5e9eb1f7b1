import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as deploymentsRoute from "@/app/api/v1/deployments/route";
import type { Result } from "@/lib/domain/result";
import { MAIL_SUBJECTS } from "@/lib/domain/mail-kinds";
import { escapeHtml } from "@/lib/domain/mail-message";
import { REVIEW_DEADLINE_DAYS, type NotificationKind } from "@/lib/domain/notification-kinds";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { assignImplementer } from "@/lib/server/changes/assign-implementer";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { deliverMail } from "@/lib/server/deliveries/deliver-mail";
import { mailMessageKey } from "@/lib/server/deliveries/enqueue-mails";
import { sweepNotifications } from "@/lib/server/notifications/sweep-notifications";
import { sendCabDigest } from "@/lib/server/reminders/send-cab-digest";
import { sweepReminders } from "@/lib/server/reminders/sweep-reminders";
import { callApi } from "../support/api-client";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver";

// Every mail the portal sends, each made by the step or sweep that sends it in production, received
// over real SMTP and parsed: subject, text, HTML (escaped), its link, and no secret anywhere in it.
const receiver: SmtpReceiver = await startSmtpReceiver(0);
process.env.SMTP_URL = receiver.url;
process.env.NEXTAUTH_URL = "https://changes.example.test";
process.env.MAIL_FROM = "Change portal <portal@example.test>";

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, implementer: U, manager: U, security: U, cab: U[], admin: U;
let botToken: string;

beforeAll(async () => {
  [requester, implementer, manager, security, admin] = await Promise.all([
    createTestUser({ roles: ["requester"] }),
    createTestUser({ roles: ["implementer"] }),
    createTestUser({ roles: ["change_manager"] }),
    createTestUser({ roles: ["security_reviewer"] }),
    createTestUser({ roles: ["admin"] }),
  ]);
  cab = await Promise.all([1, 2, 3].map(() => createTestUser({ roles: ["cab_member"] })));
  const account = await must(createServiceAccount(admin.actor, { name: "Deploy pipeline", roles: ["implementer"] }));
  const issued = await must(
    issueServiceAccountToken(admin.actor, { serviceAccountId: account.id, name: "ci", scopes: ["deployments:write"] }),
  );
  botToken = issued.token;
}, 60_000);

afterAll(async () => receiver.stop());

async function must<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const TITLE = `Mail <b>kinds</b> & "quotes"`;
const act = (who: U, changeId: string, action: string, extra: Record<string, unknown> = {}) =>
  must(performChangeAction(who.actor, { changeId, action, ...extra }));

/** A high-risk change (CAB quorum and a security reviewer) in authorization. */
async function inAuthorization(title: string): Promise<string> {
  const ci = await createTestCi({ criticality: 4, exposure: "internet_facing" });
  const { id } = await must(createChangeDraft(requester.actor, completeDraft([ci.id], { title, cves: "CVE-2026-4242 9.8 exploited" })));
  await act(requester, id, "submit");
  await act(manager, id, "start_assessment");
  await signAll(id, false);
  await act(manager, id, "request_authorization");
  return id;
}

/** Signs the change's pending checklist items (before authorization, or those due before implementation). */
async function signAll(id: string, preImplementation = true): Promise<void> {
  for (const item of await testDb().checklistItem.findMany({ where: { changeId: id, preImplementation, status: "pending" } }))
    await must(
      signOffItem(item.signerRole === "security_reviewer" ? security.actor : manager.actor, {
        changeId: id,
        key: item.key,
        evidence: "Checked.",
      }),
    );
}

async function submitted(title: string): Promise<string> {
  const { id } = await must(createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id], { title })));
  await act(requester, id, "submit");
  return id;
}

describe("each mail the portal sends", () => {
  it("arrives over SMTP from the step that sends it, with its subject, text, escaped HTML, link, and no secret", async () => {
    const main = await inAuthorization(TITLE);
    // Waiting for votes for two weeks: reminded, and escalated to the change managers.
    await testDb().$executeRaw`UPDATE approval_rounds r SET votes_requested_at = now() - interval '14 days' FROM change_requests c
      WHERE c.id = ${main}::uuid AND r.change_id = c.id AND r.number = c.approval_round`;
    expect(await sweepReminders(new Date(), [main])).toHaveLength(2);
    // Tuesday 10:00 UTC, two hours before the default cut-off (Tuesday 12:00 UTC).
    expect(await sendCabDigest(new Date("2026-12-15T10:00:00Z"))).toEqual(new Date("2026-12-15T12:00:00Z"));
    for (const voter of [...cab, security])
      await must(
        castVote(voter.actor, {
          changeId: main,
          role: voter === security ? "security_reviewer" : "cab_member",
          decision: "approve",
          comment: "Fine.",
        }),
      );
    await must(assignImplementer(manager.actor, { changeId: main, implementerId: implementer.id }));
    await act(manager, main, "schedule");
    await sweepNotifications({ id: implementer.id, roles: ["implementer"] }, new Date(Date.now() + 3_600_000));
    await signAll(main);
    await act(implementer, main, "start_implementation", { reason: "The owner asked for it today." });
    await act(implementer, main, "record_outcome", { outcome: "successful", outcomeNotes: "All green." });
    await sweepNotifications({ id: manager.id, roles: ["change_manager"] }, new Date(Date.now() + (REVIEW_DEADLINE_DAYS + 1) * 86_400_000));

    const rejected = await submitted("Rejected one");
    await act(manager, rejected, "reject", { reason: "Not now." });
    const returned = await submitted("Returned one");
    await act(manager, returned, "start_assessment");
    await act(manager, returned, "return_for_rework", { reason: "Say which hosts." });

    const pipelineRunUrl = "https://ci.example.test/acme/shop/actions/runs/1";
    const deployed = await callApi(deploymentsRoute.POST, {
      method: "POST",
      token: botToken,
      body: {
        environment: "production",
        ci: (await createTestCi()).name,
        digests: [`sha256:${randomBytes(32).toString("hex")}`],
        status: "succeeded",
        pipelineRunUrl,
      },
    });
    expect(deployed.status).toBe(200);

    // Every queued mail, sent by the worker's task to the real SMTP server.
    const queued = await testDb().delivery.findMany({ where: { channel: "email", status: "pending" }, select: { id: true } });
    expect(await Promise.all(queued.map((d) => deliverMail(d.id)))).toEqual(queued.map(() => "sent"));

    const link = (changeId: string) => `https://changes.example.test/changes/${changeId}`;
    const expected: { kind: NotificationKind; to: U; changeId: string | null; link: string | null }[] = [
      { kind: "sign_off_awaited", to: security, changeId: main, link: link(main) },
      { kind: "vote_awaited", to: cab[0]!, changeId: main, link: link(main) },
      { kind: "vote_reminder", to: cab[1]!, changeId: main, link: link(main) },
      { kind: "approval_escalated", to: manager, changeId: main, link: link(main) },
      { kind: "cab_digest", to: cab[2]!, changeId: null, link: "https://changes.example.test/cab" },
      { kind: "change_approved", to: requester, changeId: main, link: link(main) },
      { kind: "implementation_due", to: implementer, changeId: main, link: link(main) },
      { kind: "review_awaited", to: manager, changeId: main, link: link(main) },
      { kind: "review_overdue", to: manager, changeId: main, link: link(main) },
      { kind: "change_rejected", to: requester, changeId: rejected, link: link(rejected) },
      { kind: "change_returned", to: requester, changeId: returned, link: link(returned) },
      { kind: "deployment_unauthorized", to: security, changeId: null, link: null },
    ];
    const numbers = new Map(
      (await testDb().changeRequest.findMany({ where: { id: { in: [main, rejected, returned] } } })).map((c) => [c.id, c.number]),
    );
    const secrets = [
      process.env.AUTH_SECRET!,
      process.env.AUDIT_SIGNING_KEY!.split("\n")[1]!,
      decodeURIComponent(new URL(process.env.DATABASE_URL!).password),
      decodeURIComponent(new URL(process.env.TEST_OWNER_URL!).password),
      receiver.url,
      botToken,
      "correct horse battery staple",
    ].filter((s) => s.length >= 8);
    expect(secrets).toHaveLength(7);

    for (const e of expected) {
      const notification = await testDb().notification.findFirstOrThrow({ where: { kind: e.kind, userId: e.to.id, changeId: e.changeId } });
      const messageId = `<${mailMessageKey(notification.id)}@changes.example.test>`;
      const arrived = receiver.received.filter((r) => r.mail.messageId === messageId);
      expect(arrived, e.kind).toHaveLength(1);
      const { mail, raw, envelopeTo } = arrived[0]!;
      expect(envelopeTo, e.kind).toEqual([e.to.email]);
      const ref = e.changeId ? `[CHG-${String(numbers.get(e.changeId)).padStart(6, "0")}] ` : "";
      expect(mail.subject, e.kind).toBe(`${ref}${MAIL_SUBJECTS[e.kind]}`);
      expect(mail.from?.text).toBe(`"Change portal" <portal@example.test>`);
      expect(mail.text, e.kind).toContain(`Hello ${e.to.name},`);
      expect(mail.text, e.kind).toContain(notification.message);
      const html = String(mail.html);
      expect(html, e.kind).toContain(escapeHtml(notification.message).replaceAll("\n", "<br>\n"));
      if (e.link) {
        expect(mail.text, e.kind).toMatch(new RegExp(`^Open .+: ${e.link.replace(/[.]/g, "\\.")}$`, "m"));
        expect(html, e.kind).toContain(`<a href="${e.link}">`);
      } else expect(html, e.kind).not.toContain("/changes/");
      if (e.changeId === main || e.kind === "cab_digest") {
        expect(mail.text, e.kind).toContain(TITLE);
        expect(html, e.kind).toContain("Mail &lt;b&gt;kinds&lt;/b&gt; &amp; &quot;quotes&quot;");
        expect(html, e.kind).not.toContain("<b>kinds");
      }
      for (const secret of secrets)
        expect(
          [raw, mail.text, html].some((part) => part?.includes(secret)),
          e.kind,
        ).toBe(false);
    }
    const unauthorized = await testDb().notification.findFirstOrThrow({ where: { kind: "deployment_unauthorized", userId: security.id } });
    expect(unauthorized.message).toContain(pipelineRunUrl);
  }, 60_000);
});
