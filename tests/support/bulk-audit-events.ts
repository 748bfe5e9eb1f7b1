// Appends many audit events at once, for tests that need a long log: a real, verifiable chain
// (hashed as appendAuditEvent hashes) written in multi-row INSERTs that the link trigger accepts.
import pg from "pg";
import { chainEvent } from "../../lib/domain/audit-chain";
import { hashedContent } from "../../lib/domain/audit-event";

export async function appendBulkAuditEvents(
  url: string,
  count: number,
  options: { actor?: { id: string; email: string }; batch?: number } = {},
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ seq: string; hash: string }>("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
    let seq = Number(rows[0]!.seq);
    let hash = rows[0]!.hash;
    const start = Date.now();
    const batch = options.batch ?? 5_000;
    for (let done = 0; done < count;) {
      const cols: unknown[][] = Array.from({ length: 12 }, () => []);
      for (let i = 0; i < batch && done < count; i++, done++) {
        seq += 1;
        const content = hashedContent({
          seq,
          occurredAt: new Date(start + seq).toISOString(),
          actorId: options.actor?.id ?? null,
          actorEmail: options.actor?.email ?? null,
          action: "test.bulk_event",
          entityType: "test",
          entityId: `bulk-${seq}`,
          changeId: null,
          before: { note: "a field value long enough to make each exported line a realistic size", n: seq - 1 },
          after: { note: "a field value long enough to make each exported line a realistic size", n: seq },
          reason: "bulk event written by a test",
          clientAddress: "127.0.0.1",
        });
        const { hashed, hash: next } = chainEvent(hash, content);
        [
          content.seq,
          content.occurredAt,
          content.actorId,
          content.actorEmail,
          content.action,
          content.entityType,
          content.entityId,
          JSON.stringify(content.before),
          JSON.stringify(content.after),
          hash,
          next,
          hashed,
        ].forEach((v, k) => cols[k]!.push(v));
        hash = next;
      }
      await client.query(
        `INSERT INTO audit_events (seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, before, after, reason, client_address, prev_hash, hash, hashed_content)
         SELECT s, o, a::uuid, e, act, et, ei, b::jsonb, af::jsonb, 'bulk event written by a test', '127.0.0.1', p, h, hc
         FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           WITH ORDINALITY AS t(s, o, a, e, act, et, ei, b, af, p, h, hc, n) ORDER BY n`,
        cols,
      );
    }
    await client.query("UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1", [seq, hash]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    await client.end();
  }
}
