import { formatMinuteOfDay, formatUtcRange, WEEKDAY_LABELS } from "./utc-time";

/** A half-open interval [start, end). */
export type TimeWindow = { start: Date; end: Date };

export const FREEZE_SCOPES = ["all", "environments", "tags"] as const;
export type FreezeScope = (typeof FREEZE_SCOPES)[number];
export const FREEZE_SCOPE_LABELS = { all: "Everything", environments: "Environments", tags: "CI tags" } as const satisfies Record<
  FreezeScope,
  string
>;

export type FreezeWindowFacts = TimeWindow & {
  id: string;
  reason: string;
  scope: FreezeScope;
  environments: readonly string[];
  tags: readonly string[];
};

/** A weekly slot in UTC: weekday 0 = Sunday, as Date.getUTCDay(). */
export type WeeklySlot = { weekday: number; startMinute: number; durationMinutes: number };

/** What the schedule rules need to know of a configuration item. */
export type ScheduleCi = {
  id: string;
  name: string;
  environment: string;
  tags: readonly string[];
  maintenanceWindows: readonly WeeklySlot[];
};

export function overlaps(a: TimeWindow, b: TimeWindow): boolean {
  // getTime(): comparing Date objects converts each through valueOf, several times slower, and a
  // queue page makes tens of thousands of these comparisons.
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/** Whether a freeze covers any of these CIs: all of them, or those in its environments or with its tags. */
export function freezeCovers(
  freeze: Pick<FreezeWindowFacts, "scope" | "environments" | "tags">,
  cis: readonly Pick<ScheduleCi, "environment" | "tags">[],
): boolean {
  switch (freeze.scope) {
    case "all":
      return true;
    case "environments":
      return cis.some((ci) => freeze.environments.includes(ci.environment));
    case "tags":
      return cis.some((ci) => ci.tags.some((t) => freeze.tags.includes(t)));
  }
}

/** The freezes a planned window falls into, for the CIs it touches. */
export function freezesHit(window: TimeWindow, cis: readonly ScheduleCi[], freezes: readonly FreezeWindowFacts[]): FreezeWindowFacts[] {
  return freezes.filter((f) => overlaps(window, f) && freezeCovers(f, cis));
}

export function describeFreezeScope(freeze: Pick<FreezeWindowFacts, "scope" | "environments" | "tags">): string {
  switch (freeze.scope) {
    case "all":
      return "every configuration item";
    case "environments":
      return `the ${freeze.environments.join(", ")} environment${freeze.environments.length === 1 ? "" : "s"}`;
    case "tags":
      return `configuration items tagged ${freeze.tags.join(", ")}`;
  }
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Whether the whole window fits inside one occurrence of one of the weekly slots. */
export function insideMaintenanceWindow(window: TimeWindow, slots: readonly WeeklySlot[]): boolean {
  const dayStart = Date.UTC(window.start.getUTCFullYear(), window.start.getUTCMonth(), window.start.getUTCDate());
  const weekStart = dayStart - window.start.getUTCDay() * DAY;
  return slots.some((slot) =>
    // A slot may begin in the previous week and run into this one (Saturday night into Sunday).
    [weekStart - 7 * DAY, weekStart].some((week) => {
      const start = week + slot.weekday * DAY + slot.startMinute * MINUTE;
      return start <= window.start.getTime() && window.end.getTime() <= start + slot.durationMinutes * MINUTE;
    }),
  );
}

export function describeSlot(slot: WeeklySlot): string {
  const end = (slot.startMinute + slot.durationMinutes) % (24 * 60);
  const hours = slot.durationMinutes / 60;
  return `${WEEKDAY_LABELS[slot.weekday]} ${formatMinuteOfDay(slot.startMinute)}–${formatMinuteOfDay(end)} UTC (${Number.isInteger(hours) ? hours : hours.toFixed(1)} h)`;
}

export function describeFreeze(freeze: FreezeWindowFacts): string {
  return `"${freeze.reason}" (${formatUtcRange(freeze.start, freeze.end)}), which covers ${describeFreezeScope(freeze)}`;
}
