import Link from "next/link";
import Form from "next/form";
import { SearchButton } from "@/components/ui/search-button";
import { buttonStyles } from "@/components/ui/button-styles";
import type { ReportFilter } from "@/lib/domain/exception-reports";

const control = "w-full rounded-md border border-slate-300 bg-white px-2.5 py-2 text-sm";

/** A report's filters as a GET form: the filtered report lives in the address, and exports as shown. */
export function ReportFilterForm({
  slug,
  filters,
  values,
  choices,
}: {
  slug: string;
  filters: ReportFilter[];
  values: Record<string, string>;
  choices: Record<string, string[]>;
}) {
  return (
    <Form
      role="search"
      aria-label="Filter the report"
      action={`/audit/reports/${slug}`}
      className="mb-4 grid grid-cols-2 gap-3 rounded-lg bg-white p-4 ring-1 ring-slate-200 md:grid-cols-3 2xl:grid-cols-6"
    >
      {filters.map((f) => {
        const options = f.options ?? (choices[f.key] ?? []).map((value) => ({ value, label: value }));
        // A chosen value no longer in the data stays selectable, so the form shows what is applied.
        const current = values[f.key];
        const all = current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
        return (
          <label key={f.key} className="text-sm">
            <span className="block text-xs font-medium text-slate-600">{f.label}</span>
            {f.kind === "choice" ? (
              <select key={current ?? ""} name={f.key} defaultValue={current ?? ""} className={control}>
                <option value="">{f.any ?? "Any"}</option>
                {all.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input type="date" name={f.key} defaultValue={current ?? ""} className={control} />
            )}
          </label>
        );
      })}
      <div className="flex items-end gap-2">
        <SearchButton variant="primary">Filter</SearchButton>
        <Link href={`/audit/reports/${slug}`} className={buttonStyles.secondary}>
          Clear
        </Link>
      </div>
    </Form>
  );
}
