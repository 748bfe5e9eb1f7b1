import "server-only";
import { containsPattern } from "@/lib/domain/contains-pattern";
import { changeNumberIn, historyRange, type HistoryFilters } from "@/lib/domain/history-filters";
import { Prisma } from "../db/generated/client";
import type { AuditEventRow } from "../audit/read-audit-events";

// The SQL of the auditor's history search, in one place: the pages read a keyset page of it and the
// exports stream all of it through a cursor, so an export holds exactly what the search shows.

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`);

function textMatch(q: string, columns: Prisma.Sql[], numberColumn: Prisma.Sql): Prisma.Sql {
  const pattern = containsPattern(q);
  const number = changeNumberIn(q);
  const ors = columns.map((c) => Prisma.sql`${c} ILIKE ${pattern}`);
  if (number !== null) ors.push(Prisma.sql`${numberColumn} = ${number}`);
  return Prisma.sql`(${Prisma.join(ors, " OR ")})`;
}

/** The conditions on a change's own type, state and framework tag, the same in both searches. */
function changeFacets(f: HistoryFilters): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  if (f.type) parts.push(Prisma.sql`c.type = ${f.type}::change_type`);
  if (f.state) parts.push(Prisma.sql`c.state = ${f.state}::change_state`);
  if (f.tag) parts.push(Prisma.sql`c.framework_tags @> ARRAY[${f.tag}]::text[]`);
  return parts;
}

/** Conditions on change_requests `c`; the date range applies to when the change was filed. */
export function changeConditions(f: HistoryFilters): Prisma.Sql {
  const { from, until } = historyRange(f);
  const parts: Prisma.Sql[] = [];
  if (from) parts.push(Prisma.sql`c.created_at >= ${from}`);
  if (until) parts.push(Prisma.sql`c.created_at < ${until}`);
  parts.push(...changeFacets(f));
  if (f.ci) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM change_cis cc WHERE cc.change_id = c.id AND cc.ci_id = ${f.ci}::uuid)`);
  if (f.actor) {
    parts.push(Prisma.sql`(c.requester_id = ${f.actor}::uuid OR c.implementer_id = ${f.actor}::uuid
      OR EXISTS (SELECT 1 FROM audit_events ae WHERE ae.change_id = c.id AND ae.actor_id = ${f.actor}::uuid))`);
  }
  if (f.action) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM audit_events ae WHERE ae.change_id = c.id AND ae.action = ${f.action})`);
  if (f.q) parts.push(textMatch(f.q, [Prisma.sql`c.title`, Prisma.sql`c.description`], Prisma.sql`c.number`));
  return and(parts);
}

// An event's own searchable fields joined by line breaks, the expression its trigram index holds
// (migration 20261202190000_history_text_indexes), so a rare text is read from the index instead
// of by walking the whole log. A search's text has no line breaks (historyFiltersSchema), so it
// matches the joined text exactly when it matches one of the fields.
function eventOwnText(q: string): Prisma.Sql {
  return Prisma.sql`audit_event_search_text(e.action, e.reason, e.actor_email, e.entity_id) ILIKE ${containsPattern(q)}`;
}

type EventConditionParts = {
  event: Prisma.Sql[];
  change: Prisma.Sql[];
  /** The free text, matched by the event's own fields or by its change's title or number. */
  text: { own: Prisma.Sql; change: Prisma.Sql } | null;
};

/** The event search's conditions: those on the event alone, those that read its change `c`, and the text. */
function eventConditionParts(f: HistoryFilters): EventConditionParts {
  const { from, until } = historyRange(f);
  const event: Prisma.Sql[] = [];
  const change = changeFacets(f);
  if (from) event.push(Prisma.sql`e.occurred_at >= ${from}`);
  if (until) event.push(Prisma.sql`e.occurred_at < ${until}`);
  if (f.ci) event.push(Prisma.sql`EXISTS (SELECT 1 FROM change_cis cc WHERE cc.change_id = e.change_id AND cc.ci_id = ${f.ci}::uuid)`);
  if (f.actor) event.push(Prisma.sql`e.actor_id = ${f.actor}::uuid`);
  if (f.action) event.push(Prisma.sql`e.action = ${f.action}`);
  const text = f.q ? { own: eventOwnText(f.q), change: textMatch(f.q, [Prisma.sql`c.title`], Prisma.sql`c.number`) } : null;
  return { event, change, text };
}

/**
 * The event search's conditions on audit_events `e` left-joined to its change `c` (change filters
 * drop events with no change), as alternatives whose union is the search: one without a text
 * filter; with one, the events whose own fields match and those whose change does. The search and
 * its exports read each alternative apart and merge them in chain order, each event once, so each
 * can use its own index (the events' text, or the matching changes' events) and the planner judges
 * each by its own statistics: a rare text no longer walks the whole log, a common one still reads
 * it in order.
 */
export function eventConditionAlternatives(f: HistoryFilters): Prisma.Sql[] {
  const { event, change, text } = eventConditionParts(f);
  if (!text) return [and([...event, ...change])];
  return [and([...event, ...change, text.own]), and([...event, ...change, text.change])];
}

/** Whether the event search reads the change's own columns, not only the event's. */
export const eventConditionsReadChange = (f: HistoryFilters) => {
  const { change, text } = eventConditionParts(f);
  return change.length > 0 || text !== null;
};

export const CHANGE_COLUMNS = Prisma.sql`
  c.id, c.number, c.title, c.type::text AS type, c.state::text AS state, c.risk_level::text AS risk_level, c.risk_score,
  c.framework_tags, c.planned_start, c.planned_end, c.submitted_at, c.authorized_at, c.implemented_at, c.closed_at,
  c.created_at, c.outcome::text AS outcome, r.email AS requester_email, i.email AS implementer_email,
  (SELECT string_agg(ci.name, '; ' ORDER BY ci.name) FROM change_cis cc JOIN configuration_items ci ON ci.id = cc.ci_id
    WHERE cc.change_id = c.id) AS ci_names`;
export const CHANGE_FROM = Prisma.sql`change_requests c JOIN users r ON r.id = c.requester_id LEFT JOIN users i ON i.id = c.implementer_id`;

export const EVENT_COLUMNS = Prisma.sql`
  e.seq, e.occurred_at, e.actor_id, e.actor_email, e.action, e.entity_type, e.entity_id, e.change_id, e.before, e.after,
  e.reason, e.client_address, e.prev_hash, e.hash, c.number AS change_number, c.title AS change_title`;
export const EVENT_FROM = Prisma.sql`audit_events e LEFT JOIN change_requests c ON c.id = e.change_id`;

// Events with their change's number only (an export's change reference), looked up per event and
// memoized per change: a change's events lie close together in time. With EVENT_FROM the planner
// hashes every change even for a small export (10k of 1.8M events: 54-81 -> 19-22 ms at 100k
// changes). The subquery's OFFSET 0 keeps it a lookup; it cannot serve conditions on the change.
export const EVENT_FROM_CHANGE_NUMBER = Prisma.sql`audit_events e LEFT JOIN LATERAL (SELECT x.number FROM change_requests x WHERE x.id = e.change_id OFFSET 0) c ON TRUE`;

export type ChangeHistoryRow = {
  id: string;
  number: number;
  title: string;
  type: string;
  state: string;
  risk_level: string | null;
  risk_score: number | null;
  framework_tags: string[];
  planned_start: Date | null;
  planned_end: Date | null;
  submitted_at: Date | null;
  authorized_at: Date | null;
  implemented_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  outcome: string | null;
  requester_email: string;
  implementer_email: string | null;
  ci_names: string | null;
};

export type EventHistoryRow = Omit<AuditEventRow, "seq"> & {
  seq: bigint | string | number;
  change_number: number | null;
  change_title: string | null;
};
