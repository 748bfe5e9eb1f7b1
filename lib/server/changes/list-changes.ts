import "server-only";
import { z } from "zod";
import { CHANGE_STATES } from "@/lib/domain/change-states";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { RISK_LEVELS } from "@/lib/domain/risk-levels";
import { blankToUndefined, parseSearchParams } from "@/lib/domain/search-params";
import type { Prisma } from "../db/generated/client";
import { db } from "../db/db";

export const CHANGES_PAGE_SIZE = 25;

export const changeFiltersSchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  type: z.preprocess(blankToUndefined, z.enum(CHANGE_TYPES).optional()),
  state: z.preprocess(blankToUndefined, z.enum(CHANGE_STATES).optional()),
  risk: z.preprocess(blankToUndefined, z.enum(RISK_LEVELS).optional()),
  after: z.preprocess(blankToUndefined, z.string().regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z_[0-9a-f-]{36}$/).optional()),
});
export type ChangeFilters = z.infer<typeof changeFiltersSchema>;

export function parseChangeFilters(params: Record<string, string | string[] | undefined>): ChangeFilters {
  return parseSearchParams(changeFiltersSchema, params);
}

/** Newest first, keyset-paginated on (created_at, id); `requesterId` narrows to one requester's changes. */
export async function listChanges(filters: ChangeFilters, scope: { requesterId?: string } = {}) {
  const where: Prisma.ChangeRequestWhereInput = {
    ...(scope.requesterId ? { requesterId: scope.requesterId } : {}),
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.state ? { state: filters.state } : {}),
    ...(filters.risk ? { riskLevel: filters.risk } : {}),
    ...(filters.q ? { title: { contains: filters.q, mode: "insensitive" } } : {}),
  };
  if (filters.after) {
    const [at, id] = filters.after.split("_") as [string, string];
    const createdAt = new Date(at);
    where.OR = [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }];
  }
  const rows = await db().changeRequest.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: CHANGES_PAGE_SIZE + 1,
    select: {
      id: true, number: true, title: true, type: true, state: true, riskLevel: true, riskScore: true,
      plannedStart: true, createdAt: true, requester: { select: { name: true } },
    },
  });
  const page = rows.slice(0, CHANGES_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > CHANGES_PAGE_SIZE && last ? `${last.createdAt.toISOString()}_${last.id}` : null };
}

export type ChangeRow = Awaited<ReturnType<typeof listChanges>>["rows"][number];
