import { beforeAll, describe, expect, it, vi } from "vitest";
import { changeReference } from "@/lib/domain/change-visibility";
import type { Actor } from "@/lib/server/auth/current-actor";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { inTransaction } from "@/lib/server/db/transaction";
import { countReport, runReport } from "@/lib/server/reports/run-report";
import { createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  currentActor: async () => session.actor,
}));
const { GET } = await import("@/app/api/audit/reports/[slug]/route");

const AUDITOR = readerWith(["auditor"]);
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
let requester: Awaited<ReturnType<typeof createTestUser>>;
let security: Awaited<ReturnType<typeof createTestUser>>;
const numbers: Record<string, number> = {};

async function change(name: string, data: Record<string, unknown>, review?: { reviewedAt: Date }) {
  const created = await testDb().changeRequest.create({
    data: { type: "normal", title: name, requesterId: requester.id, ...data },
    select: { id: true, number: true },
  });
  if (review) {
    await testDb().postImplementationReview.create({
      data: {
        changeId: created.id,
        worksAsIntended: true,
        securityControlsInPlace: true,
        monitoringCovers: true,
        documentationUpdated: true,
        reviewedById: security.id,
        reviewedAt: review.reviewedAt,
      },
    });
  }
  numbers[name] = created.number;
  return created;
}
const references = async (slug: string) =>
  ((await runReport(AUDITOR, slug, { limit: 1000 }))!.rows as { number: number }[]).map((r) => r.number);

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  security = await createTestUser({ roles: ["security_reviewer", "cab_member"] });
  const window = { plannedStart: ago(3), plannedEnd: new Date(ago(3).getTime() + 2 * 3_600_000) };
  // Emergency reviews: overdue and open, reviewed late, reviewed in time, still inside the deadline.
  await change("emergency overdue", { type: "emergency", state: "review", implementedAt: ago(10), implementationStartedAt: ago(10) });
  await change(
    "emergency reviewed late",
    { type: "emergency", state: "closed", implementedAt: ago(10), closedAt: ago(1) },
    { reviewedAt: ago(2) },
  );
  await change(
    "emergency reviewed in time",
    { type: "emergency", state: "closed", implementedAt: ago(10), closedAt: ago(8) },
    { reviewedAt: ago(8) },
  );
  await change("emergency recent", { type: "emergency", state: "review", implementedAt: ago(1) });
  // Windows: early start, late finish, inside.
  await change("started early", {
    state: "review",
    ...window,
    implementationStartedAt: new Date(window.plannedStart.getTime() - 3_600_000),
    implementedAt: window.plannedEnd,
  });
  await change("finished late", {
    state: "review",
    ...window,
    implementationStartedAt: window.plannedStart,
    implementedAt: new Date(window.plannedEnd.getTime() + 60_000),
  });
  await change(
    "inside window",
    { state: "closed", ...window, implementationStartedAt: window.plannedStart, implementedAt: window.plannedEnd, closedAt: ago(1) },
    { reviewedAt: ago(1) },
  );
  // A waiver.
  const waived = await change("waived", { state: "authorization" });
  await testDb().checklistItem.create({
    data: {
      changeId: waived.id,
      key: "threat_model",
      title: "Threat model",
      signerRole: "security_reviewer",
      evidenceWanted: "link",
      status: "waived",
      signedById: security.id,
      signedAt: ago(1),
      compensatingControl: "WAF rule 42",
      residualRisk: "Low: internal only",
    },
  });
  // Failed sign-ins: a burst of three for one account, two for another (no burst).
  await inTransaction(async (tx) => {
    for (let i = 0; i < 3; i++)
      await appendAuditEvent(tx, {
        actor: null,
        action: "auth.sign_in_failed",
        entityType: "session",
        after: { email: "victim@example.test" },
        reason: "wrong password",
        clientAddress: "203.0.113.9",
      });
    for (let i = 0; i < 2; i++)
      await appendAuditEvent(tx, {
        actor: null,
        action: "auth.sign_in_failed",
        entityType: "session",
        after: { email: "typo@example.test" },
        reason: "wrong password",
        clientAddress: "203.0.113.10",
      });
    await appendAuditEvent(tx, { actor: security, action: "auth.signed_in", entityType: "session", clientAddress: "10.0.0.2" });
  });
});

