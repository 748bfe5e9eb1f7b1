// What must hold in the database whatever moment the server died at: every change's rows agree
// with its audit events, one to one, and nothing was left half done. Plain SQL, read as the app's role.
import type pg from "pg";
import { CHANGE_ACTION_EVENTS } from "../../lib/domain/change-actions";

const TRANSITIONS = ["change.created", ...Object.values(CHANGE_ACTION_EVENTS)];
// Every event that records a write to the change row (each bumps its version); refusals and comments do not.
const VERSION_BUMPS = [
  ...Object.values(CHANGE_ACTION_EVENTS),
  "change.vote_cast",
  "checklist.signed_off",
  "checklist.waived",
  "change.implementer_assigned",
  "change.edited",
  "change.rescheduled",
  "change.freeze_exception_requested",
  "change.freeze_exception_approved",
];
const OPEN_ROUND_STATES = ["submitted", "assessment", "authorization"];

type Check = { name: string; sql: string; values?: unknown[] };

const CHECKS: Check[] = [
  {
    name: "state differs from the last transition event",
    values: [TRANSITIONS],
    sql: `
      SELECT c.number, c.state::text AS state, last.after->>'state' AS last_event_state, last.action
      FROM change_requests c
      LEFT JOIN LATERAL (
        SELECT action, after FROM audit_events e WHERE e.change_id = c.id AND e.action = ANY($1) ORDER BY seq DESC LIMIT 1
      ) last ON true
      WHERE last.after->>'state' IS DISTINCT FROM c.state::text`,
  },
  {
    name: "transition event does not start where the one before ended",
    values: [TRANSITIONS],
    sql: `
      SELECT change_id, seq, action, before->>'state' AS from_state, previous_state
      FROM (
        SELECT change_id, seq, action, before, lag(after->>'state') OVER (PARTITION BY change_id ORDER BY seq) AS previous_state
        FROM audit_events WHERE action = ANY($1) AND change_id IS NOT NULL
      ) t
      WHERE action <> 'change.created' AND before->>'state' IS DISTINCT FROM previous_state`,
  },
  {
    name: "version differs from 1 + the writes its audit events record",
    values: [VERSION_BUMPS],
    sql: `
      SELECT c.number, c.version, 1 + count(e.seq)::int AS expected
      FROM change_requests c LEFT JOIN audit_events e ON e.change_id = c.id AND e.action = ANY($1)
      GROUP BY c.id HAVING c.version <> 1 + count(e.seq)`,
  },
  {
    name: "vote rows and vote events are not one to one",
    sql: `
      WITH rows AS (
        SELECT v.change_id, v.voter_id, v.role::text AS role, v.decision::text AS decision, r.number AS round, count(*) AS n
        FROM votes v JOIN approval_rounds r ON r.id = v.round_id GROUP BY 1, 2, 3, 4, 5
      ), events AS (
        SELECT change_id, actor_id AS voter_id, after->>'role' AS role, after->>'decision' AS decision, (after->>'round')::int AS round, count(*) AS n
        FROM audit_events WHERE action = 'change.vote_cast' GROUP BY 1, 2, 3, 4, 5
      )
      SELECT * FROM rows FULL JOIN events USING (change_id, voter_id, role, decision, round)
      WHERE rows.n IS DISTINCT FROM events.n`,
  },
  {
    name: "checklist item differs from its last sign-off or waiver event",
    sql: `
      WITH last AS (
        SELECT DISTINCT ON (change_id, after->>'key') change_id, after->>'key' AS key, action, actor_id
        FROM audit_events WHERE action IN ('checklist.signed_off', 'checklist.waived')
        ORDER BY change_id, after->>'key', seq DESC
      )
      SELECT i.change_id, coalesce(i.key, last.key) AS key, i.status::text AS status, i.signed_by_id, last.action, last.actor_id
      FROM checklist_items i FULL JOIN last ON last.change_id = i.change_id AND last.key = i.key
      WHERE i.status IS DISTINCT FROM (CASE last.action WHEN 'checklist.signed_off' THEN 'signed' WHEN 'checklist.waived' THEN 'waived' ELSE 'pending' END)::checklist_status
         OR i.signed_by_id IS DISTINCT FROM last.actor_id`,
  },
  {
    name: "comments and comment events are not one to one",
    sql: `
      SELECT c.id AS comment_id, e.seq, e.entity_id
      FROM comments c FULL JOIN (SELECT seq, entity_id FROM audit_events WHERE action = 'change.commented') e ON e.entity_id = c.id::text
      WHERE c.id IS NULL OR e.seq IS NULL`,
  },
  {
    name: "implementer differs from the last assignment event",
    sql: `
      SELECT c.number, c.implementer_id, last.after->>'implementerId' AS assigned
      FROM change_requests c
      LEFT JOIN LATERAL (
        SELECT after FROM audit_events e WHERE e.change_id = c.id AND e.action = 'change.implementer_assigned' ORDER BY seq DESC LIMIT 1
      ) last ON true
      WHERE c.implementer_id::text IS DISTINCT FROM last.after->>'implementerId'`,
  },
  {
    name: "approval rounds differ from the submissions",
    values: [OPEN_ROUND_STATES],
    sql: `
      SELECT c.number, c.state::text AS state, c.approval_round, count(r.id)::int AS rounds,
        (SELECT count(*)::int FROM audit_events e WHERE e.change_id = c.id AND e.action = 'change.submitted') AS submissions,
        count(r.id) FILTER (WHERE r.closed_at IS NULL)::int AS open_rounds
      FROM change_requests c LEFT JOIN approval_rounds r ON r.change_id = c.id
      WHERE c.type <> 'standard'
      GROUP BY c.id
      HAVING c.approval_round <> count(r.id)
          OR c.approval_round <> (SELECT count(*) FROM audit_events e WHERE e.change_id = c.id AND e.action = 'change.submitted')
          OR count(r.id) FILTER (WHERE r.closed_at IS NULL) <> (CASE WHEN c.state::text = ANY($1) THEN 1 ELSE 0 END)
          OR bool_or(r.closed_at IS NULL AND r.number <> c.approval_round)`,
  },
  {
    name: "audit chain head is not the last event",
    sql: `
      SELECT h.seq AS head_seq, h.hash AS head_hash, e.seq AS last_seq, e.hash AS last_hash, (SELECT count(*) FROM audit_events) AS events
      FROM audit_chain_head h LEFT JOIN LATERAL (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) e ON true
      WHERE h.id = 1 AND (h.seq IS DISTINCT FROM coalesce(e.seq, 0) OR (e.seq IS NOT NULL AND h.hash <> e.hash)
         OR (SELECT count(*) FROM audit_events) <> h.seq)`,
  },
];

