// The crash test's traffic: several people at once filing, assessing, signing off, voting on,
// scheduling, implementing and closing changes through the app's server actions, as their
// browsers would. Each step is chosen from the change as the database has it now, so the
// workload carries on whatever a crash kept or lost; the choices come from a seeded generator.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { requiredApprovals } from "../../../lib/domain/approval-policy";
import { NO_FLAGS } from "../../../lib/domain/change-flags";
import type { RiskLevel } from "../../../lib/domain/risk-levels";
import { hashPassword } from "../../../lib/server/auth/password";
import { DEMO_PASSWORD } from "../../../prisma/seed/demo-users";
import type { ActionClient, ActionFields } from "../../support/action-client";

const CHANGE_PAGE = "app/(portal)/changes/[id]/actions.ts";
const CHANGES = "app/(portal)/changes/actions.ts";
const TITLE = "Crash test change";

/** The people of the workload: the demo set, with enough CAB members for a quorum. */
const PEOPLE = {
  requester: { email: "requester@demo.local", role: null },
  lead: { email: "lead@demo.local", role: "cab_member" },
  manager: { email: "manager@demo.local", role: "change_manager" },
  security: { email: "security@demo.local", role: "security_reviewer" },
  cab: { email: "cab@demo.local", role: "cab_member" },
  cab2: { email: "crash-cab2@example.test", role: "cab_member" },
  cab3: { email: "crash-cab3@example.test", role: "cab_member" },
  implementer: { email: "implementer@demo.local", role: null },
} as const;
type PersonKey = keyof typeof PEOPLE;
const VOTERS = ["lead", "manager", "security", "cab", "cab2", "cab3"] as const satisfies readonly PersonKey[];
const EXTRA_ROLES: Partial<Record<PersonKey, string>> = { cab2: "cab_member", cab3: "cab_member" };

type Person = { key: PersonKey; id: string; email: string; cookie: string };

/** A small seeded generator (mulberry32), so a run's choices can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Facts = {
  id: string;
  type: "normal" | "emergency";
  state: string;
  risk_level: RiskLevel | null;
  version: number;
  requester_id: string;
  implementer_id: string | null;
  title: string;
  planned_start: Date;
  planned_end: Date;
  ci_ids: string[];
  backout_recorded: boolean;
  checklist: { key: string; status: string; role: string; pre: boolean }[];
  voters: string[];
};

type Step = { who: Person; action: string; fields: ActionFields; file?: string; path?: string };

export type WorkloadStats = { requests: number; succeeded: number; refused: number; failed: number; cut: number; created: number };

const FACTS_SQL = `
  SELECT c.id, c.type::text AS type, c.state::text AS state, c.risk_level::text AS risk_level, c.version, c.requester_id, c.implementer_id,
    c.title, c.planned_start, c.planned_end, c.backout_tested_by_id IS NOT NULL AS backout_recorded,
    (SELECT coalesce(array_agg(x.ci_id::text), '{}') FROM change_cis x WHERE x.change_id = c.id) AS ci_ids,
    (SELECT coalesce(json_agg(json_build_object('key', i.key, 'status', i.status, 'role', i.signer_role, 'pre', i.pre_implementation)), '[]')
       FROM checklist_items i WHERE i.change_id = c.id) AS checklist,
    (SELECT coalesce(json_agg(v.voter_id), '[]') FROM votes v JOIN approval_rounds r ON r.id = v.round_id
       WHERE v.change_id = c.id AND r.number = c.approval_round) AS voters
  FROM change_requests c WHERE c.id = $1`;

/** The change form's fields for a workload change; everything but these is the same for all. */
function changeFields(c: { type: string; title: string; start: Date; end: Date; ciIds: string[] }): ActionFields {
  return {
    type: c.type,
    title: c.title,
    description: "Filed by the crash-recovery test.",
    justification: "Proves that a crash loses nothing half done.",
    implementationPlan: "Apply the change.",
    backoutPlan: "Revert the change.",
    testPlan: "Check the service answers.",
    backoutTested: "on",
    emergencyJustification: c.type === "emergency" ? "An outage that cannot wait." : "",
    plannedStart: c.start.toISOString(),
    plannedEnd: c.end.toISOString(),
    templateId: "",
    artifactDigest: "",
    accessExpiresAt: "",
    cves: "",
    ciIds: c.ciIds,
  };
}

export class CrashWorkload {
  readonly stats: WorkloadStats = { requests: 0, succeeded: 0, refused: 0, failed: 0, cut: 0, created: 0 };
  /** Answers that were server errors, not a refusal: none is expected, crash or not. */
  readonly errors: string[] = [];
  /** Requests sent and not yet answered. */
  inFlight = 0;
  private people = new Map<PersonKey, Person>();
  private running = false;
  private agents: Promise<void>[] = [];
  private ciIds: string[] = [];

  constructor(
    private readonly client: ActionClient,
    private readonly db: pg.Pool,
    private readonly random: () => number,
    private readonly options: { agents: number; activeChanges: number },
  ) {}

