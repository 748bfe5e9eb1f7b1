// Casting a vote through the real use case (castVote: lock, facts, decide, insert, audit event)
// vs a hand-written SQL transaction doing the same writes, on the same database, one at a time.
import pg from "pg";
import { chainEvent } from "../../../lib/domain/audit-chain";
import { hashedContent } from "../../../lib/domain/audit-event";
import { requiredApprovals } from "../../../lib/domain/approval-policy";
import type { ApproverRole } from "../../../lib/domain/vote";
import { newToken } from "../../../lib/domain/api-token";
import { apiRoute } from "../../../lib/server/api/api-route";
import { castChangeVote } from "../../../lib/server/api/endpoints/change-steps";
import { loadActor, type Actor } from "../../../lib/server/auth/current-actor";
import { castVote } from "../../../lib/server/changes/cast-vote";
import { statementNames } from "../../../lib/server/db/statement-names";
import { seededRandom } from "../../lib/history/random";
import { perSecond, type BenchContext, type BenchModule } from "../types";

const PER_BLOCK = 40;
const BLOCKS = 4;

type Pair = { changeId: string; voterId: string; role: ApproverRole };

async function votablePairs(client: pg.Client, wanted: number): Promise<Pair[]> {
  const { rows: changes } = await client.query(`
    SELECT c.id, c.type, c.risk_level, c.requester_id, c.implementer_id, c.new_external_interface, c.touches_auth, c.regulated_data, c.framework_tags,
           c.infra_provisioning, c.release_artifact, c.temporary_access,
           array(SELECT v.voter_id FROM votes v JOIN approval_rounds r ON r.id = v.round_id WHERE v.change_id = c.id AND r.number = c.approval_round) AS voted,
           array(SELECT v.role::text FROM votes v JOIN approval_rounds r ON r.id = v.round_id WHERE v.change_id = c.id AND r.number = c.approval_round AND v.decision = 'approve') AS approved_roles
    FROM change_requests c WHERE c.state = 'authorization' AND c.approval_round > 0`);
  const { rows: holders } = await client.query<{ user_id: string; role: ApproverRole }>(
    "SELECT ur.user_id, ur.role FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE u.active AND ur.role IN ('cab_member', 'change_manager', 'security_reviewer')",
  );
  const pairs: Pair[] = [];
  for (const c of changes) {
    const rules = requiredApprovals({
      type: c.type,
      risk: c.risk_level ? { level: c.risk_level, summary: "" } : null,
      flags: {
        newExternalInterface: c.new_external_interface,
        touchesAuth: c.touches_auth,
        regulatedData: c.regulated_data,
        frameworkTags: c.framework_tags,
        infraProvisioning: c.infra_provisioning,
        releaseArtifact: c.release_artifact,
        temporaryAccess: c.temporary_access,
      },
    }).rules;
    // Every approval the change still needs but one, so no measured vote authorizes it: each vote
    // is the same work (no transition), on either side.
    const taken = new Set<string>([...c.voted, c.requester_id, c.implementer_id]);
    const open: Pair[] = [];
    for (const rule of rules) {
      const missing = rule.count - (c.approved_roles as string[]).filter((role) => role === rule.role).length;
      for (const h of holders.filter((x) => x.role === rule.role && !taken.has(x.user_id)).slice(0, Math.max(0, missing))) {
        taken.add(h.user_id);
        open.push({ changeId: c.id, voterId: h.user_id, role: rule.role });
      }
    }
    pairs.push(...open.slice(0, -1));
  }
  const random = seededRandom(pairs.length);
  const chosen = random.sample(pairs, wanted);
  if (chosen.length < wanted)
    throw new Error(`Only ${chosen.length} votes can still be cast on this database; regenerate it (npm run bench:data).`);
  return chosen;
}

// The baseline names its statements the way the application's client does (statement-names.ts),
// so each is prepared once on the bench's connection: the best plain `pg` can do.
const statementName = statementNames();
const run = (client: pg.Client, text: string, values: unknown[] = []) => client.query({ name: statementName({ sql: text }), text, values });

