import Link from "next/link";
import { buttonStyles } from "./button-styles";

/** Keyset pagination: a link to the first page when not on it, and to the next one when there is more. */
export function NextPage({ path, after, nextCursor }: { path: string; after?: string; nextCursor: string | null }) {
  return (
    <nav aria-label="Pagination" className="mt-4 flex justify-end gap-2">
      {after ? <Link href={path} className={buttonStyles.secondary}>First page</Link> : null}
      {nextCursor ? <Link href={`${path}?after=${encodeURIComponent(nextCursor)}`} className={buttonStyles.secondary}>Next page</Link> : null}
    </nav>
  );
}
