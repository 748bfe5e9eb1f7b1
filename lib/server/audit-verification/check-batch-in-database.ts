import "server-only";
import { pgPool } from "../db/pg-pool";

/** What PostgreSQL found in one batch of the log, checked where the rows are. */
export type BatchSummary = {
  count: number;
  firstSeq: number | null;
  firstPrevHash: string | null;
  lastSeq: number | null;
  lastHash: string | null;
  /** Events without kept bytes (written before they were kept): their hash covers the columns. */
  legacy: number;
  /** Events whose hash is not SHA-256 of their previous hash and kept bytes, or that do not link to the event before them in the batch. */
  broken: number;
};

// The same rule as verifyChain (lib/domain/audit-chain.ts) and the insert trigger: an event's hash
// is SHA-256 over its previous hash and its kept bytes, and its previous hash is the hash of the
// event before it. The batch's rows never leave the server; only this one summary row does.
// Rows are read in seq order, the primary key, so count = last - first + 1 means no seq is
// missing between them.
const SUMMARY_SQL = `
  WITH batch AS (
    SELECT seq, prev_hash, hash, hashed_content, lag(hash) OVER (ORDER BY seq) AS prior
    FROM (SELECT seq, prev_hash, hash, hashed_content FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2) rows
  ), summary AS (
    SELECT count(*)::int AS count, min(seq) AS first_seq, max(seq) AS last_seq,
      count(*) FILTER (WHERE hashed_content IS NULL)::int AS legacy,
      count(*) FILTER (WHERE prev_hash <> prior
        OR hash <> encode(sha256(convert_to(prev_hash || hashed_content, 'UTF8')), 'hex'))::int AS broken
    FROM batch
  )
  SELECT s.*, f.prev_hash AS first_prev_hash, l.hash AS last_hash
  FROM summary s LEFT JOIN audit_events f ON f.seq = s.first_seq LEFT JOIN audit_events l ON l.seq = s.last_seq`;

type SummaryRow = {
  count: number;
  first_seq: string | null;
  last_seq: string | null;
  legacy: number;
  broken: number;
  first_prev_hash: string | null;
  last_hash: string | null;
};

/** Has PostgreSQL check the `limit` events after `afterSeq` and answer with a summary. */
export async function summarizeBatch(afterSeq: number, limit: number): Promise<BatchSummary> {
  const { rows } = await pgPool().query<SummaryRow>({ name: "verify-live-chain-summary", text: SUMMARY_SQL, values: [afterSeq, limit] });
  const row = rows[0]!;
  const seq = (value: string | null) => (value === null ? null : Number(value));
  return {
    count: row.count,
    firstSeq: seq(row.first_seq),
    firstPrevHash: row.first_prev_hash,
    lastSeq: seq(row.last_seq),
    lastHash: row.last_hash,
    legacy: row.legacy,
    broken: row.broken,
  };
}

/**
 * Whether a summary shows the whole batch sound and following on from `previous`: every event
 * asked for is there in order, links to the one before it, and hashes right. Anything else (a
 * gap, a broken link or hash, events without kept bytes) is for the full check to name.
 */
export function batchHolds(
  summary: BatchSummary,
  previous: { seq: number; hash: string },
  limit: number,
): summary is BatchSummary & { lastSeq: number; lastHash: string } {
  return (
    summary.count === limit &&
    summary.legacy === 0 &&
    summary.broken === 0 &&
    summary.firstSeq === previous.seq + 1 &&
    summary.lastSeq === previous.seq + limit &&
    summary.firstPrevHash === previous.hash &&
    summary.lastHash !== null
  );
}
