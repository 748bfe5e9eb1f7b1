import "server-only";
import { likeText } from "@/lib/domain/contains-pattern";
import type { AuditEventRecord } from "@/lib/domain/audit-event";
import type { HistoryFilters } from "@/lib/domain/history-filters";
import { cleanText, decodeTimeCursor } from "@/lib/domain/search-params";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { Prisma } from "../db/generated/client";
import { db } from "../db/db";
import { toAuditRecord } from "../audit/read-audit-events";
import { ciSearchWhere } from "../cis/list-cis";
import {
  CHANGE_COLUMNS,
  CHANGE_FROM,
  changeConditions,
  EVENT_COLUMNS,
  EVENT_FROM,
  eventConditionAlternatives,
  type ChangeHistoryRow,
  type EventHistoryRow,
} from "./history-query";

export const HISTORY_PAGE_SIZE = 50;

/** The changes page's query: newest first, keyset on (created_at, id). Exported for the bench's EXPLAIN. */
export function changeSearchSql(filters: HistoryFilters, after?: string): Prisma.Sql {
  const cursor = decodeTimeCursor(after);
  const keyset = cursor ? Prisma.sql`AND (c.created_at, c.id) < (${cursor.at}, ${cursor.id}::uuid)` : Prisma.empty;
  return Prisma.sql`
    SELECT ${CHANGE_COLUMNS} FROM ${CHANGE_FROM}
    WHERE ${changeConditions(filters)} ${keyset}
    ORDER BY c.created_at DESC, c.id DESC LIMIT ${HISTORY_PAGE_SIZE + 1}`;
}

/** One page of the auditors' change search; the 403 page for a viewer who may not read the audit history. */
export async function searchChanges(viewer: Actor, filters: HistoryFilters, after?: string) {
  await refuseReadUnlessCan(viewer, "audit.read");
  const rows = await db().$queryRaw<ChangeHistoryRow[]>(changeSearchSql(filters, after));
  const page = rows.slice(0, HISTORY_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > HISTORY_PAGE_SIZE && last ? `${last.created_at.toISOString()}_${last.id}` : null };
}

export type HistoryEvent = AuditEventRecord & { changeNumber: number | null; changeTitle: string | null };

/**
 * The events page's query: newest first, keyset on seq. With a text, the newest page of each of
 * its alternatives (eventConditionAlternatives), merged: each reads only seqs, and the page reads
 * its rows once (half the time of merging whole rows when an alternative walks many events).
 * Exported for the bench's EXPLAIN.
 */
export function eventSearchSql(filters: HistoryFilters, after?: string, size = HISTORY_PAGE_SIZE): Prisma.Sql {
  const before = after && /^\d{1,18}$/.test(after) ? Prisma.sql`AND e.seq < ${BigInt(after)}` : Prisma.empty;
  const limit = size + 1;
  const alternatives = eventConditionAlternatives(filters);
  if (alternatives.length === 1) {
    return Prisma.sql`
      SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM}
      WHERE ${alternatives[0]} ${before}
      ORDER BY e.seq DESC LIMIT ${limit}`;
  }
  const pages = alternatives.map(
    (where) => Prisma.sql`(SELECT e.seq FROM ${EVENT_FROM} WHERE ${where} ${before} ORDER BY e.seq DESC LIMIT ${limit})`,
  );
  return Prisma.sql`
    SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM}
    WHERE e.seq IN (${Prisma.join(pages, " UNION ALL ")})
    ORDER BY e.seq DESC LIMIT ${limit}`;
}

/** One page of the auditors' event search (`size`: the API's page size); the 403 page for a viewer who may not read the audit history. */
export async function searchEvents(viewer: Actor, filters: HistoryFilters, after?: string, size = HISTORY_PAGE_SIZE) {
  await refuseReadUnlessCan(viewer, "audit.read");
  const rows = await db().$queryRaw<EventHistoryRow[]>(eventSearchSql(filters, after, size));
  const page: HistoryEvent[] = rows
    .slice(0, size)
    .map((r) => ({ ...toAuditRecord({ ...r, seq: BigInt(r.seq) }), changeNumber: r.change_number, changeTitle: r.change_title }));
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > size && last ? String(last.seq) : null };
}

export type FilterChoice = { id: string; label: string };

const CHOICES_SHOWN = 8;
const personLabel = (p: { name: string; email: string }) => `${p.name} (${p.email})`;
const ciLabel = (c: { name: string; environment: string }) => `${c.name} (${c.environment})`;

/** The CI filter's search: by name, environment or tag, first matches by name. */
export async function searchHistoryCis(query: string): Promise<FilterChoice[]> {
  const rows = await db().configurationItem.findMany({
    where: ciSearchWhere(query),
    orderBy: { name: "asc" },
    take: CHOICES_SHOWN,
    select: { id: true, name: true, environment: true },
  });
  return rows.map((c) => ({ id: c.id, label: ciLabel(c) }));
}

/** The person filter's search: by name or email, deactivated users included (their acts stay in the history). */
export async function searchHistoryPeople(query: string): Promise<FilterChoice[]> {
  const q = typeof query === "string" ? cleanText(query) : "";
  const rows = await db().user.findMany({
    where: q
      ? { OR: [{ name: { contains: likeText(q), mode: "insensitive" } }, { email: { contains: likeText(q), mode: "insensitive" } }] }
      : {},
    orderBy: [{ name: "asc" }, { email: "asc" }],
    take: CHOICES_SHOWN,
    select: { id: true, name: true, email: true },
  });
  return rows.map((p) => ({ id: p.id, label: personLabel(p) }));
}

/**
 * What the filter form needs besides its fixed lists: the actions the log holds, and the names
 * of the CI and person the search is filtered by. CIs and people are searched as one types
 * (thousands of them would weigh down every page as <option>s).
 */
export async function historyFilterOptions(viewer: Actor, filters: Pick<HistoryFilters, "ci" | "actor">) {
  await refuseReadUnlessCan(viewer, "audit.read");
  const [ci, actor, actions] = await Promise.all([
    filters.ci
      ? db().configurationItem.findUnique({ where: { id: filters.ci }, select: { id: true, name: true, environment: true } })
      : null,
    filters.actor ? db().user.findUnique({ where: { id: filters.actor }, select: { id: true, name: true, email: true } }) : null,
    // A skip scan over the (action, seq) index: one probe per distinct action, however long the log.
    db().$queryRaw<{ action: string }[]>`
      WITH RECURSIVE a AS (
        (SELECT action FROM audit_events ORDER BY action LIMIT 1)
        UNION ALL
        SELECT (SELECT action FROM audit_events WHERE action > a.action ORDER BY action LIMIT 1) FROM a WHERE a.action IS NOT NULL
      ) SELECT action FROM a WHERE action IS NOT NULL`,
  ]);
  return {
    ci: ci ? { id: ci.id, label: ciLabel(ci) } : null,
    actor: actor ? { id: actor.id, label: personLabel(actor) } : null,
    actions: actions.map((a) => a.action),
  };
}
