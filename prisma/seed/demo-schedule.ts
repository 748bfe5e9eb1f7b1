/** Days from today (UTC midnight) to the demo freeze window; it lasts three days. Shared with the e2e tests. */
export const DEMO_FREEZE_DAY = 14;
export const DEMO_FREEZE_REASON = "Quarter-end financial close";
