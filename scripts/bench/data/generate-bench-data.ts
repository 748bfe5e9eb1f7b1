// Fills an empty, migrated database with years of realistic history for the benchmarks:
// users with roles, configuration items with dependencies, templates, changes of the four
// types in every state with their rounds, votes, sign-offs, comments and reviews, and an
// audit log of about 20 events per change whose hash chain verifies.
//
// Loading: COPY in PostgreSQL's text format, as the schema owner, with every trigger left ON.
// The audit log's BEFORE INSERT trigger checks each event's seq and prev_hash against the row
// before it (one primary-key lookup per row); rows of the same COPY are visible to it, so the
// events stream in chain order and the database itself proves every link as it loads. That
// costs a little time but needs no superuser, never leaves a trigger disabled after a crash,
// and works on an external PostgreSQL too. The head row is set once at the end.
import type pg from "pg";
import { requiredApprovals } from "../../../lib/domain/approval-policy";
import { applicableItems } from "../../../lib/domain/checklist";
import type { ChangeFlags } from "../../../lib/domain/change-flags";
import type { ChangeState } from "../../../lib/domain/change-states";
import type { ChangeType } from "../../../lib/domain/change-types";
import { riskLevelOf } from "../../../lib/domain/risk";
import type { RiskLevel } from "../../../lib/domain/risk-levels";
import type { Role } from "../../../lib/domain/roles";
import { ChainedEventLog, type Json } from "../../lib/history/chained-event-log";
import { copyRows, pgTextArray } from "../../lib/history/copy";
import { seededRandom, type Random } from "../../lib/history/random";

export const BENCH_PASSWORD = "bench-password-2026";
/** The CAB member whose queue the bench loads, the auditor who exports, and the change with a long history. */
export const BENCH_CAB_EMAIL = "bench.cab@bench.local";
export const BENCH_AUDITOR_EMAIL = "bench.auditor@bench.local";
export const LONG_HISTORY_TITLE = "Bench: change with a 200-event history";
export const LONG_HISTORY_EVENTS = 200;

type User = { id: string; email: string; name: string; roles: Role[] };

/**
 * inFlight: how many of the changes are recent (the last 45 days, spread over the open states),
 * 150 by default whatever the size: the same organisation's current work with more or less
 * history behind it, so comparing sizes measures history (an earlier default of 3 % of N gave
 * 100k changes 3,000 in flight, 20 times the 1k database's, and compared organisations instead).
 */
export type GenerateOptions = { changes: number; inFlight?: number; seed?: number; now?: Date; log?: (line: string) => void };
export type GenerateResult = { tables: Record<string, number>; events: number; seconds: number; head: { seq: number; hash: string } };

const DAY = 86_400_000;
const HOUR = 3_600_000;
const YEARS = 5;
const CHUNK = 2_000; // changes per COPY batch of the ordinary tables

const TYPE_WEIGHTS = { standard: 45, normal: 40, major: 5, emergency: 10 } as const;
const PATHS: Record<ChangeType, ChangeState[]> = {
  standard: ["draft", "scheduled", "implementing", "review", "closed"],
  normal: ["draft", "submitted", "assessment", "authorization", "scheduled", "implementing", "review", "closed"],
  major: ["draft", "submitted", "assessment", "authorization", "scheduled", "implementing", "review", "closed"],
  emergency: ["draft", "authorization", "implementing", "review", "closed"],
};
const CANCELLABLE: Record<ChangeType, ChangeState[]> = {
  standard: ["draft", "scheduled"],
  normal: ["draft", "submitted", "assessment", "authorization", "scheduled"],
  major: ["draft", "submitted", "assessment", "authorization", "scheduled"],
  emergency: ["draft", "authorization"],
};
// Old changes have all ended; the recent ones are spread over the open states.
const OLD_STATES = { closed: 88, rejected: 5, cancelled: 7 } as const;
const RECENT_STATES = {
  draft: 12,
  submitted: 6,
  assessment: 8,
  authorization: 35,
  scheduled: 12,
  implementing: 5,
  review: 5,
  closed: 10,
  rejected: 3,
  cancelled: 4,
} as const;

