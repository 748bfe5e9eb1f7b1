/**
 * The list pages' table: a header row of column names; the caller gives the body rows. On a
 * narrow screen it scrolls sideways inside its own box, which the keyboard can reach and scroll;
 * no column is squeezed narrower than a short word, and the first (what the row is) more,
 * unless it is a narrow number (narrowFirst).
 */
export function DataTable({
  headers,
  label,
  narrowFirst = false,
  children,
}: {
  headers: string[];
  label?: string;
  narrowFirst?: boolean;
  children: React.ReactNode;
}) {
  return (
    // relative: visually hidden (absolute) text in a cell stays inside this box instead of widening the page.
    <div
      role={label ? "region" : undefined}
      aria-label={label}
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200"
    >
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-600">
          <tr>
            {headers.map((h, i) => (
              <th key={h} scope="col" className={`${i === 0 && !narrowFirst ? "min-w-40" : "min-w-24"} px-4 py-2.5`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** What a list says when it has nothing to show, in words that say why or what to do. */
export function EmptyState({ children }: { children: React.ReactNode }) {
  return <div className="rounded-lg bg-white p-8 text-center text-sm text-slate-600 ring-1 ring-slate-200">{children}</div>;
}
