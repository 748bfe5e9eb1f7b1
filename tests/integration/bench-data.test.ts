import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
import { hashedContent } from "@/lib/domain/audit-event";
import { CHANGE_STATES } from "@/lib/domain/change-states";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { inTransaction } from "@/lib/server/db/transaction";
import { LONG_HISTORY_EVENTS, LONG_HISTORY_TITLE } from "../../scripts/bench/bench-fixtures";
import { generateBenchData, type GenerateResult } from "../../scripts/bench/data/generate-bench-data";

// The bench's data generator, at small scale, into this file's own database (as the schema owner).
const owner = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
const audit = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
let result: GenerateResult;

beforeAll(async () => {
  await owner.connect();
  await audit.connect();
  result = await generateBenchData(owner, audit, "$argon2id$v=19$m=19456,t=2,p=1$not-a-real-hash", { changes: 200, seed: 7 });
}, 120_000);

afterAll(async () => {
  await owner.end();
  await audit.end();
});

const one = async <T>(sql: string) => (await owner.query(sql)).rows[0] as T;

describe("the bench data generator", () => {
  it("writes an audit chain that verifies, with the head row at its last event", async () => {
    const events = await readAuditEvents({ limit: 1_000_000 });
    expect(events.length).toBe(result.events);
    expect(verifyChain(events, { contentOf: hashedContent })).toEqual({ ok: true, count: result.events, head: result.head });
    expect(await one("SELECT seq::int, hash FROM audit_chain_head")).toEqual({ seq: result.head.seq, hash: result.head.hash });
    // Events are in time order, as a live system writes them.
    expect(events.every((e, i) => i === 0 || e.occurredAt >= events[i - 1]!.occurredAt)).toBe(true);
  });

  it("leaves a chain the application extends", async () => {
    const next = await inTransaction((tx) => appendAuditEvent(tx, { actor: null, action: "test.after_bench_data", entityType: "test" }));
    expect(next.seq).toBe(result.head.seq + 1);
    expect(verifyChain(await readAuditEvents({ limit: 1_000_000 }))).toMatchObject({ ok: true });
  });

  it("makes realistic history: every type and state, about 20 events per change, votes, sign-offs, CIs with dependencies", async () => {
    const types = (await owner.query("SELECT DISTINCT type::text AS t FROM change_requests")).rows.map((r) => r.t).sort();
    const states = (await owner.query("SELECT DISTINCT state::text AS s FROM change_requests")).rows.map((r) => r.s).sort();
    expect(types).toEqual([...CHANGE_TYPES].sort());
    expect(states).toEqual([...CHANGE_STATES].sort());
    expect(result.tables).toMatchObject({ users: 300, configuration_items: 2_000, change_requests: 200 });
    expect(result.tables.ci_dependencies).toBeGreaterThan(3_000);
    expect(result.tables.votes).toBeGreaterThan(100);
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM checklist_items WHERE status = 'signed'")).n).toBeGreaterThan(0);
    const perChange = (await one<{ n: number }>("SELECT count(*)::float / 200 AS n FROM audit_events WHERE change_id IS NOT NULL")).n;
    expect(perChange).toBeGreaterThan(12);
    expect(perChange).toBeLessThan(30);
    const long = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events e JOIN change_requests c ON c.id = e.change_id WHERE c.title = '${LONG_HISTORY_TITLE}'`,
    );
    expect(long.n).toBe(LONG_HISTORY_EVENTS);
  });

  it("keeps every vote within its change's current or earlier round and every rejection explained", async () => {
    expect(
      await one(
        "SELECT count(*)::int AS n FROM votes v JOIN approval_rounds r ON r.id = v.round_id JOIN change_requests c ON c.id = v.change_id WHERE r.change_id <> v.change_id OR r.number > c.approval_round",
      ),
    ).toEqual({ n: 0 });
    expect(await one("SELECT count(*)::int AS n FROM change_requests WHERE state = 'authorization' AND approval_round = 0")).toEqual({
      n: 0,
    });
  });

  it("has most implementations finish inside their approved window, and a few overrun it", async () => {
    const { implemented, overran } = await one<{ implemented: number; overran: number }>(
      "SELECT count(*)::int AS implemented, count(*) FILTER (WHERE implemented_at > planned_end)::int AS overran FROM change_requests WHERE implemented_at IS NOT NULL",
    );
    expect(implemented).toBeGreaterThan(50);
    expect(overran).toBeGreaterThan(0);
    expect(overran / implemented).toBeLessThan(0.1);
  });
});