  /** Adds the extra CAB members to the database and signs everybody in (sessions outlive restarts). */
  async prepare(): Promise<void> {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const [key, role] of Object.entries(EXTRA_ROLES)) {
      const { email } = PEOPLE[key as PersonKey];
      const { rows } = await this.db.query(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
        [email, `Crash ${key}`, passwordHash],
      );
      await this.db.query(`INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [rows[0].id, role]);
    }
    for (const [key, { email }] of Object.entries(PEOPLE)) {
      const { rows } = await this.db.query(`SELECT id FROM users WHERE email = $1`, [email]);
      this.people.set(key as PersonKey, {
        key: key as PersonKey,
        id: rows[0].id,
        email,
        cookie: await this.client.signIn(email, DEMO_PASSWORD),
      });
    }
    // Low-criticality items keep most changes' risk, and so the approvals they need, modest.
    const { rows } = await this.db.query(`SELECT id FROM configuration_items ORDER BY criticality, name LIMIT 5`);
    this.ciIds = rows.map((r) => r.id);
  }

  /** Resolves once a request sent after now is answered (a restarted server has warmed up), or after `timeoutMs`. */
  async answered(timeoutMs: number): Promise<void> {
    const answers = () => this.stats.succeeded + this.stats.refused + this.stats.failed;
    const before = answers();
    const deadline = Date.now() + timeoutMs;
    while (answers() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Starts the agents; each keeps taking steps until pause(). */
  resume(): void {
    this.running = true;
    this.agents = Array.from({ length: this.options.agents }, () => this.agent());
  }

  /** Stops taking new steps and waits for the steps under way to end (answered or cut). */
  async pause(): Promise<void> {
    this.running = false;
    await Promise.all(this.agents);
  }

  private async agent(): Promise<void> {
    while (this.running) {
      const step = await this.nextStep().catch(() => null);
      if (!step) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      this.stats.requests++;
      this.inFlight++;
      try {
        const response = await this.client.callAction(step.who.cookie, step.file ?? CHANGE_PAGE, step.action, step.fields, {
          path: step.path,
        });
        if (response.redirect) this.stats.succeeded++;
        else if (response.status < 500) this.stats.refused++;
        else {
          this.stats.failed++;
          this.errors.push(`${step.action} as ${step.who.email}: ${response.status} ${response.body.slice(0, 300)}`);
        }
      } catch {
        // The server died under the request: whether it committed is for the database to say.
        this.stats.cut++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        this.inFlight--;
      }
    }
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private person(key: PersonKey): Person {
    return this.people.get(key)!;
  }

  private async nextStep(): Promise<Step | null> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM change_requests WHERE state NOT IN ('closed', 'rejected', 'cancelled') AND title LIKE $1`,
      [`${TITLE} %`],
    );
    if (rows.length < this.options.activeChanges && this.random() < 0.5) return this.newChange();
    if (rows.length === 0) return null;
    const facts = (await this.db.query<Facts>(FACTS_SQL, [this.pick(rows).id])).rows[0];
    return facts ? this.stepFor(facts) : null;
  }

  private newChange(): Step {
    this.stats.created++;
    const emergency = this.random() < 0.25;
    const start = new Date(Date.now() + (30 + Math.floor(this.random() * 300)) * 86_400_000);
    const ciIds = [this.pick(this.ciIds), ...(this.random() < 0.3 ? [this.pick(this.ciIds)] : [])];
    return {
      who: this.person(this.random() < 0.7 ? "requester" : "lead"),
      file: CHANGES,
      action: "createChangeAction",
      path: "/changes/new",
      fields: changeFields({
        type: emergency ? "emergency" : "normal",
        title: `${TITLE} ${randomUUID().slice(0, 8)}`,
        start,
        end: new Date(start.getTime() + 2 * 3_600_000),
        ciIds: [...new Set(ciIds)],
      }),
    };
  }

  /** The change manager records the backout test on the edit form, as in assessment; the requester's own box does not count. */
  private backoutTestStep(facts: Facts): Step {
    return {
      who: this.person("manager"),
      file: CHANGES,
      action: "updateChangeAction",
      path: `/changes/${facts.id}/edit`,
      fields: {
        ...changeFields({ type: facts.type, title: facts.title, start: facts.planned_start, end: facts.planned_end, ciIds: facts.ci_ids }),
        backoutTestRecorded: "on",
        changeId: facts.id,
        version: String(facts.version),
      },
    };
  }

  private transition(who: Person, facts: Facts, action: string, extra: ActionFields = {}): Step {
    return {
      who,
      action: "changeActionAction",
      path: `/changes/${facts.id}`,
      fields: { changeId: facts.id, version: String(facts.version), action, ...extra },
    };
  }

  private owner(id: string | null): Person | null {
    return [...this.people.values()].find((p) => p.id === id) ?? null;
  }

