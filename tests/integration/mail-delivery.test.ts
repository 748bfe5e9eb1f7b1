import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { inTransaction } from "@/lib/server/db/transaction";
import { deliverMail } from "@/lib/server/deliveries/deliver-mail";
import { enqueueMails, mailMessageKey } from "@/lib/server/deliveries/enqueue-mails";
import { readMailPreferences, saveMailPreferences } from "@/lib/server/deliveries/mail-preferences";
import { rescueStaleDeliveries } from "@/lib/server/deliveries/rescue-deliveries";
import { retryDelivery } from "@/lib/server/deliveries/retry-delivery";
import { startWorker } from "@/lib/server/worker/run-worker";
import { MAIL_SUBJECTS } from "@/lib/domain/mail-kinds";
import { NOTIFICATION_KINDS } from "@/lib/domain/notification-kinds";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver";

// Read when the app first calls env(): a real SMTP server, short backoffs, a short lock wait.
const receiver: SmtpReceiver = await startSmtpReceiver(Number(process.env.SMTP_TEST_PORT || 25500));
process.env.SMTP_URL = receiver.url;
process.env.NEXTAUTH_URL = "https://changes.example.test";
process.env.MAIL_FROM = "Change portal <portal@example.test>";
process.env.DELIVERY_MAX_ATTEMPTS = "3";
process.env.DELIVERY_BACKOFF_BASE_MS = "100";
process.env.DELIVERY_BACKOFF_MAX_MS = "400";
process.env.DB_LOCK_TIMEOUT_MS = "500";

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, security: U, admin: U;
const runners: Runner[] = [];

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
  admin = await createTestUser({ roles: ["admin"] });
});

afterAll(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  await receiver.stop();
});

function worker(): Promise<Runner> {
  return startWorker({ connectionString: process.env.DATABASE_URL, concurrency: 3, pollInterval: 100 }).then((r) => {
    runners.push(r);
    return r;
  });
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function submittedChange(title: string): Promise<string> {
  const created = await createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id], { title }));
  if (!created.ok) throw new Error(created.message);
  expect(await performChangeAction(requester.actor, { changeId: created.value.id, action: "submit" })).toMatchObject({ ok: true });
  return created.value.id;
}

