// One generated change: its rows and audit events, step by step along its type's path through the
// lifecycle (lifecycle-paths.ts) to the state it ends in (change-fate.ts).
import { requiredApprovals } from "../../../lib/domain/approval-policy";
import { CHANGE_ACTION_EVENTS } from "../../../lib/domain/change-actions";
import { applicableItems } from "../../../lib/domain/checklist";
import { NO_FLAGS, type ChangeFlags } from "../../../lib/domain/change-flags";
import type { ChangeState } from "../../../lib/domain/change-states";
import { riskLevelOf } from "../../../lib/domain/risk";
import type { RiskLevel } from "../../../lib/domain/risk-levels";
import type { Random } from "../../lib/history/random";
import { LONG_HISTORY_EVENTS, LONG_HISTORY_TITLE } from "../bench-fixtures";
import { ApprovalRounds } from "./change-approvals";
import { planAuthorization } from "./change-authorization";
import type { ChangeChunk } from "./change-chunk";
import { planSignOffs } from "./change-checklist";
import { planComments } from "./change-comments";
import { drawFate } from "./change-fate";
import { changeRecord } from "./change-record";
import { ChangeTimeline } from "./change-timeline";
import type { Ci } from "./cmdb";
import { DAY, HOUR, MINUTE, type PlanEvent } from "./generator-context";
import type { People } from "./people";
import { VERBS, type Template } from "./templates";

export type ChangeWorld = {
  r: Random;
  plan: PlanEvent;
  people: People;
  cis: Ci[];
  templates: Template[];
  now: number;
  historyStart: number;
};

const FIELDS = ["description", "justification", "implementationPlan", "backoutPlan", "testPlan", "plannedStart"];

