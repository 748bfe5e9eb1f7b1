import { Badge } from "@/components/ui/badge";
import { CHANGE_STATE_LABELS, type ChangeState } from "@/lib/domain/change-states";
import { CHANGE_TYPE_LABELS, type ChangeType } from "@/lib/domain/change-types";

const STATE_TONES: Record<ChangeState, "neutral" | "good" | "warn" | "bad" | "info"> = {
  draft: "neutral",
  submitted: "info",
  assessment: "info",
  authorization: "warn",
  scheduled: "info",
  implementing: "warn",
  review: "info",
  closed: "good",
  rejected: "bad",
  cancelled: "neutral",
};

export function StateBadge({ state }: { state: ChangeState }) {
  return <Badge tone={STATE_TONES[state]}>{CHANGE_STATE_LABELS[state]}</Badge>;
}

export function TypeBadge({ type }: { type: ChangeType }) {
  return <Badge tone={type === "emergency" ? "bad" : type === "major" ? "warn" : "neutral"}>{CHANGE_TYPE_LABELS[type]}</Badge>;
}
