import { beforeAll, describe, expect, it } from "vitest";
import { changeMetrics, type ChangeMetrics } from "@/lib/server/metrics/change-metrics";
import { createTestCi, createTestUser, FORBIDDEN, readerWith, testDb } from "../support/fixtures";

// A small fixture whose figures are worked out by hand below. Period: January 2026; "now" is 1 February.
const t = (s: string) => new Date(`2026-${s}:00Z`);
const PERIOD = { start: t("01-01T00:00"), end: t("02-01T00:00") };
const NOW = t("02-01T00:00");
let metrics: ChangeMetrics;

beforeAll(async () => {
  const requester = await createTestUser();
  const tier4 = await createTestCi({ criticality: 4 });
  const tier2 = await createTestCi({ criticality: 2 });
  const change = (title: string, data: Record<string, unknown>, cis: string[]) =>
    testDb().changeRequest.create({
      data: { title, requesterId: requester.id, type: "normal", ...data, cis: { create: cis.map((ciId) => ({ ciId })) } } as never,
    });
  // A: normal, tier 4: authorized after 10 h, implemented 26 h after submission, successful.
  await change(
    "A",
    {
      state: "closed",
      submittedAt: t("01-02T00:00"),
      authorizedAt: t("01-02T10:00"),
      implementationStartedAt: t("01-03T00:00"),
      implementedAt: t("01-03T02:00"),
      outcome: "successful",
    },
    [tier4.id],
  );
  // B: normal, tier 2: authorized after 24 h, failed after 5 h of work (53 h lead), still in review since 7 January: overdue.
  await change(
    "B",
    {
      state: "review",
      submittedAt: t("01-05T00:00"),
      authorizedAt: t("01-06T00:00"),
      implementationStartedAt: t("01-07T00:00"),
      implementedAt: t("01-07T05:00"),
      outcome: "failed",
    },
    [tier2.id],
  );
  // C: emergency, tier 4: rolled back after 3 h (4 h lead); not a CAB change.
  await change(
    "C",
    {
      type: "emergency",
      state: "closed",
      submittedAt: t("01-10T00:00"),
      authorizedAt: t("01-10T01:00"),
      implementationStartedAt: t("01-10T01:00"),
      implementedAt: t("01-10T04:00"),
      outcome: "rolled_back",
    },
    [tier4.id],
  );
  // D: major on both tiers: authorized after 48 h, scheduled, not implemented.
  await change("D", { type: "major", state: "scheduled", submittedAt: t("01-12T00:00"), authorizedAt: t("01-14T00:00") }, [
    tier4.id,
    tier2.id,
  ]);
  // E: normal, returned for rework once: back in draft.
  await change("E", { state: "draft", submittedAt: t("01-20T00:00"), reworkCount: 1 }, [tier2.id]);
  // F: standard, tier 2: successful with issues, 25 h lead.
  await change(
    "F",
    {
      type: "standard",
      state: "closed",
      submittedAt: t("01-25T00:00"),
      authorizedAt: t("01-25T00:00"),
      implementationStartedAt: t("01-26T00:00"),
      implementedAt: t("01-26T01:00"),
      outcome: "successful_with_issues",
    },
    [tier2.id],
  );
  // G: before the period; H: a draft never submitted.
  await change(
    "G",
    {
      state: "closed",
      submittedAt: new Date("2025-12-01T00:00:00Z"),
      authorizedAt: new Date("2025-12-01T05:00:00Z"),
      implementationStartedAt: new Date("2025-12-02T00:00:00Z"),
      implementedAt: new Date("2025-12-02T01:00:00Z"),
      outcome: "successful",
    },
    [tier4.id],
  );
  await change("H", { state: "draft" }, [tier2.id]);
  metrics = await changeMetrics(readerWith(["auditor"]), PERIOD, NOW);
});

describe("the metrics dashboard's figures, against a hand-computed fixture", () => {
  it("are read by those who see every change; anyone else gets the 403, recorded", async () => {
    expect((await changeMetrics(readerWith(["change_manager"]), PERIOD, NOW)).successByType).toEqual(metrics.successByType);
    const admin = await createTestUser({ roles: ["admin", "cab_member"] });
    await expect(changeMetrics(admin.actor, PERIOD, NOW)).rejects.toMatchObject(FORBIDDEN);
    const denials = await testDb().auditEvent.findMany({ where: { actorId: admin.id, action: "authorization.denied" } });
    expect(denials.map((d) => d.entityId)).toEqual(["read:change.viewAll"]);
  });

  it("success rate by type: normal A ok, B failed; emergency C rolled back; standard F ok", () => {
    expect(metrics.successByType).toEqual([
      { type: "standard", total: 1, succeeded: 1, rate: 1 },
      { type: "normal", total: 2, succeeded: 1, rate: 0.5 },
      { type: "emergency", total: 1, succeeded: 0, rate: 0 },
    ]);
  });

  it("success rate by CI tier (highest criticality): tier 2 = B, F; tier 4 = A, C", () => {
    expect(metrics.successByTier).toEqual([
      { tier: 2, total: 2, succeeded: 1, rate: 0.5 },
      { tier: 4, total: 2, succeeded: 1, rate: 0.5 },
    ]);
  });

  it("emergency and rework rates over the six changes submitted in January", () => {
    expect(metrics.emergencyRate).toEqual({ submitted: 6, emergencies: 1, rate: 1 / 6 });
    expect(metrics.reworkRate).toEqual({ submitted: 6, reworked: 1, rate: 1 / 6 });
  });

  it("CAB cycle time of A, B, D = 10, 24, 48 h: median 24, p90 24 + 0.8 × 24 = 43.2", () => {
    expect(metrics.cabCycleHours.count).toBe(3);
    expect(metrics.cabCycleHours.median).toBeCloseTo(24, 6);
    expect(metrics.cabCycleHours.p90).toBeCloseTo(43.2, 6);
  });

  it("lead time of C, F, A, B = 4, 25, 26, 53 h: median 25.5, p90 26 + 0.7 × 27 = 44.9", () => {
    expect(metrics.leadTimeHours.count).toBe(4);
    expect(metrics.leadTimeHours.median).toBeCloseTo(25.5, 6);
    expect(metrics.leadTimeHours.p90).toBeCloseTo(44.9, 6);
  });

  it("MTTR of B (5 h) and C (3 h) is 4 h", () => {
    expect(metrics.mttrHours.count).toBe(2);
    expect(metrics.mttrHours.mean).toBeCloseTo(4, 6);
  });

  it("backlog by state now, and the one review past its deadline (B)", () => {
    expect(metrics.backlog).toEqual([
      { state: "draft", count: 2 },
      { state: "scheduled", count: 1 },
      { state: "review", count: 1 },
    ]);
    expect(metrics.reviewsOverdue).toBe(1);
  });
});
