/** The list pages' table; with a `label`, its scrolling box is a named region in the tab order, so a keyboard can scroll it. */
export function DataTable({ headers, children, label }: { headers: string[]; children: React.ReactNode; label?: string }) {
  const region = label ? { role: "region", "aria-label": label, tabIndex: 0 } : {};
  return (
    <div {...region} className="overflow-x-auto rounded-lg bg-white ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wider text-slate-500">
          <tr>
            {headers.map((h) => <th key={h} scope="col" className="px-4 py-2.5">{h}</th>)}
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
