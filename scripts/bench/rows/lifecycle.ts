// Every step of a normal change's life, draft to closed, through the real use cases (the same
// functions the server actions call: lock, facts, decide, write, audit event), at the small and
// the large size: a step whose cost grows with history shows as a ratio above 1.5, as the sweep
// shows it for pages. In rounds with the sizes alternating, a few changes per size a round, after
// one untimed change per size.
//
// The changes stay in the database (closed, titled "Bench lifecycle …"), with their audit events:
// the chain only grows. That is 13 closed changes per size a run (at 3 rounds), off the schedule
// once closed and off every exception report.
import pg from "pg";
import { requiredApprovals } from "../../../lib/domain/approval-policy";
import { blankDraftInput } from "../../../lib/domain/change-input";
import type { Result } from "../../../lib/domain/result";
import { loadActor, type Actor } from "../../../lib/server/auth/current-actor";
import { assignImplementer } from "../../../lib/server/changes/assign-implementer";
import { castVote } from "../../../lib/server/changes/cast-vote";
import { performChangeAction } from "../../../lib/server/changes/perform-change-action";
import { createChangeDraft } from "../../../lib/server/changes/save-change-draft";
import { signOffItem } from "../../../lib/server/changes/sign-off-item";
import { cmdbGraph } from "../../../lib/server/cis/cmdb-graph";
import { createPrismaClient, type Db } from "../../../lib/server/db/create-prisma-client";
import { onSchedule } from "../../../lib/server/schedule/schedule-cache";
import { recordBackoutTest } from "../../../tests/support/record-backout-test";
import { LONG_HISTORY_TITLE } from "../bench-fixtures";
import { inAlternatingRounds, median, ms, ROUNDS, type BenchContext, type BenchModule, type BenchRow, type BenchSize } from "../types";

const CHANGES_PER_ROUND = 4;

const STEPS = [
  "file a draft",
  "submit (risk scored)",
  "start assessment",
  "sign off a checklist item",
  "request authorization",
  "cast a vote",
  "assign the implementer",
  "schedule",
  "start implementation",
  "record the outcome",
  "close with the review",
] as const;
type Step = (typeof STEPS)[number];
type Samples = Map<Step, number[]>;

type People = { requester: Actor; manager: Actor; security: Actor; implementer: Actor; cab: Actor[] };

// The use cases read db(): each size gets its own client, put in place before that size's block.
const holder = globalThis as { portalDb?: Db };
const opened: Db[] = [];

async function actorsOf(client: pg.Client): Promise<People> {
  const ids = async (role: string, limit: number) =>
    (
      await client.query<{ id: string }>(
        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = $1 AND u.active ORDER BY u.email LIMIT $2",
        [role, limit],
      )
    ).rows.map((r) => r.id);
  // Not the long-history change's requester: the sweep's "my changes" stays as generated.
  const {
    rows: [longHistory],
  } = await client.query<{ requester_id: string }>("SELECT requester_id FROM change_requests WHERE title = $1", [LONG_HISTORY_TITLE]);
  const load = async (id: string) => (await loadActor(id)) ?? Promise.reject(new Error(`Bench user ${id} is not active.`));
  const requesterId = (await ids("requester", 2)).find((id) => id !== longHistory?.requester_id)!;
  const [managerId] = await ids("change_manager", 1);
  const [securityId] = await ids("security_reviewer", 1);
  const [implementerId] = await ids("implementer", 1);
  const taken = new Set([requesterId, managerId, securityId, implementerId]);
  const cabIds = (await ids("cab_member", 12)).filter((id) => !taken.has(id)).slice(0, 6);
  return {
    requester: await load(requesterId),
    manager: await load(managerId!),
    security: await load(securityId!),
    implementer: await load(implementerId!),
    cab: await Promise.all(cabIds.map(load)),
  };
}

type Freeze = { starts_at: Date; ends_at: Date };

/**
 * The change's 30-minute window: two minutes from now, or after the freezes in the way (whatever
 * their scope), so nothing blocks scheduling. The steps from start_implementation on are dated
 * inside it (the use case's `now`), as an implementer working to plan would date them: the change
 * stays off the "outside the approved window" report, and its times are past ones within minutes.
 */
function nextWindow(freezes: Freeze[]): { start: Date; end: Date } {
  let start = new Date(Math.ceil((Date.now() + 120_000) / 60_000) * 60_000);
  const end = () => new Date(start.getTime() + 30 * 60_000);
  for (const f of freezes) if (f.starts_at < end() && f.ends_at > start) start = new Date(Math.ceil(f.ends_at.getTime() / 60_000) * 60_000);
  return { start, end: end() };
}

