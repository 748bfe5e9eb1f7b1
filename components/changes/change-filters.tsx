import Link from "next/link";
import { SearchButton } from "@/components/ui/search-button";
import Form from "next/form";
import { buttonStyles } from "@/components/ui/button-styles";
import { FilterSelect } from "@/components/ui/filter-select";
import { CHANGE_STATE_LABELS, CHANGE_STATES } from "@/lib/domain/change-states";
import { CHANGE_TYPE_LABELS, CHANGE_TYPES } from "@/lib/domain/change-types";
import { RISK_LEVEL_LABELS, RISK_LEVELS } from "@/lib/domain/risk-levels";
import type { ChangeFilters as Filters } from "@/lib/domain/change-list-params";

/** A GET form: filters live in the address, so a filtered list can be bookmarked and shared. */
export function ChangeFilters({ path, filters }: { path: string; filters: Filters }) {
  return (
    <Form role="search" className="mb-4 flex flex-wrap items-end gap-2" action={path}>
      <label className="text-sm">
        <span className="block text-xs font-medium text-slate-600">Title contains</span>
        <input name="q" defaultValue={filters.q} className="w-56 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" />
      </label>
      <FilterSelect name="type" label="Type" value={filters.type} any="Any type" options={CHANGE_TYPES} labels={CHANGE_TYPE_LABELS} />
      <FilterSelect name="state" label="State" value={filters.state} any="Any state" options={CHANGE_STATES} labels={CHANGE_STATE_LABELS} />
      <FilterSelect name="risk" label="Risk" value={filters.risk} any="Any risk" options={RISK_LEVELS} labels={RISK_LEVEL_LABELS} />
      <SearchButton>Filter</SearchButton>
      <Link href={path} className={buttonStyles.secondary}>
        Clear
      </Link>
    </Form>
  );
}
