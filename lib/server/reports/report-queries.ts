import "server-only";
import {
  PRIVILEGED_ROLES,
  SIGN_IN_BURST_LOOKBACK_DAYS,
  SIGN_IN_BURST_MIN_FAILURES,
  SIGN_IN_BURST_WINDOW_MINUTES,
} from "@/lib/domain/exception-reports";
import { Prisma } from "../db/generated/client";
import { REVIEW_DEADLINE_DAYS } from "@/lib/domain/review-deadline";

// One SQL query per exception report. Each yields a unique text `sort_key`, so every report pages
// the same way (keyset on that key) and the CSV export walks it in batches.

const PRIVILEGED = Object.keys(PRIVILEGED_ROLES);

export const REPORT_SQL: Record<string, Prisma.Sql> = {
  // Both this report and "closed without review" find the exceptions' ids from narrow keys first (the
  // partial indexes of migration 20261202050000, whose conditions are written the same way) and read
  // only those changes' rows: reading every emergency's or every closed change's row grew with history.
  "overdue-emergency-reviews": Prisma.sql`
    WITH late AS (
      SELECT e.id, r.reviewed_at FROM change_requests e LEFT JOIN post_implementation_reviews r ON r.change_id = e.id
      WHERE e.type = 'emergency' AND e.implemented_at IS NOT NULL
        AND COALESCE(r.reviewed_at, now()) > e.implemented_at + make_interval(days => ${REVIEW_DEADLINE_DAYS}::int))
    SELECT c.id AS change_id, c.number, c.title, c.state::text AS state, c.implemented_at,
           c.implemented_at + make_interval(days => ${REVIEW_DEADLINE_DAYS}::int) AS deadline, late.reviewed_at,
           lpad(c.number::text, 12, '0') AS sort_key
    FROM late JOIN change_requests c ON c.id = late.id`,

  // Its condition and sort key are also those of the partial index change_requests_outside_window_idx
  // (migration 20261202040000): change one, change the other, or pages sort every change again.
  "outside-approved-window": Prisma.sql`
    SELECT c.id AS change_id, c.number, c.title, c.type::text AS type, c.planned_start, c.planned_end,
           c.implementation_started_at AS started_at, c.implemented_at,
           concat_ws('; ',
             CASE WHEN c.implementation_started_at < c.planned_start THEN 'started before the window' END,
             CASE WHEN c.implementation_started_at > c.planned_end THEN 'started after the window' END,
             CASE WHEN c.implemented_at > c.planned_end THEN 'finished after the window' END) AS breach,
           lpad(c.number::text, 12, '0') AS sort_key
    FROM change_requests c
    WHERE c.implementation_started_at IS NOT NULL AND c.planned_start IS NOT NULL AND c.planned_end IS NOT NULL
      AND (c.implementation_started_at < c.planned_start OR c.implementation_started_at > c.planned_end OR c.implemented_at > c.planned_end)`,

  "closed-without-review": Prisma.sql`
    WITH unreviewed AS (
      SELECT x.id FROM change_requests x
      WHERE x.state = 'closed' AND NOT EXISTS (SELECT 1 FROM post_implementation_reviews r WHERE r.change_id = x.id))
    SELECT c.id AS change_id, c.number, c.title, c.type::text AS type, c.closed_at, lpad(c.number::text, 12, '0') AS sort_key
    FROM unreviewed JOIN change_requests c ON c.id = unreviewed.id`,

  waivers: Prisma.sql`
    SELECT c.id AS change_id, c.number, c.title, c.state::text AS change_state, i.title AS item, u.email AS waived_by, i.signed_at AS waived_at,
           i.compensating_control, i.residual_risk, lpad(c.number::text, 12, '0') || ':' || i.key AS sort_key
    FROM checklist_items i JOIN change_requests c ON c.id = i.change_id LEFT JOIN users u ON u.id = i.signed_by_id
    WHERE i.status = 'waived'`,

  // Per role, the two-person request it came from (requester, approver, when), or who granted it directly.
  "access-review": Prisma.sql`
    SELECT u.id AS user_id, u.name, u.email, u.active, array_agg(ur.role::text ORDER BY ur.role) AS roles, min(ur.granted_at) AS granted_at,
           json_agg(json_build_object('role', ur.role, 'grantedAt', to_char(ur.granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'grantedBy', gb.email,
                                      'requestedBy', rq.email, 'approvedBy', ap.email, 'approvedAt', to_char(g.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) ORDER BY ur.role) AS grants,
           (SELECT max(e.occurred_at) FROM audit_events e WHERE e.actor_id = u.id AND e.action = 'auth.signed_in') AS last_sign_in,
           u.email AS sort_key
    FROM users u JOIN user_roles ur ON ur.user_id = u.id
    LEFT JOIN users gb ON gb.id = ur.granted_by_id
    LEFT JOIN role_grant_requests g ON g.id = ur.grant_request_id
    LEFT JOIN users rq ON rq.id = g.requested_by_id
    LEFT JOIN users ap ON ap.id = g.decided_by_id
    WHERE ur.role::text IN (${Prisma.join(PRIVILEGED)})
    GROUP BY u.id`,

  // Failures are counted per account, address and minute (sign-in-failures.ts; each minute's first
  // is also in the audit log); failures logged one event each, before that, count one apiece.
  // The throttle table says what is locked now.
  "failed-sign-in-bursts": Prisma.sql`
    SELECT b.*, EXISTS (SELECT 1 FROM login_throttle t WHERE t.key = 'account:' || b.account AND t.locked_until > now()) AS locked_now,
           to_char(b.window_start AT TIME ZONE 'UTC', 'YYYYMMDDHH24MI') || ':' || COALESCE(b.account, '') || ':' || COALESCE(b.address, '') AS sort_key
    FROM (
      SELECT f.account, f.address,
             date_bin(make_interval(mins => ${SIGN_IN_BURST_WINDOW_MINUTES}::int), f.at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS window_start,
             sum(f.failures)::int AS failures, min(f.first_at) AS first_at, max(f.last_at) AS last_at
      FROM (
        SELECT m.account, m.address, m.minute AS at, m.failures, m.first_at, m.last_at
        FROM sign_in_failure_minutes m
        WHERE m.minute > now() - make_interval(days => ${SIGN_IN_BURST_LOOKBACK_DAYS}::int)
        UNION ALL
        SELECT lower(e.after->>'email'), e.client_address, e.occurred_at, 1, e.occurred_at, e.occurred_at
        FROM audit_events e
        WHERE e.occurred_at > now() - make_interval(days => ${SIGN_IN_BURST_LOOKBACK_DAYS}::int) AND e.action = 'auth.sign_in_failed'
          AND NOT (e.after ? 'minute')
      ) f
      GROUP BY 1, 2, 3
      HAVING sum(f.failures) >= ${SIGN_IN_BURST_MIN_FAILURES}::int
    ) b`,

  // Newest first: the sort key counts down from the far future, so the ascending keyset walks back in time.
  "unauthorized-deployments": Prisma.sql`
    SELECT d.id AS deployment_id, d.deployed_at, d.environment, d.ci_name, d.status::text AS status, d.unauthorized_reason AS reason,
           d.reasons, d.change_id, c.number, d.digests, d.pipeline_run_url, d.pipeline_step, d.commit_sha, d.triggered_by,
           u.email AS reported_by,
           lpad((9999999999999 - (extract(epoch FROM d.deployed_at) * 1000)::bigint)::text, 13, '0') || ':' || d.id::text AS sort_key
    FROM (SELECT x.*, COALESCE(x.finished_at, x.started_at, x.created_at) AS deployed_at FROM deployments x WHERE NOT x.authorized) d
    LEFT JOIN change_requests c ON c.id = d.change_id LEFT JOIN users u ON u.id = d.reported_by_id`,
};

/** The values a report's free choice filters offer: what the data holds, a bounded list. */
export const REPORT_FILTER_CHOICES: Record<string, Record<string, Prisma.Sql>> = {
  "unauthorized-deployments": {
    environment: Prisma.sql`SELECT DISTINCT environment AS value FROM deployments WHERE NOT authorized ORDER BY 1 LIMIT 200`,
    ci: Prisma.sql`SELECT DISTINCT ci_name AS value FROM deployments WHERE NOT authorized ORDER BY 1 LIMIT 200`,
  },
};
