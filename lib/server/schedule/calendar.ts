import "server-only";
import type { CalendarFilters } from "@/lib/domain/calendar-params";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { canViewChange, type ChangeViewer } from "@/lib/domain/change-visibility";
import { RISK_LEVELS } from "@/lib/domain/risk-levels";
import type { TimeWindow } from "@/lib/domain/schedule-windows";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import { Prisma } from "../db/generated/client";
import { db } from "../db/db";
import { freezesBetween } from "./load-schedule";

/** Scheduled and implementing changes: what the forward schedule holds. */
const ON_CALENDAR = Prisma.sql`c.state IN ('scheduled', 'implementing')`;

function filterSql(f: CalendarFilters) {
  return Prisma.sql`
    ${f.type ? Prisma.sql`AND c.type = ${f.type}::change_type` : Prisma.empty}
    ${f.risk ? Prisma.sql`AND c.risk_level = ${f.risk}::risk_level` : Prisma.empty}
    ${f.env ? Prisma.sql`AND EXISTS (SELECT 1 FROM change_cis x JOIN configuration_items i ON i.id = x.ci_id WHERE x.change_id = c.id AND i.environment = ${f.env.toLowerCase()})` : Prisma.empty}
    ${f.ci ? Prisma.sql`AND EXISTS (SELECT 1 FROM change_cis x JOIN configuration_items i ON i.id = x.ci_id WHERE x.change_id = c.id AND i.name ILIKE ${`%${f.ci}%`})` : Prisma.empty}`;
}

type CalendarRow = {
  id: string;
  number: number;
  title: string;
  type: (typeof CHANGE_TYPES)[number];
  state: "scheduled" | "implementing";
  risk_level: (typeof RISK_LEVELS)[number] | null;
  planned_start: Date;
  planned_end: Date;
  requester_id: string;
  implementer_id: string | null;
  ci_names: string[];
};

/** A change on the calendar, which everyone sees; `canOpen`: whether the viewer may open its page. */
export type CalendarChange = Omit<CalendarRow, "requester_id" | "implementer_id"> & { canOpen: boolean };

function forViewer(viewer: ChangeViewer, rows: CalendarRow[]): CalendarChange[] {
  return rows.map(({ requester_id, implementer_id, ...row }) => ({
    ...row,
    canOpen: canViewChange(viewer, { requesterId: requester_id, implementerId: implementer_id }),
  }));
}

const COLUMNS = Prisma.sql`c.id, c.number, c.title, c.type, c.state, c.risk_level, c.planned_start, c.planned_end, c.requester_id, c.implementer_id,
  ARRAY(SELECT i.name FROM change_cis x JOIN configuration_items i ON i.id = x.ci_id WHERE x.change_id = c.id ORDER BY i.name) AS ci_names`;

/** The month or week: its changes and freezes. A month holds few enough changes to draw them all; capped as a guard. */
export async function calendarWindow(viewer: ChangeViewer, range: TimeWindow, filters: CalendarFilters) {
  const changes = await db().$queryRaw<CalendarRow[]>`
    SELECT ${COLUMNS} FROM change_requests c
    WHERE ${ON_CALENDAR} AND c.planned_start < ${range.end} AND c.planned_end > ${range.start} ${filterSql(filters)}
    ORDER BY c.planned_start, c.id LIMIT 500`;
  return { changes: forViewer(viewer, changes), freezes: await freezesBetween(db(), range) };
}

export const FORWARD_PAGE_SIZE = 25;

/** The forward schedule: changes not yet over, soonest first, by keyset on (planned_start, id). */
export async function forwardSchedule(viewer: ChangeViewer, filters: CalendarFilters, now = new Date()) {
  const cursor = decodeTimeCursor(filters.after);
  const keyset = cursor ? Prisma.sql`AND (c.planned_start, c.id) > (${cursor.at}, ${cursor.id}::uuid)` : Prisma.empty;
  const rows = await db().$queryRaw<CalendarRow[]>`
    SELECT ${COLUMNS} FROM change_requests c
    WHERE ${ON_CALENDAR} AND c.planned_end > ${now} ${filterSql(filters)} ${keyset}
    ORDER BY c.planned_start, c.id LIMIT ${FORWARD_PAGE_SIZE + 1}`;
  const page = rows.slice(0, FORWARD_PAGE_SIZE);
  const last = page.at(-1);
  const freezes = await comingFreezes(now);
  return {
    rows: forViewer(viewer, page),
    freezes,
    nextCursor: rows.length > FORWARD_PAGE_SIZE && last ? `${last.planned_start.toISOString()}_${last.id}` : null,
  };
}

/** The freezes not yet over that start within a year, soonest first: what the forward schedule shades, for everyone. */
export function comingFreezes(now = new Date()) {
  return freezesBetween(db(), { start: now, end: new Date(now.getTime() + 366 * 86_400_000) });
}

export async function calendarEnvironments(): Promise<string[]> {
  const rows = await db().configurationItem.findMany({
    distinct: ["environment"],
    select: { environment: true },
    orderBy: { environment: "asc" },
  });
  return rows.map((r) => r.environment);
}
