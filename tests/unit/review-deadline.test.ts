import { describe, expect, it } from "vitest";
import { retrospectiveReviewStatus } from "@/lib/domain/review-deadline";
import { windowTiming } from "@/lib/domain/implementation-window";

const implementedAt = new Date("2026-03-02T10:00:00Z");
const deadline = new Date("2026-03-07T10:00:00Z");
const emergency = { type: "emergency", state: "review", implementedAt, reviewedAt: null };

describe("an emergency's retrospective review deadline", () => {
  it("is five days after implementation, overdue once past", () => {
    expect(retrospectiveReviewStatus(emergency, new Date("2026-03-07T10:00:00Z"))).toEqual({ kind: "due", deadline, overdue: false });
    expect(retrospectiveReviewStatus(emergency, new Date("2026-03-07T10:00:01Z"))).toEqual({ kind: "due", deadline, overdue: true });
  });

  it("says whether a recorded review was late", () => {
    expect(
      retrospectiveReviewStatus(
        { ...emergency, state: "closed", reviewedAt: new Date("2026-03-06T00:00:00Z") },
        new Date("2026-04-01T00:00:00Z"),
      ),
    ).toMatchObject({ kind: "reviewed", late: false });
    expect(
      retrospectiveReviewStatus(
        { ...emergency, state: "closed", reviewedAt: new Date("2026-03-08T00:00:00Z") },
        new Date("2026-04-01T00:00:00Z"),
      ),
    ).toMatchObject({ kind: "reviewed", late: true });
  });

  it("counts from the outcome while the change is being implemented, and not at all before", () => {
    expect(retrospectiveReviewStatus({ ...emergency, state: "implementing", implementedAt: null }, implementedAt)).toEqual({
      kind: "after_outcome",
    });
    for (const state of ["draft", "authorization", "rejected", "cancelled"])
      expect(retrospectiveReviewStatus({ ...emergency, state, implementedAt: null }, implementedAt)).toBeNull();
  });

  it("does not apply to other types", () => {
    for (const type of ["standard", "normal", "major"]) expect(retrospectiveReviewStatus({ ...emergency, type }, implementedAt)).toBeNull();
  });
});

describe("an implementation's timing against its approved window", () => {
  const window = { plannedStart: new Date("2026-03-05T20:00:00Z"), plannedEnd: new Date("2026-03-05T21:00:00Z") };
  it.each([
    ["2026-03-05T19:59:59.999Z", "before"],
    ["2026-03-05T20:00:00Z", "inside"],
    ["2026-03-05T21:00:00Z", "inside"],
    ["2026-03-05T21:00:00.001Z", "after"],
  ] as const)("%s is %s", (now, timing) => {
    expect(windowTiming(window, new Date(now))).toBe(timing);
  });

  it("has nothing to say without a window", () => {
    expect(windowTiming({ plannedStart: null, plannedEnd: null }, new Date())).toBe("no_window");
  });
});
