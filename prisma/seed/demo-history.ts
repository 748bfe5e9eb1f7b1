// The demo's past: four months of an organisation's change work (CMDB, templates, freezes and
// about a hundred changes with rework, rejections, failures, rollbacks, late and missing reviews),
// written back-dated the way the bench generator writes (scripts/lib/history): rows by COPY, the
// audit events chained in time order with a signed checkpoint every AUDIT_CHECKPOINT_EVERY events.
// Written before the live story (seed-demo-changes.ts), which then extends the same chain through the
// use cases. One transaction: a failed seed leaves nothing behind.
import type { KeyObject } from "node:crypto";
import type pg from "pg";
import { requiredApprovals } from "../../lib/domain/approval-policy";
import { signCheckpoint } from "../../lib/domain/audit-checkpoint";
import { NO_FLAGS, type ChangeFlags } from "../../lib/domain/change-flags";
import { assessRisk } from "../../lib/domain/risk";
import { ChainedEventLog, type Json, type PlannedEvent } from "../../scripts/lib/history/chained-event-log";
import { copyRows, pgTextArray } from "../../scripts/lib/history/copy";
import { copyTable } from "../../scripts/lib/history/table-columns";
import { seededRandom } from "../../scripts/lib/history/random";
import { DEMO_FREEZE_DAY, DEMO_HISTORY_DAYS, DEMO_HISTORY_FREEZES } from "./demo-schedule";
import { CHANGE_STORIES, COMMENTS, DEMO_CIS, DEMO_DEPENDS, DEMO_TEMPLATES, EVERYDAY, type ChangeStory } from "./demo-history-catalogue";
import { playChange, type Cast, type ChangePlan, type ChangeRows, type Person } from "./demo-history-change";
import { ARTIFACT_COLUMNS, DEPLOYMENT_COLUMNS, planDemoDeployments } from "./demo-deployments";
import { DEMO_SERVICE_ACCOUNT } from "./demo-service-account";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export type DemoHistory = {
  ciIds: Record<string, string>;
  templateIds: Record<string, string>;
  changes: number;
  deployments: number;
  events: number;
};
type Options = { now: Date; signingKey: KeyObject; checkpointEvery: number; seed?: number };

