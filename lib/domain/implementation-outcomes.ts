/** How an implementation ended, as the implementer records it. */
export const IMPLEMENTATION_OUTCOMES = ["successful", "successful_with_issues", "failed", "rolled_back"] as const;

export type ImplementationOutcome = (typeof IMPLEMENTATION_OUTCOMES)[number];

export const IMPLEMENTATION_OUTCOME_LABELS = {
  successful: "Successful",
  successful_with_issues: "Successful with issues",
  failed: "Failed",
  rolled_back: "Rolled back",
} as const satisfies Record<ImplementationOutcome, string>;

/** Outcomes that need a root cause before the change may close. */
export function isUnsuccessfulOutcome(outcome: ImplementationOutcome): boolean {
  return outcome === "failed" || outcome === "rolled_back";
}

export function isImplementationOutcome(value: string): value is ImplementationOutcome {
  return (IMPLEMENTATION_OUTCOMES as readonly string[]).includes(value);
}
