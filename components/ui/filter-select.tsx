/** The look of a select in a filter bar or a compact form. */
export const compactSelect = "rounded-md border border-slate-300 bg-white px-2.5 py-2 text-sm";

/**
 * One labelled select of a GET filter form: `any` is the first, empty choice ("Any type");
 * each option is shown by its label, or as it is when there is none.
 */
export function FilterSelect({
  name,
  label,
  value,
  any,
  options,
  labels,
}: {
  name: string;
  label: string;
  value: string | undefined;
  any?: string;
  options: readonly string[];
  labels?: Readonly<Record<string, string>>;
}) {
  return (
    <label className="text-sm">
      <span className="block text-xs font-medium text-slate-600">{label}</span>
      <select name={name} defaultValue={value ?? ""} className={compactSelect}>
        {any !== undefined ? <option value="">{any}</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {labels?.[o] ?? o}
          </option>
        ))}
      </select>
    </label>
  );
}
