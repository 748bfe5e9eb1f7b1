import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { Conflict } from "@/lib/domain/schedule-conflicts";
import { changeReference } from "@/lib/domain/change-visibility";

const TONE = { block: "bad", warning: "warn", info: "info" } as const;
const LABEL = { block: "Blocks scheduling", warning: "Warning", info: "Note" } as const;

/** Each conflict says what it is and how to proceed; another change is linked. */
export function ConflictList({ conflicts }: { conflicts: readonly Conflict[] }) {
  if (conflicts.length === 0)
    return (
      <p className="text-sm text-slate-600">
        No conflicts: no freeze, maintenance window, other change or double booking stands in the way.
      </p>
    );
  return (
    <ul className="space-y-2" aria-label="Schedule conflicts">
      {conflicts.map((c, i) => (
        <li
          key={i}
          className={`rounded-md p-2.5 text-sm ring-1 ${c.severity === "block" ? "bg-rose-50 ring-rose-200" : c.severity === "warning" ? "bg-amber-50 ring-amber-200" : "bg-slate-50 ring-slate-200"}`}
        >
          <p>
            <Badge tone={TONE[c.severity]}>{LABEL[c.severity]}</Badge> <span className="text-slate-900">{c.message}</span>
          </p>
          <p className="mt-1 text-slate-600">{c.proceed}</p>
          {c.other ? (
            <p className="mt-1">
              <Link href={`/changes/${c.other.id}`} className="text-indigo-700 hover:underline">
                Open {changeReference(c.other.number)}
              </Link>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