async function prepareSize(_ctx: BenchContext, size: BenchSize): Promise<(round: number) => Promise<Samples>> {
  const client = new pg.Client({ connectionString: size.appUrl });
  await client.connect();
  const prisma = createPrismaClient(size.appUrl, { max: 2 });
  opened.push(prisma);
  holder.portalDb = prisma;
  let people: People, ciIds: string[], freezes: Freeze[];
  try {
    people = await actorsOf(client);
    // The same CIs at every size (the generated CMDB is the same): the first production service
    // and database by name (criticality 1 and 4, 1,160 dependents: a high risk), so the change has
    // a real blast radius, risk, checklist and approval policy.
    ciIds = (
      await client.query<{ id: string }>(
        "(SELECT id FROM configuration_items WHERE environment = 'production' AND type = 'service' ORDER BY name LIMIT 1) UNION ALL (SELECT id FROM configuration_items WHERE environment = 'production' AND type = 'database' ORDER BY name LIMIT 1)",
      )
    ).rows.map((r) => r.id);
    freezes = (await client.query<Freeze>("SELECT starts_at, ends_at FROM freeze_windows WHERE ends_at > now() ORDER BY starts_at")).rows;
  } finally {
    await client.end();
  }

  const measure = async (round: number, changes: number) => {
    holder.portalDb = prisma;
    // The CMDB and schedule copies are per process, one database at a time (versioned-cache.ts): a
    // server has one database, so load this one's before timing, as its first request would.
    await cmdbGraph(prisma);
    await onSchedule(prisma);
    const samples: Samples = new Map(STEPS.map((s) => [s, []]));
    const timed = async <T>(step: Step, run: () => Promise<Result<T>>): Promise<T> => {
      const began = performance.now();
      const result = await run();
      samples.get(step)!.push(performance.now() - began);
      if (!result.ok) throw new Error(`${step} was refused on ${size.database}: ${result.message}`);
      return result.value;
    };
    const { requester, manager, security, implementer, cab } = people;
    for (let n = 0; n < changes; n++) {
      const window = nextWindow(freezes);
      const { id } = await timed("file a draft", () =>
        createChangeDraft(requester, draftFields(ciIds, window, round < 0 ? "warm-up" : `${round + 1}.${n + 1}`)),
      );
      const act = (step: Step, who: Actor, action: string, extra: Record<string, unknown> = {}, now?: Date) =>
        timed(step, () => performChangeAction(who, { changeId: id, action, ...extra }, now));
      await act("submit (risk scored)", requester, "submit");
      await act("start assessment", manager, "start_assessment");
      // Untimed, as the requester's box alone does not count for the risk: the change manager records the test.
      await recordBackoutTest(manager, id);
      const items = await prisma.checklistItem.findMany({
        where: { changeId: id, status: "pending" },
        select: { key: true, signerRole: true },
      });
      for (const item of items) {
        const signer = item.signerRole === "security_reviewer" ? security : manager;
        await timed("sign off a checklist item", () =>
          signOffItem(signer, { changeId: id, key: item.key, evidence: `Bench evidence for ${item.key}` }),
        );
      }
      await act("request authorization", manager, "request_authorization");
      const change = await prisma.changeRequest.findUniqueOrThrow({ where: { id } });
      const policy = requiredApprovals({
        type: change.type,
        risk: change.riskLevel ? { level: change.riskLevel, summary: "" } : null,
        flags: change,
      });
      const pool = { change_manager: [manager], cab_member: cab, security_reviewer: [security] };
      for (const rule of policy.rules) {
        for (const voter of pool[rule.role].slice(0, rule.count)) {
          await timed("cast a vote", () =>
            castVote(voter, { changeId: id, role: rule.role, decision: "approve", comment: "Bench approval." }),
          );
        }
      }
      await timed("assign the implementer", () => assignImplementer(manager, { changeId: id, implementerId: implementer.id }));
      await act("schedule", manager, "schedule");
      await act("start implementation", implementer, "start_implementation", {}, new Date(window.start.getTime() + 60_000));
      await act(
        "record the outcome",
        implementer,
        "record_outcome",
        { outcome: "successful", outcomeNotes: "Bench run." },
        new Date(window.start.getTime() + 2 * 60_000),
      );
      const review = { worksAsIntended: true, securityControlsInPlace: true, monitoringCovers: true, documentationUpdated: true };
      await act("close with the review", manager, "close", { review }, new Date(window.start.getTime() + 3 * 60_000));
    }
    return samples;
  };
  // One change untimed first, as the vote row warms up: the first use of each statement and code path.
  await measure(-1, 1);
  return (round) => measure(round, CHANGES_PER_ROUND);
}

function draftFields(ciIds: string[], window: { start: Date; end: Date }, label: string): Record<string, unknown> {
  return {
    ...blankDraftInput(),
    type: "normal",
    title: `Bench lifecycle ${label}: rotate the service's TLS certificates`,
    description: "Replace the expiring certificates on the service and its database.",
    justification: "They expire next month.",
    implementationPlan: "Deploy the new chain, reload the proxies.",
    backoutPlan: "Restore the previous chain from the vault.",
    testPlan: "Check the chain from outside.",
    backoutTested: true,
    plannedStart: window.start.toISOString(),
    plannedEnd: window.end.toISOString(),
    ciIds,
  };
}

export const lifecycleRows: BenchModule = {
  title: "lifecycle",
  async run(ctx) {
    const previous = holder.portalDb;
    try {
      const { small, large } = await inAlternatingRounds(ctx, prepareSize);
      const n = (s: BenchSize) => s.changes.toLocaleString("en-US");
      return STEPS.map((step): BenchRow => {
        const at = (rounds: Samples[]) => median(rounds.flatMap((r) => r.get(step)!));
        const ratios = large.map((round, r) => median(round.get(step)!) / median(small[r]!.get(step)!));
        const count = small.reduce((sum, r) => sum + r.get(step)!.length, 0);
        return {
          name: `Lifecycle: ${step}, through its use case, median at ${n(ctx.large)} vs ${n(ctx.small)} changes`,
          figure: ms(at(large)),
          baseline: ms(at(small)),
          // Each round has a few samples a step: the ratio is of all rounds' medians, the rounds' own in the note.
          ratio: at(large) / at(small),
          target: "<= 1.5",
          note: `${count} per size, ${ROUNDS} rounds of ${CHANGES_PER_ROUND} normal changes, sizes alternating; ratios per round: ${ratios.map((x) => x.toFixed(2)).join(", ")}`,
        };
      });
    } finally {
      holder.portalDb = previous;
      await Promise.all(opened.splice(0).map((client) => client.$disconnect()));
    }
  },
};
