/** Days from today (UTC midnight) to the demo freeze window; it lasts three days. Shared with the e2e tests. */
export const DEMO_FREEZE_DAY = 14;
export const DEMO_FREEZE_REASON = "Quarter-end financial close";
/** How far back the demo history goes (days before today). */
export const DEMO_HISTORY_DAYS = 120;
/** Freezes of the demo history, in days from today: two past, one after the demo freeze. */
export const DEMO_HISTORY_FREEZES = [
  { reason: "Month-end financial close", day: -68, days: 3 },
  { reason: "Peak trading period", day: -14, days: 4 },
  { reason: "Data-centre power maintenance", day: 24, days: 3 },
] as const;