/** Plans change number i + 1, created at t0, into `chunk`. long: the change with the long history; recent: still in flight. */
export function planChange(
  world: ChangeWorld,
  i: number,
  t0: number,
  { long, recent }: { long: boolean; recent: boolean },
  chunk: ChangeChunk,
): void {
  const { r, plan, people, cis, templates, now, historyStart } = world;
  const { requesters, implementers, managers, voters } = people;
  const fate = drawFate(r, { long, recent });
  const { type, state, visited } = fate;
  const reached = (s: ChangeState) => visited.includes(s);

  const id = r.uuid();
  const requester = r.pick(requesters);
  const template = type === "standard" ? r.pick(templates) : null;
  const sampled = template ? template.cis : r.sample(cis, r.int(1, 3));
  // The long history's change touches the same two CIs at every size, the first two (on which most
  // of the CMDB depends): the change-page row then compares one page, its blast radius included,
  // across sizes. Sampled anyway, so every other change draws what it drew before.
  const changeCis = long ? cis.slice(0, 2) : sampled;
  const system = changeCis[0]!.name.split("-")[0]!;
  const title = long
    ? LONG_HISTORY_TITLE
    : `${r.pick(VERBS)} ${system} ${r.pick(["cluster", "service", "database", "gateway", "nodes", "schema"])} (${2021 + Math.floor((t0 - historyStart) / (365 * DAY))})`;
  const flags: ChangeFlags =
    type === "standard"
      ? NO_FLAGS
      : {
          newExternalInterface: r.chance(0.08),
          touchesAuth: r.chance(0.1),
          regulatedData: r.chance(0.08),
          frameworkTags: r.chance(0.05) ? [r.pick(["pci_dss", "gdpr", "sox", "hipaa"])] : [],
          infraProvisioning: r.chance(0.12),
          releaseArtifact: r.chance(0.3),
          temporaryAccess: r.chance(0.05),
        };
  const submitted = visited.length > 1;
  const score = submitted
    ? Math.min(100, Math.max(0, Math.round(type === "standard" ? r.int(5, 30) : type === "major" ? r.int(45, 95) : r.int(10, 85))))
    : null;
  const level: RiskLevel | null = score === null ? null : riskLevelOf(score);
  const risk = level ? { level, summary: `${changeCis.length} CI${changeCis.length > 1 ? "s" : ""}, ${type} change` } : null;
  const implementer = reached("scheduled") || reached("implementing") ? r.pick(implementers.filter((u) => u.id !== requester.id)) : null;
  const manager = r.pick(managers);

  const timeline = new ChangeTimeline(r, plan, id, t0, recent ? Math.max(HOUR, (now - t0) * 0.8) : 20 * DAY);
  const event = timeline.event.bind(timeline);
  const at = () => timeline.at();

  plan(t0 - MINUTE, requester, "auth.signed_in", "session", requester.id, null);
  event(t0, requester, "change.created", { after: { title, type, number: i + 1 } });
  const edits = r.int(1, 6);
  for (let k = 0; k < edits; k++) event(at(), requester, "change.edited", { after: { fields: r.sample(FIELDS, r.int(1, 3)) } });

  const rounds = new ApprovalRounds(r, timeline, id, requiredApprovals({ type, risk, flags }).rules, voters, [requester, implementer]);
  const { submittedAt, authorizedAt, reworked, backoutTestedAt } = planAuthorization(r, timeline, fate, { requester, manager }, rounds, {
    riskScore: score,
    riskLevel: level,
  });
  if (implementer) event(at(), manager, "change.implementer_assigned", { after: { implementerId: implementer.id } });

  const items = submitted
    ? applicableItems({ type, flags, risk: risk ? { score: score!, level: risk.level, summary: risk.summary } : null })
    : [];
  const checklist = planSignOffs(
    r,
    timeline,
    id,
    items,
    { implementing: reached("implementing"), reviewed: reached("review"), closed: state === "closed" },
    { managers, securityReviewers: voters.security_reviewer },
  );

  let startedAt: number | null = null;
  let implementedAt: number | null = null;
  let outcome: string | null = null;
  if (reached("implementing")) {
    startedAt = at();
    event(startedAt, implementer!, CHANGE_ACTION_EVENTS.start_implementation, {
      before: { state: visited[visited.indexOf("implementing") - 1]! },
      after: { state: "implementing" },
    });
  }
  if (reached("review")) {
    implementedAt = at();
    outcome = r.weighted({ successful: 85, successful_with_issues: 8, failed: 4, rolled_back: 3 });
    event(implementedAt, implementer!, CHANGE_ACTION_EVENTS.record_outcome, {
      before: { state: "implementing" },
      after: { state: "review", outcome },
    });
  }
  let closedAt: number | null = null;
  const reviewer = r.pick(managers.filter((m) => m.id !== requester.id));
  if (state === "closed") {
    closedAt = at();
    event(closedAt, reviewer, CHANGE_ACTION_EVENTS.close, { before: { state: "review" }, after: { state: "closed" } });
  }
  if (state === "cancelled")
    event(at(), requester, CHANGE_ACTION_EVENTS.withdraw, {
      before: { state: visited.at(-1)! },
      after: { state: "cancelled" },
      reason: "No longer needed.",
    });

  // The long-history change gets enough comments to reach its 200 events.
  const end = timeline.clock;
  const commentCount = long ? Math.max(0, LONG_HISTORY_EVENTS - timeline.events) : r.int(0, 5);
  const comments = planComments(r, timeline, id, commentCount, { requester, managers });

  const plannedStart =
    reached("scheduled") || reached("implementing")
      ? (startedAt ?? Math.max(timeline.clock, now) + r.int(1, 20) * DAY)
      : reached("authorization")
        ? now + r.int(1, 30) * DAY
        : r.chance(0.5)
          ? t0 + r.int(2, 40) * DAY
          : null;
  const drawnEnd = plannedStart === null ? null : plannedStart + r.int(1, 8) * HOUR;
  // Most implementations finish inside their window; one in 25 overruns it (the "outside the
  // approved window" report). Decided by the change's index: no extra draw, the rest of the data
  // stays as it was.
  const plannedEnd = drawnEnd !== null && implementedAt !== null && i % 25 !== 0 ? Math.max(drawnEnd, implementedAt + HOUR / 2) : drawnEnd;
  chunk.changes.push(
    changeRecord(r, {
      id,
      number: i + 1,
      type,
      state,
      title,
      plannedStart,
      plannedEnd,
      requesterId: requester.id,
      implementerId: implementer?.id ?? null,
      backoutTestedById: backoutTestedAt === null ? null : manager.id,
      backoutTestedAt,
      templateId: template?.id ?? null,
      flags,
      t0,
      score,
      level,
      riskSummary: risk?.summary ?? null,
      submittedAt,
      rounds: rounds.count,
      reworked,
      outcome,
      startedAt,
      implementedAt,
      version: timeline.events + 1,
      updatedAt: Math.max(timeline.clock, end),
      authorizedAt,
      closedAt: closedAt ?? (state === "rejected" || state === "cancelled" ? timeline.clock : null),
    }),
  );
  for (const ci of changeCis) chunk.changeCis.push([id, ci.id]);
  if (type !== "standard" && r.chance(0.1)) {
    for (let k = 0, n = r.int(1, 2); k < n; k++)
      chunk.cves.push([
        r.uuid(),
        id,
        `CVE-${2020 + r.int(0, 5)}-${r.int(1000, 99999)}${k}`,
        (r.int(10, 100) / 10).toFixed(1),
        r.chance(0.2),
      ]);
  }
  chunk.rounds.push(...rounds.roundRows);
  chunk.votes.push(...rounds.voteRows);
  chunk.checklist.push(...checklist);
  chunk.comments.push(...comments);
  if (state === "closed") {
    chunk.reviews.push([
      id,
      true,
      outcome === "successful",
      true,
      r.chance(0.9),
      type === "emergency" ? "Logs reviewed; temporary access removed." : null,
      "",
      reviewer.id,
      new Date(closedAt!),
    ]);
  }
}
