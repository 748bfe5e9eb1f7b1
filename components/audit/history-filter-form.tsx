import Link from "next/link";
import { SearchButton } from "@/components/ui/search-button";
import Form from "next/form";
import { buttonStyles } from "@/components/ui/button-styles";
import { SearchSelect, type SearchChoice } from "@/components/ui/search-select";
import { FRAMEWORK_LABELS } from "@/lib/domain/change-flags";
import { CHANGE_STATE_LABELS, CHANGE_STATES } from "@/lib/domain/change-states";
import { CHANGE_TYPE_LABELS, CHANGE_TYPES } from "@/lib/domain/change-types";
import type { HistoryFilters, HistoryView } from "@/lib/domain/history-filters";

const control = "rounded-md border border-slate-300 bg-white px-2.5 py-2 text-sm";

function Labelled({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="text-sm">
      <span className="block text-xs font-medium text-slate-600">{label}</span>
      {children}
    </label>
  );
}

type Options = { ci: SearchChoice | null; actor: SearchChoice | null; actions: string[] };
type Searches = Record<"cis" | "people", (query: string) => Promise<SearchChoice[]>>;

/** A GET form: the search lives in the address, so it can be bookmarked, shared and exported as is. */
export function HistoryFilterForm({
  view,
  filters,
  options,
  search,
}: {
  view: HistoryView;
  filters: HistoryFilters;
  options: Options;
  search: Searches;
}) {
  return (
    <Form
      role="search"
      aria-label="Search the history"
      action="/audit"
      className="mb-4 grid grid-cols-2 gap-3 rounded-lg bg-white p-4 ring-1 ring-slate-200 md:grid-cols-4 xl:grid-cols-5"
    >
      <input type="hidden" name="view" value={view} />
      <Labelled label={view === "changes" ? "Filed from (UTC)" : "From (UTC)"}>
        <input type="date" name="from" defaultValue={filters.from} className={`${control} w-full`} />
      </Labelled>
      <Labelled label={view === "changes" ? "Filed to (UTC, inclusive)" : "To (UTC, inclusive)"}>
        <input type="date" name="to" defaultValue={filters.to} className={`${control} w-full`} />
      </Labelled>
      <Labelled label="Change type">
        <select name="type" defaultValue={filters.type ?? ""} className={`${control} w-full`}>
          <option value="">Any type</option>
          {CHANGE_TYPES.map((t) => (
            <option key={t} value={t}>
              {CHANGE_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label="State">
        <select name="state" defaultValue={filters.state ?? ""} className={`${control} w-full`}>
          <option value="">Any state</option>
          {CHANGE_STATES.map((s) => (
            <option key={s} value={s}>
              {CHANGE_STATE_LABELS[s]}
            </option>
          ))}
        </select>
      </Labelled>
      <SearchSelect
        name="ci"
        label="Configuration item"
        any="Any CI"
        initial={options.ci}
        search={search.cis}
        noMatch="No configuration item matches."
      />
      <SearchSelect
        name="actor"
        label={view === "changes" ? "Person (requested or acted)" : "Actor"}
        any="Anyone"
        initial={options.actor}
        search={search.people}
        noMatch="No person matches."
      />
      <Labelled label="Action">
        <select name="action" defaultValue={filters.action ?? ""} className={`${control} w-full`}>
          <option value="">Any action</option>
          {options.actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label="Framework">
        <select name="tag" defaultValue={filters.tag ?? ""} className={`${control} w-full`}>
          <option value="">Any framework</option>
          {Object.entries(FRAMEWORK_LABELS).map(([tag, label]) => (
            <option key={tag} value={tag}>
              {label}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label={view === "changes" ? "Text (title, description, CHG number)" : "Text (action, reason, actor, change)"}>
        <input name="q" defaultValue={filters.q} className={`${control} w-full`} />
      </Labelled>
      <div className="flex items-end gap-2">
        <SearchButton variant="primary">Search</SearchButton>
        <Link href={`/audit?view=${view}`} className={buttonStyles.secondary}>
          Clear
        </Link>
      </div>
    </Form>
  );
}
