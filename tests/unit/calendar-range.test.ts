import { describe, expect, it } from "vitest";
import { calendarDays, isoDay, shiftAnchor, weekStart } from "@/lib/domain/calendar-range";

const d = (s: string) => new Date(`${s}T12:00:00Z`);

describe("calendar ranges", () => {
  it("starts weeks on Monday", () => {
    expect(isoDay(weekStart(d("2026-03-05")))).toBe("2026-03-02");
    expect(isoDay(weekStart(d("2026-03-08")))).toBe("2026-03-02"); // a Sunday
    expect(isoDay(weekStart(d("2026-03-02")))).toBe("2026-03-02");
  });

  it("covers a month with whole weeks", () => {
    const days = calendarDays("month", d("2026-02-14"));
    expect(isoDay(days[0]!)).toBe("2026-01-26");
    expect(isoDay(days.at(-1)!)).toBe("2026-03-01");
    expect(days).toHaveLength(35);
    expect(calendarDays("week", d("2026-03-05")).map(isoDay)).toEqual([
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-07",
      "2026-03-08",
    ]);
  });

  it("moves by a month or a week", () => {
    expect(isoDay(shiftAnchor("month", d("2026-01-31"), 1))).toBe("2026-02-01");
    expect(isoDay(shiftAnchor("week", d("2026-03-05"), -1))).toBe("2026-02-26");
  });
});
