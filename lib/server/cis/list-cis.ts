import "server-only";
import { likeText } from "@/lib/domain/contains-pattern";
import type { Exposure } from "@/lib/domain/exposure";
import { cleanText } from "@/lib/domain/search-params";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";

export const CIS_PAGE_SIZE = 25;

export type CiRow = {
  id: string;
  name: string;
  type: string;
  environment: string;
  owner: string;
  criticality: number;
  exposure: Exposure;
  tags: string[];
};

/** What a free-text CI search matches: part of the name or environment, or a whole tag. */
export function ciSearchWhere(query: string | undefined) {
  // Typed text, from a picker or an address: one line, no NUL, capped.
  const q = typeof query === "string" ? cleanText(query) : "";
  if (!q) return {};
  return {
    OR: [
      { name: { contains: likeText(q), mode: "insensitive" as const } },
      { environment: { contains: likeText(q), mode: "insensitive" as const } },
      { tags: { has: q.toLowerCase() } },
    ],
  };
}

/** One page of CIs ordered by name, after the `after` name (keyset pagination), optionally filtered; config managers only (403). `limit`: the API's page size. */
export async function listCis(
  viewer: Actor,
  options: { query?: string; after?: string; limit?: number },
): Promise<{ rows: CiRow[]; nextCursor: string | null }> {
  await refuseReadUnlessCan(viewer, "config.manage");
  const size = options.limit ?? CIS_PAGE_SIZE;
  const rows = await db().configurationItem.findMany({
    where: { ...ciSearchWhere(options.query), ...(options.after ? { name: { gt: options.after } } : {}) },
    orderBy: { name: "asc" },
    take: size + 1,
    select: { id: true, name: true, type: true, environment: true, owner: true, criticality: true, exposure: true, tags: true },
  });
  const page = rows.slice(0, size);
  return { rows: page, nextCursor: rows.length > size ? (page.at(-1)?.name ?? null) : null };
}
