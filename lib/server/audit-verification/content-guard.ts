import "server-only";
import { pgPool } from "../db/pg-pool";

/**
 * The constraint that keeps each audit event's columns in agreement with the bytes its hash
 * covers (migration 20261205100000), as PostgreSQL prints it back (pg_get_constraintdef). The
 * server enforces a CHECK constraint on every write, with triggers off or not; only a change of
 * the schema can drop, replace or un-validate it, and the catalog shows that change. The
 * definition is compared whole, so a weaker check under the same name does not pass.
 */
export const CONTENT_GUARD = {
  name: "audit_events_content_agrees",
  definition:
    "CHECK (((hashed_content IS NULL) OR ((hashed_content)::jsonb = jsonb_build_object('action', action, 'actorEmail', actor_email, " +
    "'actorId', actor_id, 'after', after, 'before', before, 'changeId', change_id, 'clientAddress', client_address, 'entityId', entity_id, " +
    "'entityType', entity_type, 'occurredAt', to_char((occurred_at AT TIME ZONE 'UTC'::text), 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'::text), " +
    "'reason', reason, 'seq', seq))))",
};

/**
 * Whether the guard stands: present on audit_events, validated (every row was checked when it was
 * added, and every write since), and with the definition above. While it does, no event's
 * columns can disagree with its kept bytes, and the live verifier checks those bytes alone.
 */
export async function contentGuardStands(): Promise<boolean> {
  const { rows } = await pgPool().query<{ validated: boolean; definition: string }>(
    `SELECT convalidated AS validated, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = 'audit_events'::regclass AND conname = $1 AND contype = 'c'`,
    [CONTENT_GUARD.name],
  );
  return rows.length === 1 && rows[0]!.validated && rows[0]!.definition === CONTENT_GUARD.definition;
}
