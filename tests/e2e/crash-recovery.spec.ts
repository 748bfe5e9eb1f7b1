import { randomInt } from "node:crypto";
import { expect, test } from "./support/test";
import pg from "pg";
import { ActionClient } from "../support/action-client";
import { CRASH_PORT } from "../support/e2e-ports";
import { AppServer } from "./support/app-server";
import { startChainVerifier } from "./support/chain-verifier";
import { findInconsistencies } from "../support/change-consistency";
import { CrashWorkload, seededRandom } from "./support/crash-workload";

// Its own `next start` on its own database (a copy of the seeded e2e one that `npm run test:e2e`
// makes), killed with SIGKILL at random moments while several people act on changes; after each
// restart, every change must agree with its audit events and the chain must verify.
// CRASH_KILLS: how many kills (default 50; more for a soak). CRASH_SEED: replays a run's choices.
const KILLS = Number(process.env.CRASH_KILLS || 50);
const SEED = Number(process.env.CRASH_SEED || randomInt(2 ** 31));
// Small, so kills also land in transactions that sign a checkpoint.
const CHECKPOINT_EVERY = 16;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function chainHead(db: pg.Pool): Promise<number> {
  return Number((await db.query(`SELECT seq FROM audit_chain_head WHERE id = 1`)).rows[0].seq);
}

/** The app's own transactions open right now: a kill at this moment cuts them. */
async function openTransactions(db: pg.Pool): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = current_user AND application_name <> 'crash-harness' AND xact_start IS NOT NULL`,
  );
  return rows[0].n;
}

/** The checks are no formality: rows changed behind the audit log's back are each reported. */
async function expectChecksToCatchTampering(db: pg.Pool): Promise<void> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const tampering = {
      "state differs from the last transition event": `UPDATE change_requests SET state = CASE WHEN state = 'closed' THEN 'draft' ELSE 'closed' END::change_state WHERE id = (SELECT id FROM change_requests LIMIT 1)`,
      "version differs": `UPDATE change_requests SET version = version + 1 WHERE id = (SELECT id FROM change_requests LIMIT 1)`,
      "vote rows and vote events are not one to one": `DELETE FROM votes WHERE id = (SELECT id FROM votes LIMIT 1)`,
      "checklist item differs": `UPDATE checklist_items SET status = 'pending', signed_by_id = NULL WHERE id = (SELECT id FROM checklist_items WHERE status = 'signed' LIMIT 1)`,
      "comments and comment events are not one to one": `INSERT INTO comments (change_id, author_id, body) SELECT id, requester_id, 'no event' FROM change_requests LIMIT 1`,
      "implementer differs": `UPDATE change_requests SET implementer_id = NULL WHERE id = (SELECT id FROM change_requests WHERE implementer_id IS NOT NULL LIMIT 1)`,
      "approval rounds differ": `UPDATE approval_rounds SET closed_at = now() WHERE id = (SELECT id FROM approval_rounds WHERE closed_at IS NULL LIMIT 1)`,
      "audit chain head is not the last event": `UPDATE audit_chain_head SET seq = seq + 1`,
    };
    for (const statement of Object.values(tampering)) expect((await client.query(statement)).rowCount).toBe(1);
    const problems = await findInconsistencies(client);
    for (const name of Object.keys(tampering))
      expect(
        problems.some((p) => p.startsWith(name)),
        `${name} in ${problems.join("\n")}`,
      ).toBe(true);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

test("every change agrees with its audit log after SIGKILLs at random moments", async () => {
  const appUrl = process.env.E2E_CRASH_APP_URL;
  if (!appUrl) throw new Error("Run the browser tests with `npm run test:e2e`: it prepares the crash test's database.");
  // Each round is a restart and the checks: a few seconds, many more on a crowded machine.
  test.setTimeout(120_000 + KILLS * 30_000);
  // The kill schedule has its own generator, so it replays exactly; what the workload meets depends on timing too.
  const random = seededRandom(SEED);
  console.log(`[crash] seed ${SEED}, ${KILLS} kills (CRASH_SEED=${SEED} replays its kill schedule and choices)`);

  const env = {
    ...process.env,
    DATABASE_URL: appUrl,
    PORT: String(CRASH_PORT),
    NEXTAUTH_URL: `http://localhost:${CRASH_PORT}`,
    AUDIT_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY),
  };
  const db = new pg.Pool({ connectionString: appUrl, max: 8, application_name: "crash-harness" });
  const server = new AppServer(CRASH_PORT, env);
  const verifier = startChainVerifier(env);
  const checkpoints = { every: CHECKPOINT_EVERY, sinceSeq: await chainHead(db) };
  const check = async (when: string) => {
    const problems = await findInconsistencies(db, checkpoints);
    const chain = await verifier.verify();
    if (!chain.ok) problems.push(`the audit chain does not verify: ${JSON.stringify(chain)}`);
    expect(problems, `${when} (seed ${SEED}):\n${problems.join("\n")}`).toEqual([]);
  };
  try {
    await expectChecksToCatchTampering(db);
    await server.start();
    await check("Before the first kill");
    const workload = new CrashWorkload(new ActionClient(server.url), db, seededRandom(SEED + 1), { agents: 4, activeChanges: 6 });
    await workload.prepare();
    const restarts: number[] = [];
    let midRequest = 0;
    let midTransaction = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      workload.resume();
      // Mostly once the restarted server answers again; sometimes while it is still cold.
      if (random() < 0.2) {
        await sleep(random() * 1000);
      } else {
        await workload.answered(30_000);
        await sleep(random() * 2000);
      }
      if (workload.inFlight > 0) midRequest++;
      if ((await openTransactions(db)) > 0) midTransaction++;
      await server.kill();
      await workload.pause();
      restarts.push(await server.start());
      await check(`After kill ${kill}`);
      if (kill % 10 === 0) console.log(`[crash] ${kill} kills, all consistent; ${JSON.stringify(workload.stats)}`);
    }
    const events = (await chainHead(db)) - checkpoints.sinceSeq;
    const final = await verifier.verify();
    const sorted = [...restarts].sort((a, b) => a - b);
    console.log(
      `[crash] ${KILLS} kills: ${midRequest} with requests in flight, ${midTransaction} with a transaction open; ` +
        `requests ${JSON.stringify(workload.stats)}; ${events} audit events, ${"checkpointsChecked" in final ? final.checkpointsChecked : 0} checkpoints verified; restart median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`,
    );
    // The run proves something only if the kills cut real work and the work moved changes along.
    expect(midRequest).toBeGreaterThanOrEqual(KILLS / 2);
    expect(workload.stats.succeeded).toBeGreaterThanOrEqual(KILLS / 2);
    expect(workload.errors, "server errors answered to the workload").toEqual([]);
    expect("checkpointsChecked" in final && final.checkpointsChecked).toBeGreaterThan(0);
    const { rows } = await db.query(`SELECT count(DISTINCT action)::int AS n FROM audit_events WHERE seq > $1 AND action LIKE 'change.%'`, [
      checkpoints.sinceSeq,
    ]);
    expect(rows[0].n).toBeGreaterThanOrEqual(8);
  } finally {
    await server.kill();
    await verifier.close();
    await db.end();
  }
});