  /** The next step a person would take on this change, now and then a detour (rework, rejection, cancellation). */
  private stepFor(facts: Facts): Step | null {
    const manager = this.person("manager");
    const roll = this.random();
    const reason = { reason: "Decided by the crash-recovery test." };
    if (["submitted", "assessment", "authorization"].includes(facts.state) && roll < 0.04)
      return this.transition(manager, facts, "return_for_rework", reason);
    if (["submitted", "assessment", "authorization", "scheduled"].includes(facts.state) && roll > 0.985) {
      return this.transition(manager, facts, roll > 0.993 ? "reject" : "cancel", reason);
    }
    if (roll > 0.95 && roll <= 0.985) {
      const who = this.pick([...this.people.values()]);
      return {
        who,
        action: "commentAction",
        path: `/changes/${facts.id}`,
        fields: { changeId: facts.id, body: `A question from ${who.key}.` },
      };
    }
    const pending = facts.checklist.filter((i) => i.status === "pending");
    if (pending.length > 0 && (facts.state === "assessment" || (facts.state !== "draft" && roll < 0.3)))
      return this.checklistStep(facts, this.pick(pending));
    switch (facts.state) {
      case "draft": {
        const requester = this.owner(facts.requester_id);
        if (!requester) return null;
        return this.transition(requester, facts, roll < 0.05 ? "withdraw" : "submit");
      }
      case "submitted":
        return this.transition(manager, facts, "start_assessment");
      case "assessment":
        return facts.backout_recorded ? this.transition(manager, facts, "request_authorization") : this.backoutTestStep(facts);
      case "authorization":
        return this.authorizationStep(facts);
      case "scheduled":
        return this.implementationStep(facts, "start_implementation");
      case "implementing": {
        const implementer = this.owner(facts.implementer_id);
        if (!implementer) return null;
        const outcome = roll < 0.8 ? "successful" : roll < 0.9 ? "successful_with_issues" : "failed";
        return this.transition(implementer, facts, "record_outcome", { outcome, outcomeNotes: "Recorded by the crash-recovery test." });
      }
      case "review":
        return this.transition(manager, facts, "close", {
          worksAsIntended: "on",
          securityControlsInPlace: "on",
          monitoringCovers: "on",
          documentationUpdated: "on",
          securityValidation: "Logs and access rights reviewed.",
          rootCause: "Found by the crash-recovery test.",
          notes: "",
        });
      default:
        return null;
    }
  }

  private checklistStep(facts: Facts, item: Facts["checklist"][number]): Step {
    const fields = { changeId: facts.id, key: item.key, version: String(facts.version) };
    if (item.role === "security_reviewer") {
      const waive = !item.pre && this.random() < 0.3;
      return waive
        ? {
            who: this.person("security"),
            action: "waiveAction",
            path: `/changes/${facts.id}`,
            fields: { ...fields, compensatingControl: "Extra monitoring for a week.", residualRisk: "Low." },
          }
        : {
            who: this.person("security"),
            action: "signOffAction",
            path: `/changes/${facts.id}`,
            fields: { ...fields, evidence: "Report CR-1 checked." },
          };
    }
    return {
      who: this.person("manager"),
      action: "signOffAction",
      path: `/changes/${facts.id}`,
      fields: { ...fields, evidence: "Restore test CR-2 passed." },
    };
  }

  private authorizationStep(facts: Facts): Step | null {
    const parties = [facts.requester_id, facts.implementer_id];
    const waiting = VOTERS.map((k) => this.person(k)).filter((p) => !facts.voters.includes(p.id) && !parties.includes(p.id));
    // Mostly the approvers the policy asks for; now and then someone it does not (a refusal).
    const needed = requiredApprovals({
      type: facts.type,
      risk: facts.risk_level && { level: facts.risk_level, summary: "" },
      flags: NO_FLAGS,
    }).rules.map((r) => r.role);
    const eligible = this.random() < 0.05 ? waiting : waiting.filter((p) => needed.some((role) => role === PEOPLE[p.key].role));
    if (eligible.length > 0 && this.random() < 0.75) {
      const voter = this.pick(eligible);
      const roll = this.random();
      const decision = roll < 0.92 ? "approve" : roll < 0.96 ? "abstain" : "reject";
      return {
        who: voter,
        action: "voteAction",
        path: `/changes/${facts.id}`,
        fields: { changeId: facts.id, role: PEOPLE[voter.key].role!, decision, comment: decision === "reject" ? "Not ready." : "" },
      };
    }
    if (facts.type === "emergency") return this.implementationStep(facts, "start_implementation");
    return this.transition(this.person("manager"), facts, "schedule");
  }

  private implementationStep(facts: Facts, action: string): Step | null {
    const implementer = this.owner(facts.implementer_id);
    if (!implementer || this.random() < 0.03) {
      const candidate = this.person(this.random() < 0.8 ? "implementer" : "lead");
      return {
        who: this.person("manager"),
        action: "assignImplementerAction",
        path: `/changes/${facts.id}`,
        fields: { changeId: facts.id, implementerId: candidate.id, version: String(facts.version) },
      };
    }
    // Its windows lie ahead, so every start is early and needs its reason.
    return this.transition(implementer, facts, action, { reason: "The crash-recovery test runs ahead of the calendar." });
  }
}
