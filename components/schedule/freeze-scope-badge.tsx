import { Badge } from "@/components/ui/badge";
import { FREEZE_SCOPE_LABELS, type FreezeScope } from "@/lib/domain/schedule-windows";

export function FreezeScopeBadge({ scope, environments, tags }: { scope: FreezeScope; environments: string[]; tags: string[] }) {
  const names = scope === "environments" ? environments : scope === "tags" ? tags : [];
  return (
    <Badge tone={scope === "all" ? "bad" : "warn"}>
      {FREEZE_SCOPE_LABELS[scope]}
      {names.length ? `: ${names.join(", ")}` : ""}
    </Badge>
  );
}
