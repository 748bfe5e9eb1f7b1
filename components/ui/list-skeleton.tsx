/**
 * What a list page shows while its rows load (its loading.tsx): the page's shape in grey, and a
 * status saying what is coming, for sighted and screen-reader users alike.
 */
export function ListSkeleton({ what, filters = true, rows = 8 }: { what: string; filters?: boolean; rows?: number }) {
  return (
    <div role="status" aria-busy="true" data-testid="list-skeleton">
      <p className="mb-4 text-sm text-slate-600">Loading {what}…</p>
      <div aria-hidden="true" className="motion-safe:animate-pulse">
        <div className="mb-6 space-y-2">
          <div className="h-7 w-56 max-w-full rounded bg-slate-200" />
          <div className="h-4 w-[28rem] max-w-full rounded bg-slate-100" />
        </div>
        {filters ? (
          <div className="mb-4 flex flex-wrap gap-2">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="h-9 w-36 rounded-md bg-slate-200" />
            ))}
          </div>
        ) : null}
        <div className="divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200">
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="flex items-center gap-4 p-4">
              <div className="h-4 w-20 shrink-0 rounded bg-slate-200" />
              <div className="h-4 min-w-0 flex-1 rounded bg-slate-100" />
              <div className="hidden h-5 w-16 shrink-0 rounded-full bg-slate-200 sm:block" />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
