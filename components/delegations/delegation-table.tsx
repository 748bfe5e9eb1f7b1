import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { FormAction } from "@/lib/domain/form-state";
import { formatUtc, formatUtcRange } from "@/lib/domain/utc-time";
import { EndDelegationForm } from "./end-delegation-form";

type Row = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  endedAt: Date | null;
  reason: string;
  status: "active" | "upcoming" | "over" | "ended early";
  delegator: { name: string; email: string };
  delegate: { name: string; email: string };
};

const TONES = { active: "good", upcoming: "info", over: "neutral", "ended early": "neutral" } as const;

/** Delegations with their period and status; current ones can be ended here. */
export function DelegationTable({
  rows,
  label,
  endAction,
  endLabel,
}: {
  rows: Row[];
  label: string;
  endAction?: FormAction;
  endLabel?: string;
}) {
  return (
    <DataTable label={label} headers={["Delegator", "Delegate", "Period (UTC)", "Status", ""]}>
      {rows.map((d) => (
        <tr key={d.id} className="align-top" data-testid="delegation-row">
          <td className="px-4 py-2.5">{d.delegator.name}</td>
          <td className="px-4 py-2.5">
            {d.delegate.name}
            {d.reason ? <p className="text-xs text-slate-500">{d.reason}</p> : null}
          </td>
          <td className="px-4 py-2.5 whitespace-nowrap">
            {formatUtcRange(d.startsAt, d.endsAt)}
            {d.endedAt ? <p className="text-xs text-slate-500">ended {formatUtc(d.endedAt)}</p> : null}
          </td>
          <td className="px-4 py-2.5">
            <Badge tone={TONES[d.status]}>{d.status}</Badge>
          </td>
          <td className="px-4 py-2.5">
            {endAction && (d.status === "active" || d.status === "upcoming") ? (
              <EndDelegationForm action={endAction} id={d.id} label={endLabel} />
            ) : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
