import Link from "next/link";
import { changeReference } from "@/lib/domain/change-visibility";
import type { ChangeRow } from "@/lib/server/changes/list-changes";
import { RiskBadge } from "./risk-badge";
import { StateBadge, TypeBadge } from "./change-badges";

export function ChangeTable({ rows, emptyMessage, showRequester = true }: { rows: ChangeRow[]; emptyMessage: React.ReactNode; showRequester?: boolean }) {
  if (rows.length === 0) return <div className="rounded-lg bg-white p-8 text-center text-sm text-slate-600 ring-1 ring-slate-200">{emptyMessage}</div>;
  return (
    <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2.5">Change</th>
            <th scope="col" className="px-4 py-2.5">Type</th>
            <th scope="col" className="px-4 py-2.5">State</th>
            <th scope="col" className="px-4 py-2.5">Risk</th>
            <th scope="col" className="px-4 py-2.5">Planned start</th>
            {showRequester ? <th scope="col" className="px-4 py-2.5">Requester</th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((c) => (
            <tr key={c.id} className="hover:bg-slate-50">
              <td className="px-4 py-2.5">
                <Link href={`/changes/${c.id}`} className="font-medium text-indigo-700 hover:underline">{c.title}</Link>
                <span className="block font-mono text-xs text-slate-500">{changeReference(c.number)}</span>
              </td>
              <td className="px-4 py-2.5"><TypeBadge type={c.type} /></td>
              <td className="px-4 py-2.5"><StateBadge state={c.state} /></td>
              <td className="px-4 py-2.5"><RiskBadge level={c.riskLevel} score={c.riskScore} /></td>
              <td className="px-4 py-2.5 text-slate-600">{c.plannedStart ? c.plannedStart.toISOString().replace("T", " ").slice(0, 16) : "—"}</td>
              {showRequester ? <td className="px-4 py-2.5 text-slate-600">{c.requester.name}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
