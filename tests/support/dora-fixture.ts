import type { DoraDeployment } from "../../lib/domain/dora-metrics";

// A hand-computed fixture: two weeks (Monday 2 to Monday 16 November 2026, UTC), with one deployment
// before and one after the period as context. Every expected figure below is worked out by hand.
export const t = (s: string) => new Date(`2026-11-${s}:00Z`);
export const d = (
  at: string,
  status: DoraDeployment["status"],
  more: Partial<DoraDeployment> & { committed?: string } = {},
): DoraDeployment => {
  const { committed, ...rest } = more;
  return {
    environment: "production",
    ciName: "api",
    status,
    at: t(at),
    committedAt: committed ? t(committed) : null,
    authorized: true,
    ...rest,
  };
};
export const PERIOD = { start: t("02T00:00"), end: t("16T00:00") };
export const FIXTURE: DoraDeployment[] = [
  d("01T10:00", "failed"), // context: an episode that started before the period
  d("02T10:00", "succeeded", { committed: "01T22:00" }), // lead 12 h; ends the earlier episode
  d("03T10:00", "failed"), // episode 1 starts
  d("03T12:00", "rolled_back"), // same episode
  d("03T16:00", "succeeded", { committed: "03T08:00" }), // lead 8 h; episode 1 took 6 h
  d("10T09:00", "succeeded"), // commit time unknown: no lead time
  d("12T09:00", "started"), // still running: not counted
  d("15T20:00", "failed"), // episode 2 starts
  d("16T08:00", "succeeded"), // context after the period: episode 2 took 12 h
  d("04T09:00", "succeeded", { ciName: "web", committed: "02T09:00", authorized: false }), // lead 48 h, unauthorized
  d("09T09:00", "failed", { ciName: "web" }), // episode 3, never recovered
  d("05T09:00", "succeeded", { environment: "staging", committed: "05T07:00" }), // lead 2 h
];
