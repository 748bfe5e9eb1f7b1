import { describe, expect, it } from "vitest";
import { SIGN_IN_BURST_LOOKBACK_DAYS } from "@/lib/domain/exception-reports";
import { authenticate } from "@/lib/server/auth/authenticate";
import { pruneSignInFailureMinutes } from "@/lib/server/auth/prune-sign-in-failures";
import { runReport } from "@/lib/server/reports/run-report";
import { createTestUser, readerWith, testDb } from "../support/fixtures";

// Failed sign-ins are unauthenticated: each one taking the audit log's head lock would let anyone
// queue every writer behind it. They are counted per account, address and minute instead.

async function failuresOf(email: string) {
  const events = await testDb().auditEvent.findMany({
    where: { action: "auth.sign_in_failed", after: { path: ["email"], equals: email } },
    select: { reason: true, after: true },
  });
  const minutes = await testDb().signInFailureMinute.findMany({ where: { account: email } });
  return { events, minutes, counted: minutes.reduce((n, m) => n + m.failures, 0) };
}

describe("failed sign-ins", () => {
  it("are one audit event per account, address and minute, while the throttle counts each", async () => {
    const user = await createTestUser({ password: "correct horse battery staple" });
    // The test environment locks an account after three failures.
    for (let i = 0; i < 3; i++) await authenticate({ email: user.email, password: `wrong ${i}` }, "198.51.100.20");
    const { events, minutes, counted } = await failuresOf(user.email);
    expect(counted).toBe(3);
    // One event per minute row (two only if the loop crossed a minute boundary).
    expect(events).toHaveLength(minutes.length);
    expect(events.length).toBeLessThanOrEqual(2);
    expect(events[0]).toMatchObject({ reason: "wrong password", after: { email: user.email, minute: expect.any(String) } });
    expect((await testDb().loginThrottle.findUnique({ where: { key: `account:${user.email}` } }))?.failures).toBe(3);

    // Attempts while locked are counted the same way, and still make no further event that minute.
    expect(await authenticate({ email: user.email, password: "correct horse battery staple" }, "198.51.100.20")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Too many/),
    });
    const after = await failuresOf(user.email);
    expect(after.counted).toBe(4);
    expect(after.events).toHaveLength(after.minutes.length);
  });

  it("from another address are another key", async () => {
    const email = `stranger-${Date.now()}@example.test`;
    await authenticate({ email, password: "wrong" }, "198.51.100.21");
    await authenticate({ email, password: "wrong" }, "198.51.100.22");
    const { events, minutes } = await failuresOf(email);
    expect(minutes.map((m) => m.address).sort()).toEqual(["198.51.100.21", "198.51.100.22"]);
    expect(events).toHaveLength(2);
  });

  it("at the same moment for the same key still make one event a minute", async () => {
    const email = `burst-${Date.now()}@example.test`;
    await Promise.all(Array.from({ length: 8 }, (_, i) => authenticate({ email, password: `wrong ${i}` }, "198.51.100.23")));
    const { events, minutes, counted } = await failuresOf(email);
    expect(counted).toBe(8);
    expect(events).toHaveLength(minutes.length);
    expect(events.length).toBeLessThanOrEqual(2);
  });

  it("still show as a burst in the report, from the counts", async () => {
    const email = `report-${Date.now()}@example.test`;
    for (let i = 0; i < 3; i++) await authenticate({ email, password: `wrong ${i}` }, "198.51.100.24");
    const rows = (await runReport(readerWith(["auditor"]), "failed-sign-in-bursts", { limit: 1000 }))!.rows as {
      account: string;
      address: string;
      failures: number;
    }[];
    const mine = rows.filter((r) => r.account === email);
    expect(mine.reduce((n, r) => n + r.failures, 0)).toBe(3);
    expect(mine).toEqual([expect.objectContaining({ account: email, address: "198.51.100.24", failures: 3 })]);
  });

  it("are pruned once older than the bursts report looks back, and only then", async () => {
    const account = `prune-${Date.now()}@example.test`;
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day);
    for (const daysAgo of [SIGN_IN_BURST_LOOKBACK_DAYS + 2, SIGN_IN_BURST_LOOKBACK_DAYS - 2, 0]) {
      const minute = at(daysAgo);
      await testDb().signInFailureMinute.create({
        data: { account, address: "198.51.100.30", minute, failures: 4, firstAt: minute, lastAt: minute },
      });
    }
    expect(await pruneSignInFailureMinutes()).toBeGreaterThanOrEqual(1);
    const kept = await testDb().signInFailureMinute.findMany({ where: { account }, orderBy: { minute: "asc" } });
    expect(kept.map((m) => Math.round((Date.now() - m.minute.getTime()) / day))).toEqual([SIGN_IN_BURST_LOOKBACK_DAYS - 2, 0]);
  });
});