const deliveriesOf = (changeId: string) => testDb().delivery.findMany({ where: { changeId }, orderBy: { target: "asc" } });
async function jobsFor(deliveryIds: string[]): Promise<number> {
  const [row] = await testDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE key = ANY(${deliveryIds.map((id) => `delivery:${id}`)}::text[])`;
  return row!.n;
}

describe("the outbox", () => {
  it("enqueues a step's mails with their jobs in its transaction, and nothing when the step rolls back", async () => {
    const changeId = await submittedChange("Outbox atomicity");
    // Another session holds the audit chain's head: the step writes its notifications and mails,
    // then cannot append its audit event in time, and rolls back whole.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    let busy: unknown;
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT seq FROM audit_chain_head WHERE id = 1 FOR UPDATE");
      busy = await performChangeAction(manager.actor, { changeId, action: "start_assessment" });
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect(busy).toMatchObject({ ok: false, message: expect.stringMatching(/Someone else is working on this/) });
    expect(await testDb().notification.count({ where: { changeId } })).toBe(0);
    expect(await deliveriesOf(changeId)).toEqual([]);

    expect(await performChangeAction(manager.actor, { changeId, action: "start_assessment" })).toMatchObject({ ok: true });
    const mails = await deliveriesOf(changeId);
    // Sign-offs are awaited from a change manager and a security reviewer; never the requester.
    expect(mails.map((m) => m.target).sort()).toEqual([manager.email, security.email].sort());
    expect(mails.every((m) => m.status === "pending" && m.kind === "sign_off_awaited")).toBe(true);
    expect(await jobsFor(mails.map((m) => m.id))).toBe(2);
    const notifications = await testDb().notification.findMany({ where: { changeId }, select: { id: true } });
    expect(mails.map((m) => m.messageKey).sort()).toEqual(notifications.map((n) => mailMessageKey(n.id)).sort());
  });
});

describe("mail over SMTP", () => {
  it("arrives with its subject, text, escaped HTML, the change's link and a stable Message-ID", async () => {
    const changeId = await submittedChange(`Rotate <script>alert(1)</script> & "certs"`);
    expect(await performChangeAction(manager.actor, { changeId, action: "start_assessment" })).toMatchObject({ ok: true });
    const [mail] = (await deliveriesOf(changeId)).filter((d) => d.target === security.email);
    await worker();
    const messageId = `<${mail!.messageKey}@changes.example.test>`;
    const [arrived] = await waitFor(
      "the mail",
      async () => receiver.received.filter((r) => r.mail.messageId === messageId),
      (r) => r.length >= 1,
    );
    expect(arrived!.envelopeTo).toEqual([security.email]);
    const got = arrived!.mail;
    const number = (await testDb().changeRequest.findUniqueOrThrow({ where: { id: changeId } })).number;
    const link = `https://changes.example.test/changes/${changeId}`;
    expect(got.subject).toBe(`[CHG-${String(number).padStart(6, "0")}] Checklist items await your sign-off`);
    expect(got.from?.text).toBe(`"Change portal" <portal@example.test>`);
    expect(got.to && !Array.isArray(got.to) ? got.to.text : "").toBe(security.email);
    expect(got.text).toContain(`Hello ${security.name},`);
    expect(got.text).toContain(`Rotate <script>alert(1)</script> & "certs"`);
    expect(got.text).toContain(`Open the change: ${link}`);
    expect(got.html).toContain(`<a href="${link}">`);
    expect(got.html).toContain("Rotate &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;certs&quot;");
    expect(got.html).not.toContain("<script>");
    await waitFor(
      "both sent",
      () => deliveriesOf(changeId),
      (d) => d.every((x) => x.status === "sent"),
    );
    expect((await deliveriesOf(changeId)).map((d) => [d.attempts, d.transport])).toEqual([
      [1, "smtp"],
      [1, "smtp"],
    ]);
  });
});

/** Mails queued straight through the outbox (as a step would), to the given users. */
async function queueMails(users: U[], kind = "change_approved"): Promise<string[]> {
  const notifications = users.map((u) => ({ id: randomUUID(), userId: u.id, kind, changeId: null, message: "A test message." }));
  await inTransaction((tx) => enqueueMails(tx, notifications));
  const rows = await testDb().delivery.findMany({ where: { messageKey: { in: notifications.map((n) => mailMessageKey(n.id)) } } });
  return rows.map((r) => r.id);
}

describe("every kind of mail", () => {
  it("arrives over SMTP with its own subject, and links to its change", async () => {
    const person = await createTestUser({ roles: ["requester"] });
    const changeId = await submittedChange("Every kind");
    const notifications = NOTIFICATION_KINDS.map((kind) => ({
      id: randomUUID(),
      userId: person.id,
      kind,
      changeId,
      message: `About ${kind}.`,
    }));
    await inTransaction((tx) => enqueueMails(tx, notifications));
    if (runners.length === 0) await worker();
    const ids = new Set(notifications.map((n) => `<${mailMessageKey(n.id)}@changes.example.test>`));
    const { number } = await testDb().changeRequest.findUniqueOrThrow({ where: { id: changeId } });
    const arrived = await waitFor(
      "one mail of each kind",
      async () => receiver.received.filter((r) => ids.has(r.mail.messageId ?? "")),
      (r) => r.length === ids.size,
    );
    for (const n of notifications) {
      const got = arrived.find((r) => r.mail.messageId === `<${mailMessageKey(n.id)}@changes.example.test>`)!.mail;
      expect(got.subject).toBe(`[CHG-${String(number).padStart(6, "0")}] ${MAIL_SUBJECTS[n.kind]}`);
      expect(got.text).toContain(`About ${n.kind}.`);
      expect(got.html).toContain(`https://changes.example.test/changes/${changeId}`);
    }
  });
});

