import { Badge } from "@/components/ui/badge";
import { EXPOSURE_LABELS, type Exposure } from "@/lib/domain/exposure";

const CRITICALITY_TONES = { 1: "neutral", 2: "info", 3: "warn", 4: "bad" } as const;

export function CriticalityBadge({ criticality }: { criticality: number }) {
  const tone = CRITICALITY_TONES[criticality as keyof typeof CRITICALITY_TONES] ?? "neutral";
  return <Badge tone={tone}>Criticality {criticality}</Badge>;
}

export function ExposureBadge({ exposure }: { exposure: Exposure }) {
  return <Badge tone={exposure === "internet_facing" ? "warn" : "neutral"}>{EXPOSURE_LABELS[exposure]}</Badge>;
}
