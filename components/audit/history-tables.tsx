import Link from "next/link";
import { StateBadge, TypeBadge } from "@/components/changes/change-badges";
import { RiskBadge } from "@/components/changes/risk-badge";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { Badge } from "@/components/ui/badge";
import { frameworkLabel } from "@/lib/domain/change-flags";
import type { ChangeState } from "@/lib/domain/change-states";
import type { ChangeType } from "@/lib/domain/change-types";
import { changeReference } from "@/lib/domain/change-visibility";
import type { RiskLevel } from "@/lib/domain/risk-levels";
import type { ChangeHistoryRow } from "@/lib/server/history/history-query";
import type { HistoryEvent } from "@/lib/server/history/search-history";

const cell = "px-4 py-2.5 align-top";
const utc = (d: Date | string | null) => (d ? new Date(d).toISOString().replace("T", " ").slice(0, 16) : "—");

export function ChangeHistoryTable({ rows, emptyMessage }: { rows: ChangeHistoryRow[]; emptyMessage: string }) {
  if (rows.length === 0) return <EmptyState>{emptyMessage}</EmptyState>;
  return (
    <DataTable label="Matching changes" headers={["Change", "Type", "State", "Risk", "Frameworks", "Requester", "Filed (UTC)"]}>
      {rows.map((c) => (
        <tr key={c.id} className="hover:bg-slate-50">
          <td className={`${cell} min-w-72`}>
            <Link href={`/changes/${c.id}`} className="font-medium text-indigo-700 hover:underline">
              {c.title}
            </Link>
            <span className="block font-mono text-xs text-slate-500">
              {changeReference(c.number)}
              {c.ci_names ? ` · ${c.ci_names}` : ""}
            </span>
            <Link
              href={`/audit/changes/${c.id}`}
              className="text-xs font-medium text-indigo-700 hover:underline"
              aria-label={`Evidence for ${changeReference(c.number)}`}
            >
              Evidence
            </Link>
          </td>
          <td className={cell}>
            <TypeBadge type={c.type as ChangeType} />
          </td>
          <td className={cell}>
            <StateBadge state={c.state as ChangeState} />
          </td>
          <td className={cell}>
            <RiskBadge level={c.risk_level as RiskLevel | null} score={c.risk_score} />
          </td>
          <td className={cell}>
            <span className="flex flex-wrap gap-1">
              {c.framework_tags.length ? (
                c.framework_tags.map((t) => <Badge key={t}>{frameworkLabel(t)}</Badge>)
              ) : (
                <span className="text-slate-500">—</span>
              )}
            </span>
          </td>
          <td className={`${cell} text-slate-600`}>{c.requester_email}</td>
          <td className={`${cell} whitespace-nowrap text-slate-600`}>{utc(c.created_at)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function EventHistoryTable({ rows, emptyMessage }: { rows: HistoryEvent[]; emptyMessage: string }) {
  if (rows.length === 0) return <EmptyState>{emptyMessage}</EmptyState>;
  return (
    <DataTable label="Matching events" narrowFirst headers={["Seq", "When (UTC)", "Actor", "Action", "Change", "Entity", "Reason", "Hash"]}>
      {rows.map((e) => (
        <tr key={e.seq} className="hover:bg-slate-50">
          <td className={`${cell} font-mono tabular-nums`}>{e.seq}</td>
          <td className={`${cell} whitespace-nowrap text-slate-600`}>{utc(e.occurredAt)}</td>
          <td className={`${cell} text-slate-700`}>{e.actorEmail ?? <span className="text-slate-500">system</span>}</td>
          <td className={`${cell} font-mono text-xs`}>{e.action}</td>
          <td className={cell}>
            {e.changeId && e.changeNumber !== null ? (
              <Link href={`/audit/changes/${e.changeId}`} className="text-indigo-700 hover:underline" title={e.changeTitle ?? undefined}>
                {changeReference(e.changeNumber)}
              </Link>
            ) : (
              <span className="text-slate-500">—</span>
            )}
          </td>
          <td className={`${cell} text-xs text-slate-600`}>
            {e.entityType}
            {e.entityId ? (
              <span className="block max-w-40 truncate font-mono" title={e.entityId}>
                {e.entityId}
              </span>
            ) : null}
          </td>
          <td className={`${cell} min-w-56 max-w-md wrap-break-word text-slate-700`}>{e.reason ?? ""}</td>
          <td className={`${cell} whitespace-nowrap font-mono text-xs text-slate-500`} title={e.hash}>
            {e.hash.slice(0, 12)}…
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
