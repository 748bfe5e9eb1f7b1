import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { overlapping, scheduleIndex } from "@/lib/domain/schedule-index";
import type { ScheduledChange } from "@/lib/domain/schedule-conflicts";

const HOUR = 3_600_000;
const change = (n: number, start: number, hours: number | null): ScheduledChange => ({
  id: `c${n}`,
  number: n,
  title: `Change ${n}`,
  type: "normal",
  ciIds: [],
  implementerId: null,
  window: hours === null ? null : { start: new Date(start * HOUR), end: new Date((start + hours) * HOUR) },
});

describe("overlapping", () => {
  it("finds a long window that started well before the one asked about", () => {
    const index = scheduleIndex([change(1, 0, 100), change(2, 50, 1), change(3, 95, 2), change(4, 120, 1)]);
    expect(overlapping(index, { start: new Date(96 * HOUR), end: new Date(97 * HOUR) }).map((c) => c.number)).toEqual([1, 3]);
  });

  it("treats touching windows as not overlapping, and skips changes without a window", () => {
    const index = scheduleIndex([change(1, 0, 2), change(2, 4, 2), change(3, 0, null)]);
    expect(overlapping(index, { start: new Date(2 * HOUR), end: new Date(4 * HOUR) })).toEqual([]);
  });

  it("returns exactly the changes a scan of all of them would, in start order", () => {
    const windows = fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.option(fc.integer({ min: 1, max: 120 }))), { maxLength: 80 });
    fc.assert(
      fc.property(windows, fc.integer({ min: -50, max: 550 }), fc.integer({ min: 1, max: 48 }), (spec, start, hours) => {
        const changes = spec.map(([s, h], i) => change(i, s, h));
        const window = { start: new Date(start * HOUR), end: new Date((start + hours) * HOUR) };
        const scanned = changes
          .filter((c) => c.window && c.window.start < window.end && window.start < c.window.end)
          .sort((a, b) => a.window!.start.getTime() - b.window!.start.getTime() || 0);
        const found = overlapping(scheduleIndex(changes), window);
        expect(new Set(found.map((c) => c.id))).toEqual(new Set(scanned.map((c) => c.id)));
        expect(found.map((c) => c.window!.start.getTime())).toEqual(scanned.map((c) => c.window!.start.getTime()));
      }),
      { numRuns: 300 },
    );
  });
});
