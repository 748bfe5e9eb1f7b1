import { Badge } from "@/components/ui/badge";
import { TEMPLATE_STATUS_LABELS, type TemplateStatus } from "@/lib/domain/template-rules";

const TONES = { proposed: "warn", approved: "good", retired: "neutral" } as const satisfies Record<TemplateStatus, string>;

export function TemplateStatusBadge({ status }: { status: TemplateStatus }) {
  return <Badge tone={TONES[status]}>{TEMPLATE_STATUS_LABELS[status]}</Badge>;
}
