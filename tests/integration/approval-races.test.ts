import { beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "@/lib/domain/audit-chain";
import type { AuditEventRecord } from "@/lib/domain/audit-event";
import type { Result } from "@/lib/domain/result";
import { readAuditEvents } from "@/lib/server/audit/read-audit-events";
import { castVote } from "@/lib/server/changes/cast-vote";
import { performChangeAction } from "@/lib/server/changes/perform-change-action";
import { createChangeDraft } from "@/lib/server/changes/save-change-draft";
import { signOffItem } from "@/lib/server/changes/sign-off-item";
import { completeDraft, createTestCi, createTestUser, testDb } from "../support/fixtures";

// Issue 28 item 11, races: approvers on real parallel connections, each race repeated on fresh
// changes in one database. Every race must end in one outcome that the audit log explains.
// RACE_ITERATIONS (default 100) sets the repetitions; `RACE_ITERATIONS=1000` is the long run.
const ITERATIONS = Number(process.env.RACE_ITERATIONS ?? 100);
if (!Number.isSafeInteger(ITERATIONS) || ITERATIONS < 1)
  throw new Error(`RACE_ITERATIONS must be a positive whole number, not "${process.env.RACE_ITERATIONS}".`);
const RACERS = 5;
// Scales with the repetitions, so a long run is not cut short.
const TIMEOUT = Math.max(600_000, ITERATIONS * 6_000);
// Changes are brought to authorization this many at a time, before their races run one by one.
const BATCH = 10;

type U = Awaited<ReturnType<typeof createTestUser>>;
let requester: U, manager: U, manager2: U, security: U, security2: U, cab: U[];

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  manager = await createTestUser({ roles: ["change_manager"] });
  manager2 = await createTestUser({ roles: ["change_manager"] });
  security = await createTestUser({ roles: ["security_reviewer"] });
  security2 = await createTestUser({ roles: ["security_reviewer"] });
  cab = await Promise.all(Array.from({ length: 2 + RACERS }, () => createTestUser({ roles: ["cab_member"] })));
}, 120_000);

const must = async (result: Promise<Result<unknown>>) => {
  const r = await result;
  if (!r.ok) throw new Error(r.message);
};
const approve = (who: U, changeId: string, role: "cab_member" | "security_reviewer" | "change_manager") =>
  castVote(who.actor, { changeId, role, decision: "approve", comment: "Fine." });

/**
 * A normal change in authorization. "high": criticality 4, internet-facing, a known-exploited
 * CVE: CAB quorum (3) plus a security reviewer. "low": the change manager's approval.
 */
async function inAuthorization(risk: "high" | "low"): Promise<string> {
  const ci = await createTestCi(
    risk === "high" ? { criticality: 4, exposure: "internet_facing" } : { criticality: 1, exposure: "isolated" },
  );
  const created = await createChangeDraft(
    requester.actor,
    completeDraft([ci.id], risk === "high" ? { cves: "CVE-2026-4242 9.8 exploited" } : {}),
  );
  if (!created.ok) throw new Error(created.message);
  const id = created.value.id;
  await must(performChangeAction(requester.actor, { changeId: id, action: "submit" }));
  await must(performChangeAction(manager.actor, { changeId: id, action: "start_assessment" }));
  for (const item of await testDb().checklistItem.findMany({ where: { changeId: id, preImplementation: false } })) {
    await must(
      signOffItem(item.signerRole === "security_reviewer" ? security.actor : manager.actor, {
        changeId: id,
        key: item.key,
        evidence: "Checked.",
      }),
    );
  }
  await must(performChangeAction(manager.actor, { changeId: id, action: "request_authorization" }));
  const { riskLevel } = await testDb().changeRequest.findUniqueOrThrow({ where: { id }, select: { riskLevel: true } });
  expect(riskLevel).toBe(risk);
  return id;
}

/** Runs `race` on ITERATIONS fresh changes, prepared `BATCH` at a time by `prepare`; `i` counts from 0. */
async function repeat(prepare: (i: number) => Promise<string>, race: (changeId: string, i: number) => Promise<void>) {
  for (let done = 0; done < ITERATIONS; done += BATCH) {
    const ids = await Promise.all(Array.from({ length: Math.min(BATCH, ITERATIONS - done) }, (_, k) => prepare(done + k)));
    for (const [k, id] of ids.entries()) await race(id, done + k);
  }
}

type Attempt = { who: U; run: () => Promise<Result<unknown>>; accepted: string };
type Outcome = { attempt: Attempt; result: Result<unknown>; event: AuditEventRecord };

let verified = { seq: 0, hash: "" };
/** The chain from the last verified event on: gap-free, linked, every hash right. */
async function expectChainVerifies() {
  const events = await readAuditEvents({ afterSeq: verified.seq, limit: 1_000_000 });
  const verification = verifyChain(events, verified.seq === 0 ? {} : { from: verified });
  expect(verification).toMatchObject({ ok: true });
  const last = events.at(-1);
  if (last) verified = { seq: last.seq, hash: last.hash };
}

/**
 * Starts every attempt at once, each a transaction on its own connection, then checks the log
 * matches: exactly one event per attempt, by its actor (the accepted action's event, or a
 * refusal with the message the actor saw), nothing else; the state the last event records is
 * the change's; the votes stored are the votes the log recorded.
 */
