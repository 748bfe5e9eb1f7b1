import { Badge } from "@/components/ui/badge";
import { RISK_LEVEL_LABELS, type RiskLevel } from "@/lib/domain/risk-levels";

const TONES: Record<RiskLevel, "good" | "info" | "warn" | "bad"> = { low: "good", medium: "info", high: "warn", critical: "bad" };

export function RiskBadge({ level, score }: { level: RiskLevel | null; score: number | null }) {
  if (!level) return <span className="text-slate-500">Not assessed</span>;
  return (
    <Badge tone={TONES[level]}>
      {RISK_LEVEL_LABELS[level]}
      {score !== null ? ` · ${score}` : ""}
    </Badge>
  );
}