const FIRST = [
  "Alex",
  "Blake",
  "Casey",
  "Dana",
  "Eli",
  "Frankie",
  "Gray",
  "Harper",
  "Indy",
  "Jules",
  "Kai",
  "Lane",
  "Morgan",
  "Noa",
  "Oakley",
  "Parker",
  "Quinn",
  "Reese",
  "Sage",
  "Tatum",
];
const LAST = [
  "Adams",
  "Baker",
  "Chen",
  "Diaz",
  "Evans",
  "Fischer",
  "Garcia",
  "Hughes",
  "Ito",
  "Jensen",
  "Kowalski",
  "Larsen",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Patel",
  "Rossi",
  "Silva",
  "Tanaka",
  "Weber",
];
const CI_KINDS = ["service", "database", "host", "network", "queue", "storage", "gateway", "cache"];
const SYSTEMS = [
  "billing",
  "payments",
  "identity",
  "search",
  "orders",
  "catalog",
  "ledger",
  "reporting",
  "mail",
  "crm",
  "inventory",
  "shipping",
  "analytics",
  "portal",
  "hr",
  "vpn",
];
const VERBS = [
  "Upgrade",
  "Patch",
  "Migrate",
  "Resize",
  "Rotate certificates on",
  "Reconfigure",
  "Decommission",
  "Scale out",
  "Harden",
  "Fail over",
];
const FIELDS = ["description", "justification", "implementationPlan", "backoutPlan", "testPlan", "plannedStart"];

/** The role mix of 300 users, as index ranges (the first three are the bench's own accounts). */
function rolesOf(i: number): Role[] {
  if (i === 0) return ["cab_member"];
  if (i === 1) return ["auditor"];
  if (i === 2) return ["change_manager"];
  if (i < 150) return ["requester"];
  if (i < 200) return ["implementer"];
  if (i < 240) return ["cab_member"];
  if (i < 252) return ["change_manager"];
  if (i < 267) return ["security_reviewer"];
  if (i < 280) return ["auditor"];
  if (i < 290) return ["admin"];
  return ["requester", "cab_member", "implementer"];
}

