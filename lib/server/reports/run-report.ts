import "server-only";
import { reportBySlug, type AppliedFilter, type ReportDefinition } from "@/lib/domain/exception-reports";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { Prisma } from "../db/generated/client";
import { db } from "../db/db";
import { REPORT_FILTER_CHOICES, REPORT_SQL } from "./report-queries";

export type ReportPage<Row> = { report: ReportDefinition<Row>; rows: Row[]; nextCursor: string | null };

type RawRow = Record<string, unknown> & { sort_key: string };

// snake_case columns to the camelCase fields the report's definition reads.
const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const toRow = (raw: RawRow) =>
  Object.fromEntries(
    Object.entries(raw)
      .filter(([k]) => k !== "sort_key")
      .map(([k, v]) => [k === "change_id" ? "changeId" : camel(k), v]),
  );

// Column names come from the report definitions (constants), never from the request; checked anyway.
const filterSql = (filters: AppliedFilter[] = []) =>
  filters.length === 0
    ? Prisma.empty
    : Prisma.join(
        filters.map((f) => {
          if (!/^[a-z_]+$/.test(f.column)) throw new Error(`Not a report column: ${f.column}`);
          return Prisma.sql` AND report.${Prisma.raw(f.column)} ${Prisma.raw(f.op)} ${f.value}`;
        }),
        "",
      );

/** One page of a report, keyset on its sort key; null when there is no such report; the 403 page for a viewer who may not read the audit history. */
export async function runReport(
  viewer: Actor,
  slug: string,
  options: { after?: string | null; limit?: number; filters?: AppliedFilter[] } = {},
): Promise<ReportPage<unknown> | null> {
  await refuseReadUnlessCan(viewer, "audit.read");
  const report = reportBySlug(slug);
  const sql = REPORT_SQL[slug];
  if (!report || !sql) return null;
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000);
  const raw = await db().$queryRaw<RawRow[]>(Prisma.sql`
    SELECT * FROM (${sql}) report
    WHERE (${options.after ?? null}::text IS NULL OR report.sort_key > ${options.after ?? null}::text)${filterSql(options.filters)}
    ORDER BY report.sort_key LIMIT ${limit + 1}`);
  const rows = raw.slice(0, limit);
  return { report, rows: rows.map(toRow), nextCursor: raw.length > limit ? rows.at(-1)!.sort_key : null };
}

/** The query a report runs, as text, so an auditor can see what an empty report proves. */
export function reportQueryText(slug: string): string | null {
  const sql = REPORT_SQL[slug];
  if (!sql) return null;
  let n = 0;
  const values = sql.values;
  // Inline the constants for reading only; the query itself runs with parameters.
  return sql.sql
    .replace(/\?/g, () => {
      const v = values[n++];
      return Array.isArray(v) ? v.map((x) => `'${x}'`).join(", ") : typeof v === "string" ? `'${v}'` : String(v);
    })
    .replace(/\n {4}/g, "\n")
    .trim();
}

/** How many rows a report holds now. */
export async function countReport(viewer: Actor, slug: string, filters?: AppliedFilter[]): Promise<number | null> {
  await refuseReadUnlessCan(viewer, "audit.read");
  const sql = REPORT_SQL[slug];
  if (!sql) return null;
  const [row] = await db().$queryRaw<{ n: number }[]>(
    Prisma.sql`SELECT count(*)::int AS n FROM (${sql}) report WHERE true${filterSql(filters)}`,
  );
  return row?.n ?? 0;
}

/** The values each free choice filter of a report offers, from the data. */
export async function reportFilterChoices(viewer: Actor, slug: string): Promise<Record<string, string[]>> {
  await refuseReadUnlessCan(viewer, "audit.read");
  const queries = Object.entries(REPORT_FILTER_CHOICES[slug] ?? {});
  const found = await Promise.all(queries.map(([, sql]) => db().$queryRaw<{ value: string }[]>(sql)));
  return Object.fromEntries(queries.map(([key], i) => [key, found[i]!.map((r) => r.value)]));
}
