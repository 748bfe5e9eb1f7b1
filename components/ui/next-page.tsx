import Link from "next/link";
import { buttonStyles } from "./button-styles";

/**
 * Keyset pagination: a link to the first page when not on it, and to the next one when there is
 * more. `keep` is the page's filters; they stay in both links, empty ones are left out.
 */
export function NextPage({
  path,
  keep = {},
  after,
  nextCursor,
}: {
  path: string;
  keep?: Record<string, string | undefined>;
  after?: string;
  nextCursor: string | null;
}) {
  const href = (cursor?: string) => {
    const params = new URLSearchParams(Object.entries({ ...keep, after: cursor }).filter((e): e is [string, string] => Boolean(e[1])));
    return params.size ? `${path}?${params}` : path;
  };
  return (
    <nav aria-label="Pagination" className="mt-4 flex justify-end gap-2">
      {after ? (
        <Link href={href()} className={buttonStyles.secondary}>
          First page
        </Link>
      ) : null}
      {nextCursor ? (
        <Link href={href(nextCursor)} className={buttonStyles.secondary}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