const checkpointChecks = (every: number, sinceSeq: number): Check[] => [
  {
    name: "event has no periodic checkpoint, though its number calls for one",
    values: [every, sinceSeq],
    sql: `
      SELECT e.seq FROM audit_events e
      WHERE e.seq > $2 AND e.seq % $1 = 0
        AND NOT EXISTS (SELECT 1 FROM audit_checkpoints c WHERE c.seq = e.seq AND c.hash = e.hash AND c.reason = 'periodic')`,
  },
  {
    name: "checkpoint names an event that is not in the log",
    sql: `SELECT c.id, c.seq, c.reason FROM audit_checkpoints c LEFT JOIN audit_events e ON e.seq = c.seq WHERE e.hash IS DISTINCT FROM c.hash`,
  },
];

/**
 * Every disagreement found, as readable lines; none means the database is consistent.
 * `checkpoints`: the server signs one every N events, for the events after sinceSeq.
 */
export async function findInconsistencies(
  client: Pick<pg.Client, "query">,
  checkpoints?: { every: number; sinceSeq: number },
): Promise<string[]> {
  const problems: string[] = [];
  for (const check of [...CHECKS, ...(checkpoints ? checkpointChecks(checkpoints.every, checkpoints.sinceSeq) : [])]) {
    const { rows } = await client.query(check.sql, check.values);
    for (const row of rows.slice(0, 5)) problems.push(`${check.name}: ${JSON.stringify(row)}`);
    if (rows.length > 5) problems.push(`${check.name}: and ${rows.length - 5} more`);
  }
  return problems;
}
