import Link from "next/link";
import { changeReference } from "@/lib/domain/change-visibility";
import type { ChangeRow } from "@/lib/server/changes/list-changes";
import { RiskBadge } from "./risk-badge";
import { StateBadge, TypeBadge } from "./change-badges";
import { DataTable, EmptyState } from "@/components/ui/data-table";

export function ChangeTable({
  rows,
  emptyMessage,
  showRequester = true,
}: {
  rows: ChangeRow[];
  emptyMessage: React.ReactNode;
  showRequester?: boolean;
}) {
  if (rows.length === 0) return <EmptyState>{emptyMessage}</EmptyState>;
  return (
    <DataTable
      label="Changes"
      headers={["Change", "Type", "State", "Risk", "Planned start (UTC)", ...(showRequester ? ["Requester"] : [])]}
    >
      {rows.map((c) => (
        <tr key={c.id} className="hover:bg-slate-50">
          <td className="min-w-56 px-4 py-2.5">
            <Link href={`/changes/${c.id}`} className="font-medium text-indigo-700 hover:underline">
              {c.title}
            </Link>
            <span className="block font-mono text-xs text-slate-500">{changeReference(c.number)}</span>
          </td>
          <td className="px-4 py-2.5">
            <TypeBadge type={c.type} />
          </td>
          <td className="px-4 py-2.5">
            <StateBadge state={c.state} />
          </td>
          <td className="px-4 py-2.5">
            <RiskBadge level={c.riskLevel} score={c.riskScore} />
          </td>
          <td className="whitespace-nowrap px-4 py-2.5 text-slate-600">
            {c.plannedStart ? c.plannedStart.toISOString().replace("T", " ").slice(0, 16) : "—"}
          </td>
          {showRequester ? <td className="px-4 py-2.5 text-slate-600">{c.requester.name}</td> : null}
        </tr>
      ))}
    </DataTable>
  );
}