/** The same writes castVote makes, by hand: lock the change, find the round, insert the vote, bump the version, append the chained audit event. */
async function sqlVote(client: pg.Client, pair: Pair, actor: Actor): Promise<void> {
  await run(client, "BEGIN");
  try {
    const {
      rows: [change],
    } = await run(client, "SELECT approval_round FROM change_requests WHERE id = $1 FOR UPDATE", [pair.changeId]);
    const {
      rows: [round],
    } = await run(client, "SELECT id FROM approval_rounds WHERE change_id = $1 AND number = $2", [pair.changeId, change.approval_round]);
    await run(client, "INSERT INTO votes (round_id, change_id, voter_id, role, decision, comment) VALUES ($1, $2, $3, $4, 'approve', '')", [
      round.id,
      pair.changeId,
      pair.voterId,
      pair.role,
    ]);
    await run(client, "UPDATE change_requests SET version = version + 1, updated_at = now() WHERE id = $1", [pair.changeId]);
    const {
      rows: [head],
    } = await run(client, "SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
    const seq = Number(head.seq) + 1;
    const content = hashedContent({
      seq,
      occurredAt: new Date().toISOString(),
      actorId: actor.id,
      actorEmail: actor.email,
      action: "change.vote_cast",
      entityType: "change",
      entityId: pair.changeId,
      changeId: pair.changeId,
      before: null,
      after: { role: pair.role, decision: "approve", round: change.approval_round },
      reason: null,
      clientAddress: null,
    });
    const { hashed, hash } = chainEvent(head.hash, content);
    await run(
      client,
      "INSERT INTO audit_events (seq, occurred_at, actor_id, actor_email, action, entity_type, entity_id, change_id, before, after, reason, client_address, prev_hash, hash, hashed_content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, NULL, NULL, $10, $11, $12)",
      [
        seq,
        content.occurredAt,
        actor.id,
        actor.email,
        content.action,
        content.entityType,
        content.entityId,
        content.changeId,
        JSON.stringify(content.after),
        head.hash,
        hash,
        hashed,
      ],
    );
    await run(client, "UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1", [seq, hash]);
    await run(client, "COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

export const voteRow: BenchModule = {
  title: "vote",
  async run(ctx: BenchContext) {
    const client = new pg.Client({ connectionString: ctx.large.appUrl });
    await client.connect();
    const started = new Date();
    let pairs: Pair[] = [];
    try {
      // The same votes each block, on either side: each block's votes are taken back (untimed)
      // before the next, so a database with a realistic CAB queue (a few dozen changes awaiting
      // votes) serves every block, and both sides cast exactly the same votes.
      pairs = await votablePairs(client, PER_BLOCK);
      const actors = new Map<string, Actor>();
      for (const p of pairs) if (!actors.has(p.voterId)) actors.set(p.voterId, (await loadActor(p.voterId))!);
      const viaUseCase = async (p: Pair) => {
        const result = await castVote(actors.get(p.voterId)!, { changeId: p.changeId, role: p.role, decision: "approve", comment: "" });
        if (!result.ok) throw new Error(`castVote refused a vote the bench chose: ${result.message}`);
      };
      const viaSql = (p: Pair) => sqlVote(client, p, actors.get(p.voterId)!);
      const [useCase, sql] = await votesPerSecond(ctx, pairs, started, viaUseCase, viaSql);
      return [
        {
          name: `Cast a vote, audit event included (${ctx.large.changes.toLocaleString("en-US")} changes)`,
          figure: perSecond(useCase, "votes"),
          baseline: perSecond(sql, "votes") + " (SQL txn)",
          ratio: useCase / sql,
          target: ">= 0.5",
        },
      ];
    } finally {
      await client.end();
      await forgetVotes(ctx.large.ownerUrl, pairs, started);
    }
  },
};

/**
 * Votes a second on each side: a warm-up block each, then BLOCKS blocks a side, alternating so
 * drift on a shared machine hits both alike; each block's votes are taken back (untimed) before the next.
 */
async function votesPerSecond(
  ctx: BenchContext,
  pairs: Pair[],
  started: Date,
  first: (p: Pair) => Promise<void>,
  second: (p: Pair) => Promise<void>,
): Promise<[number, number]> {
  const block = async (fn: (p: Pair) => Promise<void>) => {
    const began = performance.now();
    for (const p of pairs) await fn(p);
    const elapsed = performance.now() - began;
    await forgetVotes(ctx.large.ownerUrl, pairs, started);
    return elapsed;
  };
  await block(first);
  await block(second);
  let firstMs = 0;
  let secondMs = 0;
  for (let b = 0; b < BLOCKS; b++) {
    firstMs += await block(first);
    secondMs += await block(second);
  }
  const n = PER_BLOCK * BLOCKS;
  return [n / (firstMs / 1000), n / (secondMs / 1000)];
}

/** The bench's own API tokens are named so; each run removes them. */
const BENCH_VOTE_TOKEN = "Bench vote token";

/** One changes:write token per voter, inserted as issueOwnToken would store it; the secrets are kept for the run. */
async function voterTokens(client: pg.Client, voterIds: string[]): Promise<Map<string, string>> {
  await client.query("DELETE FROM api_tokens WHERE name = $1", [BENCH_VOTE_TOKEN]);
  const tokens = new Map<string, string>();
  for (const id of new Set(voterIds)) {
    const t = newToken();
    await client.query(
      `INSERT INTO api_tokens (public_id, secret_hash, owner_id, name, scopes, created_by_id, expires_at)
       VALUES ($1, $2, $3, $4, ARRAY['changes:read', 'changes:write'], $3, now() + interval '1 day')`,
      [t.publicId, t.secretHash, id, BENCH_VOTE_TOKEN],
    );
    tokens.set(id, t.token);
  }
  return tokens;
}

/**
 * The approver second-factor policy off for the row's run, as it was put back after: under
 * "required" each vote needs a fresh code in X-Second-Factor, one per voter per 30 s, which is no
 * throughput to measure; with it off the guard still runs (the policy and enrolment reads).
 */
async function policyOffDuring<T>(client: pg.Client, run: () => Promise<T>): Promise<T> {
  const {
    rows: [before],
  } = await client.query<{ value: unknown }>("SELECT value FROM app_settings WHERE key = 'second_factor_policy'");
  await client.query(
    `INSERT INTO app_settings (key, value) VALUES ('second_factor_policy', '"off"')
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
  );
  try {
    return await run();
  } finally {
    if (before) await client.query("UPDATE app_settings SET value = $1 WHERE key = 'second_factor_policy'", [JSON.stringify(before.value)]);
    else await client.query("DELETE FROM app_settings WHERE key = 'second_factor_policy'");
  }
}

/**
 * The vote through POST /api/v1/changes/{id}/votes (the route's handler in this process: Bearer
 * check, rate limit, body parse, the visibility read, the second-factor guard, then castVote)
 * against castVote itself, as a pipeline calls it: `Prefer: return=minimal`, answered 204 with
 * the new ETag (not the change).
 */
export const voteApiRow: BenchModule = {
  title: "vote-api",
  async run(ctx: BenchContext) {
    const client = new pg.Client({ connectionString: ctx.large.appUrl });
    await client.connect();
    const started = new Date();
    let pairs: Pair[] = [];
    const handler = apiRoute(castChangeVote);
    try {
      pairs = await votablePairs(client, PER_BLOCK);
      const actors = new Map<string, Actor>();
      for (const p of pairs) if (!actors.has(p.voterId)) actors.set(p.voterId, (await loadActor(p.voterId))!);
      const tokens = await voterTokens(
        client,
        pairs.map((p) => p.voterId),
      );
      const viaUseCase = async (p: Pair) => {
        const result = await castVote(actors.get(p.voterId)!, { changeId: p.changeId, role: p.role, decision: "approve", comment: "" });
        if (!result.ok) throw new Error(`castVote refused a vote the bench chose: ${result.message}`);
      };
      const viaApi = async (p: Pair) => {
        const request = new Request(`http://bench.local/api/v1/changes/${p.changeId}/votes`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.get(p.voterId)}`, "content-type": "application/json", prefer: "return=minimal" },
          body: JSON.stringify({ role: p.role, decision: "approve", comment: "" }),
        });
        const response = await handler(request, { params: Promise.resolve({ id: p.changeId }) });
        if (response.status !== 204 || !response.headers.get("etag"))
          throw new Error(`The vote route answered ${response.status}: ${await response.text()}`);
      };
      const [api, useCase] = await policyOffDuring(client, () => votesPerSecond(ctx, pairs, started, viaApi, viaUseCase));
      return [
        {
          name: `Cast a vote through the API (${ctx.large.changes.toLocaleString("en-US")} changes)`,
          figure: perSecond(api, "votes"),
          baseline: perSecond(useCase, "votes") + " (castVote)",
          ratio: api / useCase,
          target: ">= 0.8",
          note: "Prefer: return=minimal (204 with the ETag); second-factor policy off, voters without an authenticator app",
        },
      ];
    } finally {
      await client.query("DELETE FROM api_tokens WHERE name = $1", [BENCH_VOTE_TOKEN]);
      await client.end();
      await forgetVotes(ctx.large.ownerUrl, pairs, started);
    }
  },
};

/**
 * Takes back the votes this run cast (as the schema owner: the app may not delete votes), so the
 * same votes can be cast again and one generated database serves any number of runs. Their audit
 * events stay: the chain only grows.
 */
async function forgetVotes(ownerUrl: string, pairs: Pair[], since: Date): Promise<void> {
  if (pairs.length === 0) return;
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query(
      "DELETE FROM votes v USING unnest($1::uuid[], $2::uuid[]) AS p(change_id, voter_id) WHERE v.change_id = p.change_id AND v.voter_id = p.voter_id AND v.cast_at >= $3",
      [pairs.map((p) => p.changeId), pairs.map((p) => p.voterId), since],
    );
  } finally {
    await owner.end();
  }
}