export async function generateBenchData(
  owner: pg.Client,
  audit: pg.Client,
  passwordHash: string,
  options: GenerateOptions,
): Promise<GenerateResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const r = seededRandom(options.seed ?? 20261123);
  const N = options.changes;
  const now = Math.floor((options.now ?? new Date()).getTime() / 60_000) * 60_000;
  const recentCount = Math.min(N, options.inFlight ?? 150);
  const longIndex = Math.max(0, N - recentCount - 1);
  const historyStart = now - YEARS * 365 * DAY;
  const recentStart = now - 45 * DAY;
  const tables: Record<string, number> = {};
  const count = (table: string, n: number) => (tables[table] = (tables[table] ?? 0) + n);

  const { rows: existing } = await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  if (existing[0]!.n > 0) throw new Error("The bench database is not empty; the generator fills an empty, migrated database.");

  // ---- The audit log: events leave a min-heap in time order and are chained as they leave.
  const chain = new ChainedEventLog(audit);
  const addressOf = new Map<string, string>();
  const address = (u: User) =>
    addressOf.get(u.id) ?? addressOf.set(u.id, `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`).get(u.id)!;
  const plan = (
    at: number,
    actor: User | null,
    action: string,
    entityType: string,
    entityId: string | null,
    changeId: string | null,
    extra: { before?: Json; after?: Json; reason?: string | null } = {},
  ) =>
    chain.plan(at, {
      actor,
      action,
      entityType,
      entityId,
      changeId,
      before: extra.before ?? null,
      after: extra.after ?? null,
      reason: extra.reason ?? null,
      clientAddress: actor ? address(actor) : null,
    });
  const emitUntil = (limit: number) => chain.emitUntil(limit);

  // ---- People: 300 users, one password hash for all (argon2 is slow by design).
  const users: User[] = Array.from({ length: 300 }, (_, i) => {
    const roles = rolesOf(i);
    const email =
      i === 0 ? BENCH_CAB_EMAIL : i === 1 ? BENCH_AUDITOR_EMAIL : i === 2 ? "bench.manager@bench.local" : `user${i}@bench.local`;
    return {
      id: r.uuid(),
      email,
      name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? ` ${i}` : ""}`,
      roles,
    };
  });
  const withRole = (role: Role) => users.filter((u) => u.roles.includes(role));
  const requesters = withRole("requester");
  const implementers = withRole("implementer");
  const managers = withRole("change_manager");
  const admins = withRole("admin");
  const voters: Record<"cab_member" | "change_manager" | "security_reviewer", User[]> = {
    cab_member: withRole("cab_member"),
    change_manager: managers,
    security_reviewer: withRole("security_reviewer"),
  };
  const setupAt = historyStart - 30 * DAY;
  await copyRows(
    owner,
    "users",
    ["id", "email", "name", "password_hash", "active", "must_change_password", "created_at", "updated_at"],
    users.map((u) => [u.id, u.email, u.name, passwordHash, true, false, new Date(setupAt), new Date(setupAt)]),
  );
  const roleRows = users.flatMap((u) => u.roles.map((role) => [u.id, role, new Date(setupAt), admins[0]!.id]));
  await copyRows(owner, "user_roles", ["user_id", "role", "granted_at", "granted_by_id"], roleRows);
  count("users", users.length);
  count("user_roles", roleRows.length);
  users.forEach((u, i) =>
    plan(setupAt + i * 1000, admins[0]!, "user.created", "user", u.id, null, { after: { email: u.email, name: u.name, roles: u.roles } }),
  );

  // ---- 2,000 configuration items; each depends on up to four earlier ones (a DAG, like real stacks).
  type Ci = { id: string; name: string; criticality: number; exposure: string };
  const cis: Ci[] = [];
  const ciRows: unknown[][] = [];
  const depRows: unknown[][] = [];
  for (let i = 0; i < 2_000; i++) {
    const environment = r.weighted({ production: 50, staging: 25, development: 25 });
    const ci = {
      id: r.uuid(),
      name: `${r.pick(SYSTEMS)}-${r.pick(CI_KINDS)}-${environment.slice(0, 4)}-${String(i).padStart(4, "0")}`,
      criticality: r.int(1, 4),
      exposure: r.weighted({ internet_facing: 20, internal: 65, isolated: 15 }),
    };
    cis.push(ci);
    ciRows.push([
      ci.id,
      ci.name,
      r.pick(CI_KINDS),
      environment,
      `team-${r.pick(SYSTEMS)}`,
      ci.criticality,
      ci.exposure,
      pgTextArray(r.sample(["pci", "gdpr", "tier1", "legacy", "k8s", "vm", "saas"], r.int(0, 2))),
      new Date(setupAt),
      new Date(setupAt),
    ]);
    const deps =
      i === 0
        ? []
        : r.sample(
            Array.from({ length: Math.min(i, 50) }, (_, k) => i - 1 - k),
            r.int(0, 4),
          );
    for (const d of deps) depRows.push([ci.id, cis[d]!.id]);
    plan(setupAt + DAY + i * 1000, admins[1]!, "ci.created", "configuration_item", ci.id, null, {
      after: { name: ci.name, environment, criticality: ci.criticality },
    });
  }
  await copyRows(
    owner,
    "configuration_items",
    ["id", "name", "type", "environment", "owner", "criticality", "exposure", "tags", "created_at", "updated_at"],
    ciRows,
  );
  await copyRows(owner, "ci_dependencies", ["ci_id", "depends_on_id"], depRows);
  count("configuration_items", ciRows.length);
  count("ci_dependencies", depRows.length);

  // ---- 20 approved standard-change templates.
  type Template = { id: string; title: string; cis: Ci[] };
  const templates: Template[] = [];
  const templateRows: unknown[][] = [];
  const templateCiRows: unknown[][] = [];
  for (let i = 0; i < 20; i++) {
    const t = { id: r.uuid(), title: `${r.pick(VERBS)} ${r.pick(SYSTEMS)} (standard procedure ${i + 1})`, cis: r.sample(cis, r.int(1, 3)) };
    templates.push(t);
    const at = setupAt + 2 * DAY + i * HOUR;
    templateRows.push([
      t.id,
      r.uuid(),
      1,
      t.title,
      "A routine, pre-approved procedure.",
      "Follow the runbook.",
      "Restore the previous version.",
      "Smoke tests pass.",
      r.pick(["low", "medium"]),
      "approved",
      managers[0]!.id,
      managers[1]!.id,
      new Date(at + HOUR),
      new Date(at),
    ]);
    for (const ci of t.cis) templateCiRows.push([t.id, ci.id]);
    plan(at, managers[0]!, "template.proposed", "template", t.id, null, { after: { title: t.title, version: 1 } });
    plan(at + HOUR, managers[1]!, "template.approved", "template", t.id, null, { after: { version: 1 } });
  }
  await copyRows(
    owner,
    "change_templates",
    [
      "id",
      "family_id",
      "version",
      "title",
      "description",
      "implementation_plan",
      "backout_plan",
      "test_plan",
      "risk_ceiling",
      "status",
      "proposed_by_id",
      "approved_by_id",
      "approved_at",
      "created_at",
    ],
    templateRows,
  );
  await copyRows(owner, "template_cis", ["template_id", "ci_id"], templateCiRows);
  count("change_templates", templateRows.length);
  count("template_cis", templateCiRows.length);
  await emitUntil(historyStart);

  // ---- Changes, in creation order, flushed in chunks.
  const CHANGE_COLUMNS = [
    "id",
    "number",
    "type",
    "state",
    "title",
    "description",
    "justification",
    "implementation_plan",
    "backout_plan",
    "test_plan",
    "backout_tested",
    "emergency_justification",
    "planned_start",
    "planned_end",
    "requester_id",
    "implementer_id",
    "template_id",
    "new_external_interface",
    "touches_auth",
    "regulated_data",
    "framework_tags",
    "infra_provisioning",
    "release_artifact",
    "artifact_digest",
    "temporary_access",
    "access_expires_at",
    "risk_score",
    "risk_level",
    "risk_factors",
    "risk_assessed_at",
    "approval_round",
    "rework_count",
    "outcome",
    "outcome_notes",
    "implementation_started_at",
    "implemented_at",
    "root_cause",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "authorized_at",
    "closed_at",
  ];
  let chunk = emptyChunk();
  const createdAt = (i: number) => {
    if (i >= N - recentCount) {
      const k = i - (N - recentCount);
      return recentStart + Math.floor(((k + r.next()) / recentCount) * (now - HOUR - recentStart));
    }
    const old = N - recentCount;
    return historyStart + Math.floor(((i + r.next()) / Math.max(1, old)) * (recentStart - historyStart));
  };

  for (let i = 0; i < N; i++) {
    const t0 = createdAt(i);
    planChange(r, i, t0);
    if ((i + 1) % CHUNK === 0 || i === N - 1) {
      await flushChunk(owner, chunk, CHANGE_COLUMNS, count);
      chunk = emptyChunk();
      // The next change signs in a minute before it is created; keep its events in time order.
      await emitUntil(i === N - 1 ? Infinity : t0 - 2 * 60_000);
      if ((i + 1) % 10_000 === 0 || i === N - 1)
        log(`[bench:data] ${i + 1} changes, ${chain.written} audit events, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  const head = await chain.end();
  count("audit_events", head.seq);

  await owner.query("UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1", [head.seq, head.hash]);
  await owner.query("SELECT setval(pg_get_serial_sequence('change_requests', 'number'), $1)", [N]);
  log("[bench:data] VACUUM ANALYZE…");
  await owner.query("VACUUM ANALYZE");
  return { tables, events: head.seq, seconds: (performance.now() - started) / 1000, head };

  // One change's rows and events, following its type's path through the lifecycle to its final state.
  function planChange(r: Random, i: number, t0: number): void {
    const recent = i >= N - recentCount;
    const long = i === longIndex;
    const type: ChangeType = long ? "normal" : r.weighted(TYPE_WEIGHTS);
    const path = PATHS[type];
    let state: ChangeState = long ? "closed" : recent ? r.weighted(RECENT_STATES) : r.weighted(OLD_STATES);
    if (state === "rejected" && type === "standard") state = "cancelled";
    if (!path.includes(state) && state !== "rejected" && state !== "cancelled")
      state = path[Math.min(path.length - 1, 1 + r.int(0, path.length - 2))]!;
    let visited: ChangeState[];
    if (state === "rejected") visited = path.slice(0, path.indexOf("authorization") + 1);
    else if (state === "cancelled") visited = path.slice(0, path.indexOf(r.pick(CANCELLABLE[type])) + 1);
    else visited = path.slice(0, path.indexOf(state) + 1);
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
        ? {
            newExternalInterface: false,
            touchesAuth: false,
            regulatedData: false,
            frameworkTags: [],
            infraProvisioning: false,
            releaseArtifact: false,
            temporaryAccess: false,
          }
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

    let clock = t0;
    const span = recent ? Math.max(HOUR, (now - t0) * 0.8) : 20 * DAY;
    const stepGap = () => Math.floor(r.next() * (span / 12)) + 60_000;
    const at = () => (clock += stepGap());
    let events = 0;
    const event = (when: number, actor: User, action: string, extra: { before?: Json; after?: Json; reason?: string | null } = {}) => {
      events++;
      plan(when, actor, action, "change", id, id, extra);
    };

    plan(t0 - 60_000, requester, "auth.signed_in", "session", requester.id, null);
    event(t0, requester, "change.created", { after: { title, type, number: i + 1 } });
    const edits = r.int(1, 6);
    for (let k = 0; k < edits; k++) event(at(), requester, "change.edited", { after: { fields: r.sample(FIELDS, r.int(1, 3)) } });

    let submittedAt: number | null = null;
    let authorizedAt: number | null = null;
    let rounds = 0;
    let reworked = 0;
    const roundRows: unknown[][] = [];
    const voteRows: unknown[][] = [];
    const castVotes = (round: number, complete: boolean, reject: boolean) => {
      const rules = requiredApprovals({ type, risk, flags }).rules;
      const voted = new Set<string>();
      let any = false;
      for (const rule of rules) {
        const pool = voters[rule.role].filter((u) => u.id !== requester.id && u.id !== implementer?.id && !voted.has(u.id));
        const n = complete ? rule.count : r.int(0, rule.count - 1);
        for (const voter of r.sample(pool, n)) {
          voted.add(voter.id);
          any = true;
          const when = at();
          voteRows.push([r.uuid(), roundIds[round - 1], id, voter.id, rule.role, "approve", "", new Date(when)]);
          event(when, voter, "change.vote_cast", { after: { role: rule.role, decision: "approve", round } });
        }
      }
      if (reject || !any) {
        const rule = rules.find((x) => x.role === "security_reviewer") ?? rules[0];
        if (rule && reject) {
          const voter = r.pick(voters[rule.role].filter((u) => u.id !== requester.id && u.id !== implementer?.id && !voted.has(u.id)));
          const when = at();
          const comment = "The backout plan does not cover the data migration.";
          voteRows.push([r.uuid(), roundIds[round - 1], id, voter.id, rule.role, "reject", comment, new Date(when)]);
          event(when, voter, "change.vote_cast", { after: { role: rule.role, decision: "reject", round }, reason: comment });
        }
      }
    };
    const roundIds: string[] = [];
    const openRound = () => {
      rounds += 1;
      roundIds.push(r.uuid());
      roundRows.push([roundIds[rounds - 1], id, rounds, new Date(clock), null]);
    };
    const closeRound = () => (roundRows[rounds - 1]![4] = new Date(clock));

    if (submitted) {
      submittedAt = at();
      event(submittedAt, requester, "change.submitted", {
        before: { state: "draft" },
        after: { state: visited[1]!, riskScore: score, riskLevel: level },
      });
      if (type === "normal" || type === "major") {
        if (reached("assessment"))
          event(at(), manager, "change.assessment_started", { before: { state: "submitted" }, after: { state: "assessment" } });
        if (reached("authorization")) {
          if (r.chance(0.1)) {
            // A first round that ended in rework: one rejection, back to draft, edited and resubmitted.
            event(at(), manager, "change.authorization_requested", { before: { state: "assessment" }, after: { state: "authorization" } });
            openRound();
            castVotes(rounds, false, true);
            closeRound();
            event(at(), manager, "change.returned_for_rework", {
              before: { state: "authorization" },
              after: { state: "draft" },
              reason: "Address the rejection and resubmit.",
            });
            reworked = 1;
            event(at(), requester, "change.edited", { after: { fields: ["backoutPlan"] } });
            event(at(), requester, "change.submitted", {
              before: { state: "draft" },
              after: { state: "submitted", riskScore: score, riskLevel: level },
            });
            event(at(), manager, "change.assessment_started", { before: { state: "submitted" }, after: { state: "assessment" } });
          }
          event(at(), manager, "change.authorization_requested", { before: { state: "assessment" }, after: { state: "authorization" } });
        }
      }
      if (reached("authorization")) {
        if (rounds === 0 || reworked) openRound();
        const pending = state === "authorization" || (state === "cancelled" && visited.at(-1) === "authorization");
        castVotes(rounds, !pending && state !== "rejected", state === "rejected");
        if (state === "rejected") {
          event(at(), manager, "change.rejected", {
            before: { state: "authorization" },
            after: { state: "rejected" },
            reason: "Rejected at CAB.",
          });
          closeRound();
        } else if (!pending) {
          authorizedAt = clock;
          closeRound();
          if (type !== "emergency")
            event(at(), manager, "change.scheduled", { before: { state: "authorization" }, after: { state: "scheduled" } });
        }
      }
      if (type === "standard") authorizedAt = submittedAt;
    }
    if (implementer) event(at(), manager, "change.implementer_assigned", { after: { implementerId: implementer.id } });

    // Sign-offs: readiness items before implementation, the rest before review ends.
    const items = submitted
      ? applicableItems({ type, flags, risk: risk ? { score: score!, level: risk.level, summary: risk.summary } : null })
      : [];
    const checklistRows: unknown[][] = [];
    const implementing = reached("implementing");
    for (const item of items) {
      const due = item.preImplementation ? implementing : reached("review") && (state === "closed" || r.chance(0.5));
      const waived = due && !item.preImplementation && r.chance(0.02);
      const signer = r.pick(item.signerRole === "change_manager" ? managers : voters.security_reviewer);
      const when = due ? at() : null;
      if (due)
        event(when!, signer, waived ? "checklist.waived" : "checklist.signed_off", {
          after: { key: item.key },
          reason: waived ? "Compensating control in place." : null,
        });
      checklistRows.push([
        r.uuid(),
        id,
        item.key,
        item.title,
        item.signerRole,
        item.evidence,
        item.preImplementation,
        due ? (waived ? "waived" : "signed") : "pending",
        due ? signer.id : null,
        when === null ? null : new Date(when),
        due && !waived ? `Evidence for ${item.key}` : null,
        waived ? "Monitoring alert on the affected CI." : null,
        waived ? "Low: compensated." : null,
      ]);
    }

    let startedAt: number | null = null;
    let implementedAt: number | null = null;
    let outcome: string | null = null;
    if (implementing) {
      startedAt = at();
      event(startedAt, implementer!, "change.implementation_started", {
        before: { state: visited[visited.indexOf("implementing") - 1]! },
        after: { state: "implementing" },
      });
    }
    if (reached("review")) {
      implementedAt = at();
      outcome = r.weighted({ successful: 85, successful_with_issues: 8, failed: 4, rolled_back: 3 });
      event(implementedAt, implementer!, "change.outcome_recorded", {
        before: { state: "implementing" },
        after: { state: "review", outcome },
      });
    }
    let closedAt: number | null = null;
    const reviewer = r.pick(managers.filter((m) => m.id !== requester.id));
    if (state === "closed") {
      closedAt = at();
      event(closedAt, reviewer, "change.closed", { before: { state: "review" }, after: { state: "closed" } });
    }
    if (state === "cancelled")
      event(at(), requester, "change.withdrawn", {
        before: { state: visited.at(-1)! },
        after: { state: "cancelled" },
        reason: "No longer needed.",
      });

    // Comments at any time in the change's life; the long-history change gets enough to reach its 200 events.
    const commentRows: unknown[][] = [];
    const comments = long ? Math.max(0, LONG_HISTORY_EVENTS - events) : r.int(0, 5);
    const end = clock;
    for (let k = 0; k < comments; k++) {
      const author = r.chance(0.6) ? requester : r.pick(managers);
      const when = t0 + 1 + Math.floor(((k + r.next()) / comments) * (end - t0));
      const body = `Note ${k + 1}: ${r.pick(["checked with the service owner", "monitoring dashboards attached", "window agreed with the business", "dependency owners informed", "runbook updated"])}.`;
      commentRows.push([r.uuid(), id, author.id, body, new Date(when)]);
      event(when, author, "change.commented", { after: { length: body.length } });
    }

    const plannedStart =
      reached("scheduled") || reached("implementing")
        ? (startedAt ?? Math.max(clock, now) + r.int(1, 20) * DAY)
        : reached("authorization")
          ? now + r.int(1, 30) * DAY
          : r.chance(0.5)
            ? t0 + r.int(2, 40) * DAY
            : null;
    const drawnEnd = plannedStart === null ? null : plannedStart + r.int(1, 8) * HOUR;
    // Most implementations finish inside their window; one in 25 overruns it (the "outside the
    // approved window" report). Decided by the change's index: no extra draw, the rest of the data
    // stays as it was.
    const plannedEnd =
      drawnEnd !== null && implementedAt !== null && i % 25 !== 0 ? Math.max(drawnEnd, implementedAt + HOUR / 2) : drawnEnd;
    const ts = (t: number | null) => (t === null ? null : new Date(t));
    chunk.changes.push([
      id,
      i + 1,
      type,
      state,
      title,
      `Why and what: ${title.toLowerCase()}.`,
      "Keeps the service supported and secure.",
      "1. Drain traffic. 2. Apply. 3. Verify.",
      "Restore the snapshot taken before the change.",
      "Health checks and synthetic transactions.",
      r.chance(0.7),
      type === "emergency" ? "Production incident in progress." : null,
      ts(plannedStart),
      ts(plannedEnd),
      requester.id,
      implementer?.id ?? null,
      template?.id ?? null,
      flags.newExternalInterface,
      flags.touchesAuth,
      flags.regulatedData,
      pgTextArray(flags.frameworkTags),
      flags.infraProvisioning,
      flags.releaseArtifact,
      flags.releaseArtifact ? "sha256:" + r.uuid().replace(/-/g, "").padEnd(64, "0") : null,
      flags.temporaryAccess,
      flags.temporaryAccess ? new Date(t0 + 30 * DAY) : null,
      score,
      level,
      risk ? { summary: risk.summary, factors: [] } : null,
      ts(submittedAt),
      rounds,
      reworked,
      outcome,
      outcome ? "Recorded by the implementer." : null,
      ts(startedAt),
      ts(implementedAt),
      outcome === "failed" || outcome === "rolled_back" ? "A dependency was not ready." : null,
      events + 1,
      new Date(t0),
      new Date(Math.max(clock, end)),
      ts(submittedAt),
      ts(authorizedAt),
      ts(closedAt ?? (state === "rejected" || state === "cancelled" ? clock : null)),
    ]);
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
    chunk.rounds.push(...roundRows);
    chunk.votes.push(...voteRows);
    chunk.checklist.push(...checklistRows);
    chunk.comments.push(...commentRows);
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
}

type Chunk = {
  changes: unknown[][];
  changeCis: unknown[][];
  cves: unknown[][];
  rounds: unknown[][];
  votes: unknown[][];
  checklist: unknown[][];
  comments: unknown[][];
  reviews: unknown[][];
};

function emptyChunk(): Chunk {
  return { changes: [], changeCis: [], cves: [], rounds: [], votes: [], checklist: [], comments: [], reviews: [] };
}

async function flushChunk(
  client: pg.Client,
  chunk: Chunk,
  changeColumns: string[],
  count: (table: string, n: number) => void,
): Promise<void> {
  const load = async (table: string, columns: string[], rows: unknown[][]) => {
    await copyRows(client, table, columns, rows);
    count(table, rows.length);
  };
  await load("change_requests", changeColumns, chunk.changes);
  await load("change_cis", ["change_id", "ci_id"], chunk.changeCis);
  await load("cve_references", ["id", "change_id", "cve_id", "cvss_base_score", "known_exploited"], chunk.cves);
  await load("approval_rounds", ["id", "change_id", "number", "opened_at", "closed_at"], chunk.rounds);
  await load("votes", ["id", "round_id", "change_id", "voter_id", "role", "decision", "comment", "cast_at"], chunk.votes);
  await load(
    "checklist_items",
    [
      "id",
      "change_id",
      "key",
      "title",
      "signer_role",
      "evidence_wanted",
      "pre_implementation",
      "status",
      "signed_by_id",
      "signed_at",
      "evidence",
      "compensating_control",
      "residual_risk",
    ],
    chunk.checklist,
  );
  await load("comments", ["id", "change_id", "author_id", "body", "created_at"], chunk.comments);
  await load(
    "post_implementation_reviews",
    [
      "change_id",
      "works_as_intended",
      "security_controls_in_place",
      "monitoring_covers",
      "documentation_updated",
      "security_validation",
      "notes",
      "reviewed_by_id",
      "reviewed_at",
    ],
    chunk.reviews,
  );
}
