import Link from "next/link";

/**
 * Keyset paging for a long list on the change page (comments, timeline): the page shows the
 * latest entries; this links to the entries before them and back to the latest.
 */
export function HistoryPager({ what, earlierHref, latestHref }: { what: string; earlierHref: string | null; latestHref: string | null }) {
  if (!earlierHref && !latestHref) return null;
  const style =
    "rounded text-indigo-700 underline underline-offset-2 hover:text-indigo-900 focus-visible:outline-2 focus-visible:outline-indigo-600";
  return (
    <nav aria-label={`Pages of ${what}`} className="mb-3 flex flex-wrap gap-4 text-sm">
      {earlierHref ? (
        <Link href={earlierHref} className={style}>
          Earlier {what}
        </Link>
      ) : null}
      {latestHref ? (
        <Link href={latestHref} className={style}>
          Latest {what}
        </Link>
      ) : null}
    </nav>
  );
}
