import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyCheckpointSignature } from "@/lib/domain/audit-checkpoint";
import { auditJsonLine } from "@/lib/domain/audit-jsonl";
import { auditPublicKeyPem, listCheckpoints } from "@/lib/server/audit/checkpoints";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { verifyAuditFile } from "@/lib/server/audit-verification/verify-audit-file";
import { verifyLiveChain } from "@/lib/server/audit-verification/verify-live-chain";
import { db } from "@/lib/server/db/db";
import { runDueJobs } from "@/lib/server/worker/run-worker";
import { changeMetrics } from "@/lib/server/metrics/change-metrics";
import { countReport } from "@/lib/server/reports/run-report";
import { doraMetrics } from "@/lib/server/metrics/dora-metrics";
import { seedDemoChanges } from "@/prisma/seed/seed-demo-changes";
import { seedIfEmpty } from "@/prisma/seed/seed";
import { findInconsistencies } from "../support/change-consistency";
import { readerWith } from "../support/fixtures";

// The demo as `npm start` seeds it into an empty database: months of back-dated history, then the
// live story through the use cases, on one chain that both verifiers accept.
const DAY = 86_400_000;
const AUDITOR = readerWith(["auditor"]);
let seconds = 0;

beforeAll(async () => {
  await seedIfEmpty(db(), { mode: "demo" });
  const started = performance.now();
  await seedDemoChanges();
  seconds = (performance.now() - started) / 1000;
  console.log(`[demo-seed] seeded the demo changes in ${seconds.toFixed(1)} s`);
}, 120_000);

const one = async <T>(sql: string): Promise<T> => {
  const client = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T;
  } finally {
    await client.end();
  }
};

