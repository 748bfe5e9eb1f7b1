import { describe, expect, it } from "vitest";
import {
  exceptionCovers,
  freezeStatus,
  scheduleConflicts,
  type ScheduleContext,
  type ScheduledChange,
} from "@/lib/domain/schedule-conflicts";
import { freezeCovers, insideMaintenanceWindow, type FreezeWindowFacts, type ScheduleCi } from "@/lib/domain/schedule-windows";

const at = (iso: string) => new Date(`${iso}Z`);
const win = (start: string, end: string) => ({ start: at(start), end: at(end) });

// 2026-03-05 is a Thursday (weekday 4).
const ci = (id: string, extra: Partial<ScheduleCi> = {}): ScheduleCi => ({
  id,
  name: id,
  environment: "production",
  tags: [],
  maintenanceWindows: [],
  ...extra,
});
const change = (extra: Partial<ScheduledChange> = {}): ScheduledChange => ({
  id: "me",
  number: 1,
  title: "Mine",
  type: "normal",
  window: win("2026-03-05T20:00", "2026-03-05T21:00"),
  ciIds: ["api"],
  implementerId: "impl",
  ...extra,
});
const freeze = (extra: Partial<FreezeWindowFacts> = {}): FreezeWindowFacts => ({
  id: "f1",
  reason: "Quarter-end close",
  scope: "all",
  environments: [],
  tags: [],
  ...win("2026-03-05T00:00", "2026-03-06T00:00"),
  ...extra,
});
const context = (extra: Partial<ScheduleContext> = {}): ScheduleContext => ({
  change: change(),
  cis: [ci("api"), ci("web"), ci("db"), ci("other")],
  freezes: [],
  others: [],
  edges: [
    { ciId: "web", dependsOnId: "api" },
    { ciId: "api", dependsOnId: "db" },
  ],
  exception: null,
  ...extra,
});
const kinds = (ctx: ScheduleContext) => scheduleConflicts(ctx).map((c) => `${c.kind}:${c.severity}`);

describe("freeze rule", () => {
  it("blocks a normal change inside a freeze that covers its CI, and says how to proceed", () => {
    const [conflict] = scheduleConflicts(context({ freezes: [freeze()] }));
    expect(conflict).toMatchObject({ kind: "freeze", severity: "block" });
    expect(conflict!.message).toContain("Quarter-end close");
    expect(conflict!.proceed).toMatch(/freeze exception.*change manager.*security reviewer/);
  });

  it("lets an emergency through (info), and never a major change", () => {
    expect(kinds(context({ change: change({ type: "emergency" }), freezes: [freeze()] }))).toEqual(["freeze:info"]);
    expect(kinds(context({ change: change({ type: "major" }), freezes: [freeze()] }))).toEqual(["freeze:block"]);
  });

  it("does not block when both approvals of an exception for this very window are in", () => {
    const exception = { window: win("2026-03-05T20:00", "2026-03-05T21:00"), managerApproved: true, securityApproved: true };
    expect(kinds(context({ freezes: [freeze()], exception }))).toEqual(["freeze:info"]);
    expect(kinds(context({ freezes: [freeze()], exception: { ...exception, securityApproved: false } }))).toEqual(["freeze:block"]);
    // Asked for another window: the change was rescheduled since.
    expect(
      kinds(context({ freezes: [freeze()], exception: { ...exception, window: win("2026-03-05T19:00", "2026-03-05T21:00") } })),
    ).toEqual(["freeze:block"]);
  });

  it("ignores freezes that do not overlap (end is exclusive) or do not cover the CIs", () => {
    expect(kinds(context({ freezes: [freeze(win("2026-03-05T21:00", "2026-03-06T00:00"))] }))).toEqual([]);
    expect(kinds(context({ freezes: [freeze({ scope: "environments", environments: ["staging"] })] }))).toEqual([]);
    expect(kinds(context({ freezes: [freeze({ scope: "tags", tags: ["pci"] })] }))).toEqual([]);
    expect(kinds(context({ cis: [ci("api", { tags: ["pci"] })], freezes: [freeze({ scope: "tags", tags: ["pci"] })] }))).toEqual([
      "freeze:block",
    ]);
  });

  it("matches scope by environment or tag", () => {
    expect(freezeCovers({ scope: "environments", environments: ["production"], tags: [] }, [ci("a")])).toBe(true);
    expect(
      freezeCovers({ scope: "environments", environments: ["staging"], tags: [] }, [ci("a"), ci("b", { environment: "staging" })]),
    ).toBe(true);
    expect(freezeCovers({ scope: "tags", environments: [], tags: ["hipaa"] }, [ci("a", { tags: ["pci"] })])).toBe(false);
  });

  it("feeds the lifecycle's insideFreeze and freezeExceptionGranted", () => {
    expect(freezeStatus(context({ freezes: [freeze()] }))).toEqual({ insideFreeze: true, freezeExceptionGranted: false });
    expect(freezeStatus(context({ change: change({ window: null }), freezes: [freeze()] }))).toEqual({
      insideFreeze: false,
      freezeExceptionGranted: false,
    });
    expect(exceptionCovers(null, win("2026-03-05T20:00", "2026-03-05T21:00"))).toBe(false);
  });
});