describe("exception reports", () => {
  it("emergency changes past their review deadline: open and overdue, or reviewed late", async () => {
    expect(await references("overdue-emergency-reviews")).toEqual([numbers["emergency overdue"], numbers["emergency reviewed late"]]);
    const [open] = (await runReport(AUDITOR, "overdue-emergency-reviews"))!.rows as { reviewedAt: Date | null; deadline: Date }[];
    expect(open!.reviewedAt).toBeNull();
    expect(open!.deadline.getTime()).toBeCloseTo(ago(5).getTime(), -4);
  });

  it("changes implemented outside their approved window, saying how", async () => {
    const { rows } = (await runReport(AUDITOR, "outside-approved-window"))!;
    expect(rows).toEqual([
      expect.objectContaining({ number: numbers["started early"], breach: "started before the window" }),
      expect.objectContaining({ number: numbers["finished late"], breach: "finished after the window" }),
    ]);
  });

  it("changes closed without a post-implementation review: none, and one inserted behind the lifecycle's back is found", async () => {
    expect(await countReport(AUDITOR, "closed-without-review")).toBe(0);
    await change("closed behind the lifecycle's back", { state: "closed", closedAt: ago(1) });
    expect(await references("closed-without-review")).toEqual([numbers["closed behind the lifecycle's back"]]);
  });

  it("waivers with who waived, the compensating control and the residual risk", async () => {
    expect((await runReport(AUDITOR, "waivers"))!.rows).toEqual([
      expect.objectContaining({
        number: numbers.waived,
        item: "Threat model",
        waivedBy: security.email,
        compensatingControl: "WAF rule 42",
        residualRisk: "Low: internal only",
      }),
    ]);
  });

  it("access review: holders of approving or bypassing roles only, with their last sign-in", async () => {
    const { rows } = (await runReport(AUDITOR, "access-review", { limit: 1000 }))! as {
      rows: { email: string; roles: string[]; lastSignIn: Date | null }[];
    };
    expect(rows.map((r) => r.email)).not.toContain(requester.email);
    expect(rows.find((r) => r.email === security.email)).toMatchObject({
      roles: ["cab_member", "security_reviewer"],
      lastSignIn: expect.any(Date),
    });
  });

  it("failed sign-in bursts from the audit log", async () => {
    expect((await runReport(AUDITOR, "failed-sign-in-bursts"))!.rows).toEqual([
      expect.objectContaining({ account: "victim@example.test", address: "203.0.113.9", failures: 3, lockedNow: false }),
    ]);
  });

  it("reads for auditors and admins only: anyone else gets the 403, recorded", async () => {
    expect(await countReport(readerWith(["admin"]), "outside-approved-window")).toBe(2);
    const manager = await createTestUser({ roles: ["change_manager", "security_reviewer"] });
    await expect(runReport(manager.actor, "outside-approved-window")).rejects.toMatchObject(FORBIDDEN);
    await expect(countReport(manager.actor, "outside-approved-window")).rejects.toMatchObject(FORBIDDEN);
    const denials = await testDb().auditEvent.findMany({ where: { actorId: manager.id, action: "authorization.denied" } });
    expect(denials.map((d) => d.entityId)).toEqual(["read:audit.read", "read:audit.read"]);
  });

  it("pages by keyset: one row at a time gives every row once", async () => {
    const all = await references("outside-approved-window");
    const walked: number[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof runReport>> = await runReport(AUDITOR, "outside-approved-window", { after, limit: 1 });
      walked.push(...(page!.rows as { number: number }[]).map((r) => r.number));
      after = page!.nextCursor;
    } while (after);
    expect(walked).toEqual(all);
  });

  it("exports a report as CSV for auditors (audited), 403 for a requester, 401 without a session, 404 for no such report", async () => {
    session.actor = (await createTestUser({ roles: ["auditor"] })).actor;
    const params = (slug: string) => ({ params: Promise.resolve({ slug }) });
    const response = await GET(new Request("http://x"), params("outside-approved-window"));
    expect(response.headers.get("content-type")).toContain("text/csv");
    const text = await response.text();
    const records = text.trimEnd().split("\r\n");
    expect(records[0]).toBe("change,title,type,planned_start,planned_end,implementation_started_at,implemented_at,breach");
    expect(records.slice(1).map((r) => r.split(",")[0])).toEqual([
      changeReference(numbers["started early"]!),
      changeReference(numbers["finished late"]!),
    ]);
    const events = await readAuditEvents({ limit: 100_000 });
    expect(events.findLast((e) => e.action === "audit.report_exported")).toMatchObject({
      actorId: session.actor.id,
      entityId: "outside-approved-window",
    });
    expect((await GET(new Request("http://x"), params("nope"))).status).toBe(404);
    session.actor = requester.actor;
    expect((await GET(new Request("http://x"), params("waivers"))).status).toBe(403);
    session.actor = null;
    expect((await GET(new Request("http://x"), params("waivers"))).status).toBe(401);
  });
});