async function raceAndCheck(changeId: string, attempts: Attempt[]): Promise<Outcome[]> {
  const [head] = await testDb().$queryRaw<{ seq: bigint }[]>`SELECT seq FROM audit_chain_head WHERE id = 1`;
  const results = await Promise.all(attempts.map((a) => a.run()));
  const events = await readAuditEvents({ afterSeq: Number(head!.seq), changeId, limit: 1_000 });
  expect(events).toHaveLength(attempts.length);
  const outcomes = attempts.map((attempt, i) => {
    const result = results[i]!;
    const mine = events.filter((e) => e.actorId === attempt.who.id);
    expect(mine).toHaveLength(1);
    const event = mine[0]!;
    if (result.ok) expect(event.action).toBe(attempt.accepted);
    else expect(event).toMatchObject({ action: "change.action_refused", reason: result.message });
    return { attempt, result, event };
  });
  const all = await readAuditEvents({ changeId, limit: 10_000 });
  const lastState = all
    .map((e) => (e.after as { state?: string } | null)?.state)
    .filter((s) => s !== undefined)
    .at(-1);
  const row = await testDb().changeRequest.findUniqueOrThrow({
    where: { id: changeId },
    select: { state: true, _count: { select: { votes: true } } },
  });
  expect(row.state).toBe(lastState);
  expect(row._count.votes).toBe(all.filter((e) => e.action === "change.vote_cast").length);
  await expectChainVerifies();
  return outcomes;
}

describe(`races, ${ITERATIONS} times each on fresh changes`, () => {
  it(
    `${RACERS} approvers race for the last quorum slot while the change manager authorizes`,
    async () => {
      await repeat(
        async () => {
          const id = await inAuthorization("high");
          // Everything but the last CAB approval.
          await must(approve(security, id, "security_reviewer"));
          for (const member of cab.slice(0, 2)) await must(approve(member, id, "cab_member"));
          return id;
        },
        async (id) => {
          const voters = cab.slice(2);
          const attempts: Attempt[] = [
            ...voters.map((who) => ({ who, run: () => approve(who, id, "cab_member"), accepted: "change.vote_cast" })),
            {
              who: manager,
              run: () => performChangeAction(manager.actor, { changeId: id, action: "schedule" }),
              accepted: "change.scheduled",
            },
          ];
          const outcomes = await raceAndCheck(id, attempts);
          const schedule = outcomes.at(-1)!;
          const votes = outcomes.slice(0, -1);
          const before = votes.filter((v) => v.result.ok && v.event.seq < schedule.event.seq);
          if (schedule.result.ok) {
            // It saw the quorum: at least one racer's approval came first, and none came after.
            expect(before.length).toBeGreaterThan(0);
            for (const v of votes) expect(v.result.ok).toBe(v.event.seq < schedule.event.seq);
          } else {
            // It came before any racer's approval, and said what was missing.
            expect(before).toHaveLength(0);
            expect(schedule.event.reason).toContain("Waiting for 1 more CAB member approval");
            expect(votes.every((v) => v.result.ok)).toBe(true);
          }
        },
      );
    },
    TIMEOUT,
  );

  it(
    "approve against reject, alternately: authorizing against rejecting, and a security approval against a veto while authorizing",
    async () => {
      await repeat(
        async (i) => {
          if (i % 2 === 0) {
            const id = await inAuthorization("low");
            await must(approve(manager2, id, "change_manager"));
            return id;
          }
          // Everything but the security reviewer's approval.
          const id = await inAuthorization("high");
          for (const member of cab.slice(0, 3)) await must(approve(member, id, "cab_member"));
          return id;
        },
        async (id, i) => {
          if (i % 2 === 0) {
            const [schedule, reject] = await raceAndCheck(id, [
              {
                who: manager,
                run: () => performChangeAction(manager.actor, { changeId: id, action: "schedule" }),
                accepted: "change.scheduled",
              },
              {
                who: manager2,
                run: () =>
                  performChangeAction(manager2.actor, { changeId: id, action: "reject", reason: "Conflicts with the quarter close." }),
                accepted: "change.rejected",
              },
            ]);
            expect([schedule!.result.ok, reject!.result.ok].filter(Boolean)).toHaveLength(1);
            // The loser was refused because the winner had already moved the change.
            const [winner, loser] = schedule!.result.ok ? [schedule!, reject!] : [reject!, schedule!];
            expect(loser.event.seq).toBeGreaterThan(winner.event.seq);
            expect(loser.event.before).toEqual({ state: schedule!.result.ok ? "scheduled" : "rejected" });
            return;
          }
          const [approval, veto, schedule] = await raceAndCheck(id, [
            { who: security, run: () => approve(security, id, "security_reviewer"), accepted: "change.vote_cast" },
            {
              who: security2,
              run: () =>
                castVote(security2.actor, {
                  changeId: id,
                  role: "security_reviewer",
                  decision: "reject",
                  comment: "Session fixation risk.",
                }),
              accepted: "change.vote_cast",
            },
            {
              who: manager,
              run: () => performChangeAction(manager.actor, { changeId: id, action: "schedule" }),
              accepted: "change.scheduled",
            },
          ]);
          const inBefore = (o: Outcome) => o.result.ok && o.event.seq < schedule!.event.seq;
          // Authorized exactly when the approval was in and the veto was not; a veto after it is refused.
          expect(schedule!.result.ok).toBe(inBefore(approval!) && !inBefore(veto!));
          if (schedule!.result.ok) expect(veto!.result.ok).toBe(false);
        },
      );
    },
    TIMEOUT,
  );
});