describe("maintenance window rule", () => {
  const thursdayEvening = { weekday: 4, startMinute: 19 * 60, durationMinutes: 180 };
  it("warns when the change does not fit a CI's weekly slot, and names the slot", () => {
    const inside = context({ cis: [ci("api", { maintenanceWindows: [thursdayEvening] })] });
    expect(kinds(inside)).toEqual([]);
    const outside = context({
      change: change({ window: win("2026-03-05T21:30", "2026-03-05T22:30") }),
      cis: [ci("api", { maintenanceWindows: [thursdayEvening] })],
    });
    const [conflict] = scheduleConflicts(outside);
    expect(conflict).toMatchObject({ kind: "maintenance", severity: "warning" });
    expect(conflict!.message).toContain("Thursday 19:00–22:00 UTC");
  });

  it("has no opinion on a CI with no maintenance windows", () => {
    expect(kinds(context())).toEqual([]);
  });

  it("handles a slot that runs past midnight into the next week", () => {
    const saturdayNight = [{ weekday: 6, startMinute: 22 * 60, durationMinutes: 240 }];
    // 2026-03-08 is a Sunday: 01:00-02:00 lies in Saturday's slot of the previous week.
    expect(insideMaintenanceWindow(win("2026-03-08T01:00", "2026-03-08T02:00"), saturdayNight)).toBe(true);
    expect(insideMaintenanceWindow(win("2026-03-08T01:00", "2026-03-08T03:00"), saturdayNight)).toBe(false);
    expect(insideMaintenanceWindow(win("2026-03-07T21:00", "2026-03-07T23:00"), saturdayNight)).toBe(false);
  });
});

describe("overlapping change rule", () => {
  const other = (extra: Partial<ScheduledChange>): ScheduledChange => ({
    id: "o",
    number: 42,
    title: "Other",
    type: "normal",
    window: win("2026-03-05T20:30", "2026-03-05T22:00"),
    ciIds: ["other"],
    implementerId: "someone",
    ...extra,
  });

  it("warns about another change on the same CI in an overlapping window, linking it", () => {
    const [conflict] = scheduleConflicts(context({ others: [other({ ciIds: ["api"] })] }));
    expect(conflict).toMatchObject({ kind: "overlap", severity: "warning", other: { id: "o", number: 42 } });
    expect(conflict!.message).toContain("CHG-000042");
  });

  it("names the other change's CIs through ciName when they are not among the listed CIs", () => {
    const names = new Map([["web", "Web storefront"]]);
    const [conflict] = scheduleConflicts(context({ cis: [ci("api")], others: [other({ ciIds: ["web"] })], ciName: (id) => names.get(id) }));
    expect(conflict!.message).toContain("Web storefront, which depends on this change's configuration items");
  });

  it("warns about a change on a CI that depends on ours, and on one ours depends on", () => {
    expect(kinds(context({ others: [other({ ciIds: ["web"] })] }))).toEqual(["overlap:warning"]);
    expect(kinds(context({ others: [other({ ciIds: ["db"] })] }))).toEqual(["overlap:warning"]);
  });

  it("is silent for unrelated CIs, windows that only touch, and the change itself", () => {
    expect(kinds(context({ others: [other({})] }))).toEqual([]);
    expect(kinds(context({ others: [other({ ciIds: ["api"], window: win("2026-03-05T21:00", "2026-03-05T22:00") })] }))).toEqual([]);
    expect(kinds(context({ others: [other({ id: "me", ciIds: ["api"] })] }))).toEqual([]);
  });
});

describe("implementer rule", () => {
  it("warns when the implementer is booked on another change at the same time", () => {
    const booked = {
      id: "o",
      number: 7,
      title: "Elsewhere",
      type: "normal" as const,
      window: win("2026-03-05T18:00", "2026-03-05T20:30"),
      ciIds: ["other"],
      implementerId: "impl",
    };
    const [conflict] = scheduleConflicts(context({ others: [booked] }));
    expect(conflict).toMatchObject({ kind: "implementer", severity: "warning", other: { id: "o" } });
    expect(kinds(context({ change: change({ implementerId: null }), others: [booked] }))).toEqual([]);
  });

  it("lists blocks before warnings", () => {
    const ctx = context({
      freezes: [freeze()],
      others: [
        {
          id: "o",
          number: 7,
          title: "x",
          type: "normal",
          window: win("2026-03-05T20:00", "2026-03-05T20:30"),
          ciIds: ["api"],
          implementerId: "impl",
        },
      ],
    });
    expect(kinds(ctx)).toEqual(["freeze:block", "overlap:warning", "implementer:warning"]);
  });
});

describe("summarizeConflicts", () => {
  it("keeps the blocks and counts the rest by kind, in words", async () => {
    const { summarizeConflicts } = await import("@/lib/domain/schedule-conflicts");
    const warn = (kind: "overlap" | "maintenance" | "implementer") => ({ kind, severity: "warning" as const, message: kind, proceed: "" });
    const block = { kind: "freeze" as const, severity: "block" as const, message: "inside the freeze", proceed: "move it" };
    const summary = summarizeConflicts([warn("overlap"), block, warn("overlap"), warn("maintenance"), warn("implementer")]);
    expect(summary.blocks).toEqual([block]);
    expect(summary.others).toBe("2 overlapping changes, 1 CI maintenance window missed, 1 double booking of the implementer");
    expect(summarizeConflicts([block]).others).toBeNull();
    expect(summarizeConflicts([{ kind: "freeze", severity: "info", message: "", proceed: "" }]).others).toBe(
      "1 freeze the change may run in",
    );
  });
});