describe("the demo seed", () => {
  it("leaves one chain, in time order, that the live and the offline verifier accept, with signed checkpoints", async () => {
    const live = await verifyLiveChain(() => undefined);
    expect(live).toMatchObject({ ok: true });
    const events = await readAuditEvents({ limit: 1_000_000 });
    expect(live.checked).toBe(events.length);
    expect(events.every((e, i) => i === 0 || e.occurredAt >= events[i - 1]!.occurredAt)).toBe(true);

    const file = path.join(await mkdtemp(path.join(os.tmpdir(), "demo-audit-")), "audit.jsonl");
    await writeFile(file, events.map((e) => auditJsonLine(e) + "\n").join(""));
    const checkpoints = await listCheckpoints({ limit: 100 });
    expect(checkpoints.length).toBeGreaterThan(0);
    const key = await auditPublicKeyPem();
    for (const cp of checkpoints) {
      expect(verifyCheckpointSignature(cp, key)).toBe(true);
      expect(verifyAuditFile(file, { checkpoint: cp })).toMatchObject({ ok: true, count: events.length });
    }
    // A periodic checkpoint of the back-dated past is dated with the event it signs.
    const past = checkpoints.find((cp) => cp.seq === 1000)!;
    expect(past.createdAt).toBe(events[999]!.occurredAt);
  });

  it("agrees row for row with its audit events, as the crash test demands of every change", async () => {
    const client = new pg.Client({ connectionString: process.env.TEST_OWNER_URL });
    await client.connect();
    try {
      expect(await findInconsistencies(client)).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it("tells a history: months old, with rework, rejections, failures and rollbacks, and today's story on top", async () => {
    const span = await one<{ oldest: Date; old: number; total: number; types: number; states: number }>(
      "SELECT min(created_at) AS oldest, count(*) FILTER (WHERE created_at < now() - interval '30 days')::int AS old, count(*)::int AS total, count(DISTINCT type)::int AS types, count(DISTINCT state)::int AS states FROM change_requests",
    );
    expect(Date.now() - span.oldest.getTime()).toBeGreaterThan(100 * DAY);
    expect(span.old).toBeGreaterThan(40);
    expect(span.total).toBeGreaterThan(60);
    expect(span.total).toBeLessThan(150);
    expect(span.types).toBe(4);
    expect(span.states).toBe(10);
    const outcomes = await one<{ failed: number; rolled_back: number; reworked: number; rejected: number; withdrawn: number }>(
      `SELECT count(*) FILTER (WHERE outcome = 'failed')::int AS failed, count(*) FILTER (WHERE outcome = 'rolled_back')::int AS rolled_back,
              count(*) FILTER (WHERE rework_count > 0 AND state = 'closed')::int AS reworked, count(*) FILTER (WHERE state = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE state = 'cancelled')::int AS withdrawn FROM change_requests`,
    );
    expect(outcomes.failed).toBeGreaterThan(0);
    expect(outcomes.rolled_back).toBeGreaterThan(0);
    expect(outcomes.reworked).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(1);
    expect(outcomes.withdrawn).toBeGreaterThan(1);
    expect(outcomes.rejected + outcomes.withdrawn).toBeLessThan(span.total / 5);
    // The recent ones are still under way, some scheduled for the weeks ahead (the calendar's forward schedule).
    expect(
      (await one<{ n: number }>("SELECT count(*)::int AS n FROM change_requests WHERE state = 'scheduled' AND planned_start > now()")).n,
    ).toBeGreaterThan(5);
    // Resubmitted after rework: a second round with its own votes.
    expect(
      await one(
        "SELECT count(*)::int AS n FROM change_requests c WHERE c.rework_count > 0 AND c.approval_round = 2 AND EXISTS (SELECT 1 FROM votes v JOIN approval_rounds r ON r.id = v.round_id WHERE r.change_id = c.id AND r.number = 2)",
      ),
    ).not.toEqual({ n: 0 });
    // Nobody approves or signs off their own or their implementation's change.
    expect(
      await one(
        `SELECT count(*)::int AS n FROM votes v JOIN change_requests c ON c.id = v.change_id WHERE v.voter_id IN (c.requester_id, c.implementer_id)`,
      ),
    ).toEqual({ n: 0 });
    expect(
      await one(
        `SELECT count(*)::int AS n FROM checklist_items i JOIN change_requests c ON c.id = i.change_id WHERE i.signed_by_id IN (c.requester_id, c.implementer_id)`,
      ),
    ).toEqual({ n: 0 });
  });

  it("gives metrics a real organisation would recognise", async () => {
    const now = new Date();
    const m = await changeMetrics(AUDITOR, { start: new Date(now.getTime() - 90 * DAY), end: now });
    expect(m.cabCycleHours.count).toBeGreaterThan(10);
    expect(m.cabCycleHours.median!).toBeGreaterThan(24);
    expect(m.cabCycleHours.p90!).toBeGreaterThan(m.cabCycleHours.median!);
    expect(m.leadTimeHours.median!).toBeGreaterThan(24);
    const byType = Object.fromEntries(m.successByType.map((r) => [r.type, r]));
    expect(byType.normal!.rate!).toBeLessThan(1);
    expect(byType.normal!.rate!).toBeGreaterThan(0.6);
    expect(byType.standard!.total).toBeGreaterThan(5);
    expect(m.successByTier.some((t) => t.rate !== null && t.rate < 1)).toBe(true);
    expect(m.reworkRate.rate!).toBeGreaterThan(0);
    expect(m.emergencyRate.rate!).toBeGreaterThan(0);
    expect(m.emergencyRate.rate!).toBeLessThan(0.25);
    expect(m.mttrHours.count).toBeGreaterThan(0);
    expect(m.reviewsOverdue).toBeGreaterThan(0);
  });

  it("feeds the auditors' reports: a missing and a late retrospective review, nothing closed without a review", async () => {
    expect(await countReport(AUDITOR, "overdue-emergency-reviews")).toBeGreaterThanOrEqual(2);
    // A few past implementations overran their approved window; most did not. (Today's story
    // starts its changes now, days before their planned windows.)
    expect(await countReport(AUDITOR, "outside-approved-window")).toBeGreaterThan(0);
    const past = await one<{ implemented: number; outside: number }>(
      `SELECT count(*)::int AS implemented, count(*) FILTER (WHERE implementation_started_at NOT BETWEEN planned_start AND planned_end OR implemented_at > planned_end)::int AS outside
       FROM change_requests WHERE implemented_at IS NOT NULL AND created_at < now() - interval '1 day'`,
    );
    expect(past.outside).toBeGreaterThan(0);
    expect(past.outside / past.implemented).toBeLessThan(0.1);
    expect(await countReport(AUDITOR, "closed-without-review")).toBe(0);
    expect(await countReport(AUDITOR, "waivers")).toBeGreaterThan(1);
  });

  it("has four months of deployments, authorized and not, that give the DORA charts and the report content", async () => {
    const spread = await one<{ months: number; total: number; unauthorized: number; reasons: string[]; events: number; orphans: number }>(
      `SELECT count(DISTINCT date_trunc('month', finished_at))::int AS months, count(*)::int AS total,
              count(*) FILTER (WHERE NOT authorized)::int AS unauthorized,
              array_agg(DISTINCT unauthorized_reason ORDER BY unauthorized_reason) FILTER (WHERE unauthorized_reason IS NOT NULL) AS reasons,
              (SELECT count(*)::int FROM audit_events e WHERE e.action = 'deployment.recorded') AS events,
              count(*) FILTER (WHERE change_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM change_requests c WHERE c.id = change_id AND c.implementation_started_at IS NOT NULL))::int AS orphans
       FROM deployments`,
    );
    expect(spread.months).toBeGreaterThanOrEqual(4);
    expect(spread.total).toBeGreaterThan(100);
    expect(spread.unauthorized).toBeGreaterThan(5);
    expect(spread.unauthorized / spread.total).toBeLessThan(0.1);
    expect(spread.reasons).toEqual(expect.arrayContaining(["digest_not_approved", "in_freeze", "no_change"]));
    // Every deployment is on the chain once, and carries only changes that were implemented.
    expect(spread.events).toBe(spread.total);
    expect(spread.orphans).toBe(0);
    expect(await countReport(AUDITOR, "unauthorized-deployments")).toBe(spread.unauthorized);
    // A staging CI is deployed to staging, never to production.
    expect(
      await one(
        "SELECT count(*)::int AS n FROM deployments d JOIN configuration_items i ON i.id = d.ci_id WHERE d.environment = 'production' AND i.environment <> 'production'",
      ),
    ).toEqual({ n: 0 });
    // A production deployment past its change's approved window is unauthorized (a failed change's backout aside).
    expect(
      await one(
        `SELECT count(*)::int AS n FROM deployments d JOIN change_requests c ON c.id = d.change_id
         WHERE d.environment = 'production' AND d.finished_at > c.planned_end AND d.authorized AND c.outcome NOT IN ('failed', 'rolled_back')`,
      ),
    ).toEqual({ n: 0 });

    const now = new Date();
    const dora = await doraMetrics(AUDITOR, { start: new Date(now.getTime() - 90 * DAY), end: now });
    expect(dora.figures.succeeded).toBeGreaterThan(30);
    expect(dora.figures.perDay).toBeGreaterThan(0.3);
    expect(dora.figures.leadTimeHours.count).toBeGreaterThan(20);
    expect(dora.figures.leadTimeHours.median!).toBeGreaterThan(6);
    expect(dora.figures.failure.rate!).toBeGreaterThan(0.03);
    expect(dora.figures.failure.rate!).toBeLessThan(0.3);
    expect(dora.figures.recoveryHours.count).toBeGreaterThan(1);
    expect(dora.figures.recoveryHours.median!).toBeLessThan(5);
    expect(dora.byTarget.length).toBeGreaterThan(3);
    // Most weeks of the trend have deployments.
    expect(dora.trend.filter((w) => w.figures.succeeded > 0).length).toBeGreaterThan(dora.trend.length * 0.7);
  });

  it("scores a backout as tested only where someone other than the requester recorded the test", async () => {
    const backout = `(SELECT (f->>'points')::int FROM jsonb_array_elements(c.risk_factors->'factors') f WHERE f->>'factor' = 'backout')`;
    const counts = await one<{ wrong: number; recorded: number; unrecorded: number }>(
      `SELECT count(*) FILTER (WHERE ${backout} = 0 AND (c.backout_tested_by_id IS NULL OR c.backout_tested_by_id = c.requester_id))::int AS wrong,
              count(*) FILTER (WHERE ${backout} = 0)::int AS recorded,
              count(*) FILTER (WHERE ${backout} = 10 AND c.backout_tested)::int AS unrecorded
       FROM change_requests c WHERE c.risk_factors IS NOT NULL`,
    );
    expect(counts.wrong).toBe(0);
    expect(counts.recorded).toBeGreaterThan(100);
    // Today's story has changes whose requester ticked the box but nobody else recorded the test yet.
    expect(counts.unrecorded).toBeGreaterThan(0);
  });

  it("has freezes in the past and the future", async () => {
    expect(
      await one(
        "SELECT count(*) FILTER (WHERE ends_at < now())::int AS past, count(*) FILTER (WHERE starts_at > now())::int AS future FROM freeze_windows",
      ),
    ).toEqual({ past: 2, future: 2 });
  });

  it("seeds quickly", () => {
    expect(seconds).toBeLessThan(60);
  });

  it("sends its story's mails, which land in the dev mailbox when no SMTP server is configured", async () => {
    const queued = await one<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'");
    expect(queued.n).toBeGreaterThan(5);
    await runDueJobs({ connectionString: process.env.DATABASE_URL });
    expect(
      await one(
        "SELECT count(*) FILTER (WHERE status = 'sent' AND transport = 'mailbox')::int AS mailbox, count(*) FILTER (WHERE status <> 'sent')::int AS other FROM deliveries",
      ),
    ).toEqual({ mailbox: queued.n, other: 0 });
    const kinds = await db().$queryRawUnsafe<{ kind: string }[]>("SELECT DISTINCT kind FROM deliveries ORDER BY kind");
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(["vote_awaited", "sign_off_awaited", "change_approved", "change_rejected"]),
    );
  });
});
