/** The four kinds of change (domain.md, Change types); each takes its own path through the lifecycle. */
export const CHANGE_TYPES = ["standard", "normal", "emergency", "major"] as const;

export type ChangeType = (typeof CHANGE_TYPES)[number];

export const CHANGE_TYPE_LABELS = {
  standard: "Standard",
  normal: "Normal",
  emergency: "Emergency",
  major: "Major",
} as const satisfies Record<ChangeType, string>;

export function isChangeType(value: string): value is ChangeType {
  return (CHANGE_TYPES as readonly string[]).includes(value);
}