export async function writeDemoHistory(client: pg.PoolClient | pg.Client, options: Options): Promise<DemoHistory> {
  const r = seededRandom(options.seed ?? 20261207);
  const now = options.now.getTime();
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const setupAt = today - (DEMO_HISTORY_DAYS + 14) * DAY + 9 * HOUR;
  // The live story starts now; the past ends an hour before, so its events come first on the chain.
  const cutoff = now - HOUR;
  const { rows: people } = await client.query<Person & { role: string }>(
    `SELECT id, email, name, split_part(email, '@', 1) AS role FROM users WHERE email LIKE '%@demo.local'`,
  );
  const cast = Object.fromEntries(people.map((p) => [p.role, { id: p.id, email: p.email, name: p.name }])) as Cast;
  const checkpoints: unknown[][] = [];
  const log = new ChainedEventLog(client, ({ seq, hash, occurredAt }) => {
    if (seq % options.checkpointEvery !== 0) return;
    const cp = signCheckpoint({ seq, hash, createdAt: new Date(occurredAt).toISOString() }, options.signingKey);
    checkpoints.push([cp.seq, cp.hash, new Date(cp.createdAt), cp.keyId, cp.signature, "periodic", null]);
  });
  const plan = (at: number, event: PlannedEvent) => log.plan(at, event);
  const entity = (at: number, actor: Person, action: string, entityType: string, entityId: string, after: Json, before: Json = null) =>
    plan(at, { actor, action, entityType, entityId, changeId: null, before, after });

  // ---- The CMDB, its templates and freezes, set up two weeks before the first change.
  const ciIds: Record<string, string> = {};
  const ciRows = DEMO_CIS.map((ci, i) => {
    const id = (ciIds[ci.name] = r.uuid());
    const tags = ci.tags ? ci.tags.split(" ") : [];
    entity(setupAt + i * 7 * MIN, cast.admin, "ci.created", "configuration_item", id, {
      name: ci.name,
      tags,
      type: ci.type,
      owner: "Platform team",
      exposure: ci.exposure,
      criticality: ci.criticality,
      environment: ci.environment,
    });
    return [
      id,
      ci.name,
      ci.type,
      ci.environment,
      "Platform team",
      ci.criticality,
      ci.exposure,
      pgTextArray(tags),
      new Date(setupAt),
      new Date(setupAt),
    ];
  });
  const depRows = Object.entries(DEMO_DEPENDS).flatMap(([dependent, on], i) => {
    entity(
      setupAt + 2 * HOUR + i * 5 * MIN,
      cast.admin,
      "ci.dependencies_set",
      "configuration_item",
      ciIds[dependent]!,
      { dependsOn: on.map((n) => ciIds[n]!) },
      { dependsOn: [] },
    );
    return on.map((n) => [ciIds[dependent], ciIds[n]]);
  });
  const templateIds: Record<string, string> = {};
  const templateRows = DEMO_TEMPLATES.map((t, i) => {
    const id = (templateIds[t.title] = r.uuid());
    const familyId = r.uuid();
    const at = setupAt + DAY + i * HOUR;
    const { ci, ...text } = t;
    entity(at, cast.admin, "template.proposed", "change_template", id, {
      ciIds: [ciIds[ci]!],
      ...text,
      status: "proposed",
      version: 1,
      familyId,
    });
    entity(
      at + 5 * HOUR,
      cast.manager,
      "template.approved",
      "change_template",
      id,
      { status: "approved", version: 1, supersededVersions: [] },
      { status: "proposed" },
    );
    return [
      id,
      familyId,
      1,
      t.title,
      t.description,
      t.implementationPlan,
      t.backoutPlan,
      t.testPlan,
      t.riskCeiling,
      "approved",
      cast.admin.id,
      cast.manager.id,
      new Date(at + 5 * HOUR),
      new Date(at),
    ];
  });
  const freezes = DEMO_HISTORY_FREEZES.map((f) => ({ ...f, startsAt: today + f.day * DAY, endsAt: today + (f.day + f.days) * DAY }));
  const freezeRows = freezes.map((f) => {
    const id = r.uuid();
    const createdAt = Math.min(f.startsAt - 21 * DAY, now - 20 * DAY);
    entity(createdAt, cast.admin, "freeze.created", "freeze_window", id, {
      tags: [],
      scope: "environments",
      endsAt: new Date(f.endsAt).toISOString(),
      reason: f.reason,
      startsAt: new Date(f.startsAt).toISOString(),
      environments: ["production"],
    });
    return [
      id,
      new Date(f.startsAt),
      new Date(f.endsAt),
      f.reason,
      "environments",
      pgTextArray(["production"]),
      pgTextArray([]),
      cast.admin.id,
      new Date(createdAt),
      new Date(createdAt),
    ];
  });
  // The live story's freeze (seed-demo-changes.ts) is known to planners too.
  const planningFreezes = [...freezes, { startsAt: today + DEMO_FREEZE_DAY * DAY, endsAt: today + (DEMO_FREEZE_DAY + 3) * DAY }];
  const frozen = (t: number) => planningFreezes.find((f) => t >= f.startsAt && t < f.endsAt);

  // ---- The changes, oldest first: scripted stories at fixed days among everyday ones.
  const played: ChangeRows[] = [];
  const failuresOn: { at: number; ciIds: string[] }[] = [];
  const first = setupAt + 14 * DAY;
  // The most recent ones are still under way: awaiting votes, or scheduled in the weeks ahead.
  const last = today - DAY;
  const everyday = 96;
  const weekday = (day: number) => new Date(today + day * DAY).getUTCDay();
  // Filed on a working day: a story that falls on a weekend moves to the Friday before.
  const workday = (day: number) => (weekday(day) === 6 ? day - 1 : weekday(day) === 0 ? day - 2 : day);
  const stories: (ChangeStory & { createdAt: number })[] = CHANGE_STORIES.map((s) => ({
    ...s,
    createdAt: today + workday(s.day) * DAY + r.int(8 * 60, 11 * 60) * MIN,
  }));
  for (let i = 0; i < everyday; i++) {
    const createdAt = first + Math.floor(((i + r.next()) / everyday) * (last - first));
    const weekday = new Date(createdAt).getUTCDay();
    // Nobody files changes at the weekend; move them to Monday morning.
    const at = weekday === 0 ? createdAt + DAY : weekday === 6 ? createdAt + 2 * DAY : createdAt;
    stories.push({
      ...everydayStory(r),
      createdAt:
        Date.UTC(new Date(at).getUTCFullYear(), new Date(at).getUTCMonth(), new Date(at).getUTCDate()) + r.int(8 * 60, 17 * 60) * MIN,
    });
  }
  stories.sort((a, b) => a.createdAt - b.createdAt);
  for (const story of stories) {
    if (story.createdAt >= cutoff) continue;
    const changePlan = planOf(story);
    if (!changePlan) continue;
    const rows = playChange(changePlan, { cast, r, uuid: r.uuid, cutoff, plan });
    played.push(rows);
    const c = rows.change;
    if (c.outcome === "failed" || c.outcome === "rolled_back")
      failuresOn.push({ at: (c.implemented_at as Date).getTime(), ciIds: rows.ciIds });
  }

  // ---- What the pipelines reported, reported by the demo's deploy pipeline (its service account).
  const {
    rows: [pipeline],
  } = await client.query<Person>("SELECT id, email, name FROM users WHERE email = $1", [DEMO_SERVICE_ACCOUNT.email]);
  const { deployments, artifacts } = planDemoDeployments({ played, ciIds, r, cutoff, reporter: pipeline ?? cast.admin, freezes, plan });

  function planOf(story: ChangeStory & { createdAt: number }): ChangePlan | null {
    const ids = story.cis.map((n) => ciIds[n]!);
    const cis = story.cis.map((n) => DEMO_CIS.find((c) => c.name === n)!);
    const flags: ChangeFlags = { ...NO_FLAGS, ...story.flags };
    const windowHours = story.type === "emergency" ? 3 : r.int(1, 3);
    const recentFailures = failuresOn.filter(
      (f) => f.at > story.createdAt - 90 * DAY && f.at < story.createdAt && f.ciIds.some((id) => ids.includes(id)),
    ).length;
    const risk = assessRisk({
      type: story.type,
      cis,
      dependentCount: dependentsOf(story.cis).size,
      cves: story.cves ?? [],
      windowMinutes: windowHours * 60,
      backoutTested: true,
      recentFailures,
    });
    const requester = story.type === "emergency" || r.chance(0.8) ? cast.requester : cast.lead;
    const rules = requiredApprovals({ type: story.type, risk, flags }).rules;
    const needsLead = rules.some((rule) => rule.role === "cab_member" && rule.count > 1);
    if (requester === cast.lead && needsLead) return planOf(story);
    const implementer = requester !== cast.lead && !needsLead && r.chance(0.25) ? cast.lead : cast.implementer;
    const pools = { change_manager: [cast.manager], cab_member: [cast.cab, cast.lead], security_reviewer: [cast.security] } as const;
    const approvers = rules.flatMap((rule) =>
      pools[rule.role]
        .filter((p) => p !== requester && p !== implementer)
        .slice(0, rule.count)
        .map((voter) => ({ role: rule.role, voter })),
    );
    // The demo's CAB has two members: a change that needs a quorum of three is not among the past ones.
    if (approvers.length < rules.reduce((n, rule) => n + rule.count, 0)) return null;
    // Windows at night, after the approvals it expects, outside any freeze (emergencies excepted).
    const expected = story.type === "standard" ? 6 * HOUR : story.type === "emergency" ? 0 : (story.fate === "rework" ? 8 : 4) * DAY;
    let plannedStart =
      story.type === "emergency"
        ? story.createdAt + r.int(60, 120) * MIN
        : nightAfter(story.createdAt + expected + story.leadHours * HOUR, r);
    for (let f = frozen(plannedStart); story.type !== "emergency" && f; f = frozen(plannedStart)) plannedStart = nightAfter(f.endsAt, r);
    const month = new Date(story.createdAt).toLocaleString("en-GB", { month: "long", timeZone: "UTC" });
    const comments = Array.from({ length: story.comments }, () => ({
      by: r.pick([cast.cab, cast.manager, requester]),
      body: r.pick(COMMENTS),
    }));
    return {
      ...story,
      title: story.type === "standard" ? `${story.title} (${month})` : story.title,
      ciIds: ids,
      flags,
      risk,
      requester,
      implementer,
      approvers,
      comments,
      emergencyJustification: story.emergencyJustification ?? null,
      templateId: story.template ? templateIds[story.template]! : null,
      plannedStart,
      plannedEnd: plannedStart + windowHours * HOUR,
    };
  }

  // ---- Rows first (the events name them), then the chain, its checkpoints and its head.
  await client.query("BEGIN");
  try {
    await client.query("UPDATE users SET created_at = $1, updated_at = $1 WHERE email LIKE '%@demo.local'", [new Date(setupAt - 7 * DAY)]);
    await copyTable(client, "configuration_items", ciRows);
    await copyTable(client, "ci_dependencies", depRows);
    await copyTable(client, "change_templates", templateRows);
    await copyTable(
      client,
      "template_cis",
      DEMO_TEMPLATES.map((t) => [templateIds[t.title], ciIds[t.ci]]),
    );
    await copyRows(
      client,
      "freeze_windows",
      ["id", "starts_at", "ends_at", "reason", "scope", "environments", "tags", "created_by_id", "created_at", "updated_at"],
      freezeRows,
    );
    const columns = Object.keys(played[0]!.change);
    await copyRows(
      client,
      "change_requests",
      columns,
      played.map((p) => columns.map((c) => p.change[c])),
    );
    await copyTable(
      client,
      "change_cis",
      played.flatMap((p) => p.ciIds.map((ci) => [p.change.id, ci])),
    );
    await copyTable(
      client,
      "approval_rounds",
      played.flatMap((p) => p.rounds),
    );
    await copyTable(
      client,
      "votes",
      played.flatMap((p) => p.votes),
    );
    await copyTable(
      client,
      "checklist_items",
      played.flatMap((p) => p.checklist),
    );
    await copyTable(
      client,
      "comments",
      played.flatMap((p) => p.comments),
    );
    await copyTable(
      client,
      "post_implementation_reviews",
      played.flatMap((p) => (p.review ? [p.review] : [])),
    );
    await copyRows(client, "release_artifacts", ARTIFACT_COLUMNS, artifacts);
    await copyRows(client, "deployments", DEPLOYMENT_COLUMNS, deployments);
    const head = await log.end();
    await copyRows(client, "audit_checkpoints", ["seq", "hash", "created_at", "key_id", "signature", "reason", "created_by"], checkpoints);
    await client.query("UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1", [head.seq, head.hash]);
    await client.query("COMMIT");
    return { ciIds, templateIds, changes: played.length, deployments: deployments.length, events: head.seq };
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** The CIs that depend on these, transitively (the risk model's blast radius). */
function dependentsOf(names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (name: string) => {
    for (const [dependent, on] of Object.entries(DEMO_DEPENDS)) {
      if (!(on as readonly string[]).includes(name) || found.has(dependent)) continue;
      found.add(dependent);
      visit(dependent);
    }
  };
  names.forEach(visit);
  for (const n of names) found.delete(n);
  return found;
}

/** The next night slot (21:00-23:30 UTC) at or after `t`. */
function nightAfter(t: number, r: ReturnType<typeof seededRandom>): number {
  const d = new Date(t);
  const slot = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 21, r.pick([0, 30, 60, 90, 120, 150]));
  return slot >= t ? slot : slot + DAY;
}

function everydayStory(r: ReturnType<typeof seededRandom>): ChangeStory {
  const kind = r.weighted({ standard: 36, normal: 60, emergency: 4 });
  const pick = r.pick(EVERYDAY[kind]);
  const fate = kind !== "normal" ? "closed" : r.weighted({ closed: 80, rework: 11, rejected: 4, withdrawn: 5 });
  const outcome = r.weighted(
    kind === "standard"
      ? { successful: 92, successful_with_issues: 6, failed: 0, rolled_back: 2 }
      : { successful: 74, successful_with_issues: 11, failed: 6, rolled_back: 9 },
  );
  return {
    ...pick,
    day: 0,
    fate,
    outcome,
    reviewAfterDays: r.int(1, 4),
    leadHours: kind === "standard" ? r.int(4, 40) : r.int(20, 120),
    overruns: r.chance(0.05),
    comments: r.chance(0.35) ? 1 : 0,
  };
}
