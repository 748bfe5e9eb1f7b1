import Link from "next/link";
import { buttonStyles } from "@/components/ui/button-styles";
import { CHANGE_STATE_LABELS, CHANGE_STATES } from "@/lib/domain/change-states";
import { CHANGE_TYPE_LABELS, CHANGE_TYPES } from "@/lib/domain/change-types";
import { RISK_LEVEL_LABELS, RISK_LEVELS } from "@/lib/domain/risk-levels";
import type { ChangeFilters as Filters } from "@/lib/server/changes/list-changes";

const select = "rounded-md border border-slate-300 bg-white px-2.5 py-2 text-sm";

/** A GET form: filters live in the address, so a filtered list can be bookmarked and shared. */
export function ChangeFilters({ path, filters }: { path: string; filters: Filters }) {
  return (
    <form role="search" className="mb-4 flex flex-wrap items-end gap-2" action={path}>
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">Title contains</span>
        <input name="q" defaultValue={filters.q} className="w-56 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" />
      </label>
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">Type</span>
        <select name="type" defaultValue={filters.type ?? ""} className={select}>
          <option value="">Any type</option>
          {CHANGE_TYPES.map((t) => <option key={t} value={t}>{CHANGE_TYPE_LABELS[t]}</option>)}
        </select>
      </label>
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">State</span>
        <select name="state" defaultValue={filters.state ?? ""} className={select}>
          <option value="">Any state</option>
          {CHANGE_STATES.map((s) => <option key={s} value={s}>{CHANGE_STATE_LABELS[s]}</option>)}
        </select>
      </label>
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">Risk</span>
        <select name="risk" defaultValue={filters.risk ?? ""} className={select}>
          <option value="">Any risk</option>
          {RISK_LEVELS.map((r) => <option key={r} value={r}>{RISK_LEVEL_LABELS[r]}</option>)}
        </select>
      </label>
      <button className={buttonStyles.secondary}>Filter</button>
      <Link href={path} className={buttonStyles.secondary}>Clear</Link>
    </form>
  );
}