describe("a failing receiver", () => {
  it("is retried with growing, jittered delays, and the delivery dies after the last attempt", async () => {
    // No worker runs here: the attempts are made one by one below.
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    const broken = await createTestUser({ roles: ["requester"], email: `broken-${Date.now()}@example.test` });
    receiver.failFor(/^broken-/);
    const [id] = await queueMails([broken]);
    // Attempts run here, one by one, to read each delay (a worker started later finds them dead).
    const delays: number[] = [];
    for (const expected of ["retrying", "retrying", "dead"] as const) {
      const before = Date.now();
      expect(await deliverMail(id!)).toBe(expected);
      const row = await testDb().delivery.findUniqueOrThrow({ where: { id: id! } });
      if (row.nextAttemptAt) delays.push(row.nextAttemptAt.getTime() - before);
    }
    // Base 100 ms doubling, each between half and all of its step (plus the time the attempt took).
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThan(100 + 1_000);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    const dead = await testDb().delivery.findUniqueOrThrow({ where: { id: id! } });
    expect(dead).toMatchObject({ status: "dead", attempts: 3, nextAttemptAt: null });
    expect(dead.lastError).toMatch(/451/);
    expect(dead.lastError).not.toContain(receiver.url);
    expect(dead.deadAt).not.toBeNull();
  });

  it("delivers after temporary failures through the worker, and an admin's retry revives a dead one", async () => {
    const flaky = await createTestUser({ roles: ["requester"], email: `flaky-${Date.now()}@example.test` });
    receiver.failFor(/^flaky-/, 2);
    const [id] = await queueMails([flaky]);
    if (runners.length === 0) await worker();
    const sent = await waitFor(
      "the flaky mail",
      () => testDb().delivery.findUniqueOrThrow({ where: { id: id! } }),
      (d) => d.status === "sent",
    );
    expect(sent.attempts).toBe(3);

    const doomed = await createTestUser({ roles: ["requester"], email: `doomed-${Date.now()}@example.test` });
    receiver.failFor(/^doomed-/, 3);
    const [deadId] = await queueMails([doomed]);
    await waitFor(
      "the dead mail",
      () => testDb().delivery.findUniqueOrThrow({ where: { id: deadId! } }),
      (d) => d.status === "dead",
    );
    expect(await retryDelivery(requester.actor, { deliveryId: deadId })).toMatchObject({
      ok: false,
      message: "Only an admin can retry deliveries.",
    });
    expect(await retryDelivery(admin.actor, { deliveryId: "not-a-uuid" })).toMatchObject({ ok: false });
    expect(await retryDelivery(admin.actor, { deliveryId: deadId })).toMatchObject({ ok: true });
    const revived = await waitFor(
      "the retried mail",
      () => testDb().delivery.findUniqueOrThrow({ where: { id: deadId! } }),
      (d) => d.status === "sent",
    );
    expect(revived.attempts).toBe(1);
    expect(await retryDelivery(admin.actor, { deliveryId: deadId })).toMatchObject({
      ok: false,
      message: "That message was already delivered.",
    });
    expect(receiver.received.filter((r) => r.envelopeTo.includes(doomed.email))).toHaveLength(1);
  });
});

describe("two workers", () => {
  it("never deliver one message twice", async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => createTestUser({ roles: ["requester"] })));
    receiver.setDelayMs(30);
    while (runners.length < 2) await worker();
    const ids = await queueMails(people);
    await waitFor(
      "all twelve",
      () => testDb().delivery.findMany({ where: { id: { in: ids } } }),
      (d) => d.every((x) => x.status === "sent"),
    );
    receiver.setDelayMs(0);
    const keys = (await testDb().delivery.findMany({ where: { id: { in: ids } } })).map((d) => `<${d.messageKey}@changes.example.test>`);
    const arrived = receiver.received.filter((r) => keys.includes(r.mail.messageId ?? ""));
    expect(arrived).toHaveLength(12);
    expect(new Set(arrived.map((r) => r.mail.messageId)).size).toBe(12);
  });

  it("claim a delivery one at a time even when both are handed the same one", async () => {
    const person = await createTestUser({ roles: ["requester"] });
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    const [id] = await queueMails([person]);
    const outcomes = await Promise.all([deliverMail(id!), deliverMail(id!)]);
    expect(outcomes.sort()).toEqual(["sent", "skipped"]);
    expect(await deliverMail(id!)).toBe("skipped");
    expect(receiver.received.filter((r) => r.envelopeTo.includes(person.email))).toHaveLength(1);
  });
});

describe("a worker killed mid-delivery", () => {
  it("leaves a claim that is rescued once stale, and the receiver sees the message's one id", async () => {
    const person = await createTestUser({ roles: ["requester"] });
    const [id] = await queueMails([person]);
    // As a worker that claimed it and died before recording anything.
    await testDb()
      .$executeRaw`UPDATE deliveries SET status = 'sending', attempts = 1, claimed_at = now() - interval '11 minutes' WHERE id = ${id}::uuid`;
    const fresh = await queueMails([person]);
    await testDb().$executeRaw`UPDATE deliveries SET status = 'sending', attempts = 1, claimed_at = now() WHERE id = ${fresh[0]}::uuid`;
    expect(await rescueStaleDeliveries()).toBe(1);
    expect(await deliverMail(fresh[0]!)).toBe("skipped");
    expect(await deliverMail(id!)).toBe("sent");
    const row = await testDb().delivery.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect(receiver.received.filter((r) => r.mail.messageId === `<${row.messageKey}@changes.example.test>`)).toHaveLength(1);
  });
});

describe("mail preferences", () => {
  it("leave out the kinds a user turned off, but never a mail that asks them to act", async () => {
    const lead = await createTestUser({ roles: ["requester", "security_reviewer"] });
    expect(await saveMailPreferences(lead.actor, { enabled: ["not_a_kind"] })).toMatchObject({ ok: false });
    // Nothing ticked: everything off that may be off.
    expect(await saveMailPreferences(lead.actor, { enabled: [] })).toMatchObject({ ok: true });
    const prefs = await readMailPreferences(lead.id);
    expect(prefs.find((p) => p.kind === "change_rejected")).toEqual({ kind: "change_rejected", enabled: false, locked: false });
    expect(prefs.find((p) => p.kind === "sign_off_awaited")).toEqual({ kind: "sign_off_awaited", enabled: true, locked: true });

    const other = await createChangeDraft(requester.actor, completeDraft([(await createTestCi()).id]));
    if (!other.ok) throw new Error(other.message);
    await performChangeAction(requester.actor, { changeId: other.value.id, action: "submit" });
    await performChangeAction(manager.actor, { changeId: other.value.id, action: "start_assessment" });
    const own = await createChangeDraft(lead.actor, completeDraft([(await createTestCi()).id]));
    if (!own.ok) throw new Error(own.message);
    await performChangeAction(lead.actor, { changeId: own.value.id, action: "submit" });
    expect(await performChangeAction(manager.actor, { changeId: own.value.id, action: "reject", reason: "Not now." })).toMatchObject({
      ok: true,
    });

    const toLead = await testDb().delivery.findMany({ where: { recipientId: lead.id } });
    expect(toLead.map((d) => d.kind)).toEqual(["sign_off_awaited"]);
    expect(await testDb().notification.count({ where: { userId: lead.id, kind: "change_rejected" } })).toBe(1);
  });
});
