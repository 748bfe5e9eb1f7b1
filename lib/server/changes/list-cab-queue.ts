import "server-only";
import { requiredApprovals } from "@/lib/domain/approval-policy";
import { decodeRiskCursor, type CabQueueFilters } from "@/lib/domain/cab-queue-params";
import { decodeTimeCursor } from "@/lib/domain/search-params";
import { containsPattern } from "@/lib/domain/contains-pattern";
import { CHANGE_TYPES } from "@/lib/domain/change-types";
import { RISK_LEVELS } from "@/lib/domain/risk-levels";
import type { Role } from "@/lib/domain/roles";
import { Prisma } from "../db/generated/client";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";

export const QUEUE_PAGE_SIZE = 25;
const BATCH = 100;

type Row = {
  id: string;
  number: number;
  title: string;
  type: (typeof CHANGE_TYPES)[number];
  risk_level: (typeof RISK_LEVELS)[number] | null;
  risk_score: number | null;
  planned_start: Date | null;
  requester_name: string;
  new_external_interface: boolean;
  touches_auth: boolean;
  regulated_data: boolean;
  framework_tags: string[];
  infra_provisioning: boolean;
  release_artifact: boolean;
  temporary_access: boolean;
  votes_in: number;
};

/**
 * Changes awaiting this person's vote: in authorization, not theirs to request or implement,
 * no vote from them this round, and the approval policy asks for a role they hold (of `asRoles`
 * only, when given: the security review page lists what awaits their security approval).
 */
export async function listCabQueue(actor: Actor, filters: CabQueueFilters, asRoles: readonly Role[] = actor.roles) {
  const roles = asRoles.filter((role) => actor.roles.includes(role));
  if (roles.length === 0) return { rows: [] as Row[], nextCursor: null };
  const byRisk = filters.sort === "risk";
  const eligible: Row[] = [];
  let after = filters.after;
  for (;;) {
    const rows = await db().$queryRaw<Row[]>(cabQueueCandidatesSql(actor, filters, after));
    for (const row of rows) {
      if (!needsOneOf(row, roles)) continue;
      eligible.push(row);
      if (eligible.length > QUEUE_PAGE_SIZE) break;
    }
    if (eligible.length > QUEUE_PAGE_SIZE || rows.length < BATCH) break;
    after = cursorOf(byRisk, rows.at(-1)!);
  }
  const page = eligible.slice(0, QUEUE_PAGE_SIZE);
  return { rows: page, nextCursor: eligible.length > QUEUE_PAGE_SIZE ? cursorOf(byRisk, page.at(-1)!) : null };
}

/**
 * One batch of candidates, filtered in SQL; the approval policy is applied to them in JS. Raw SQL: a
 * measured hot path on the (state, risk_score, id) index, exported for the bench's EXPLAIN (docs/performance.md).
 */
export function cabQueueCandidatesSql(actor: Pick<Actor, "id">, filters: CabQueueFilters, after: string | undefined) {
  const byRisk = filters.sort === "risk";
  const order = byRisk ? Prisma.sql`c.risk_score DESC, c.id DESC` : Prisma.sql`c.planned_start ASC, c.id ASC`;
  const keyset = after ? cursorCondition(byRisk, after) : Prisma.empty;
  // Rounds are found by (change_id, number) and votes by (round_id, voter_id): both unique indexes.
  return Prisma.sql`
      SELECT c.id, c.number, c.title, c.type, c.risk_level, c.risk_score, c.planned_start, u.name AS requester_name,
             c.new_external_interface, c.touches_auth, c.regulated_data, c.framework_tags, c.infra_provisioning, c.release_artifact, c.temporary_access,
             (SELECT count(*)::int FROM approval_rounds r JOIN votes v ON v.round_id = r.id WHERE r.change_id = c.id AND r.number = c.approval_round) AS votes_in
      FROM change_requests c JOIN users u ON u.id = c.requester_id
      WHERE c.state = 'authorization' AND c.requester_id <> ${actor.id}::uuid AND c.implementer_id IS DISTINCT FROM ${actor.id}::uuid
        AND NOT EXISTS (SELECT 1 FROM approval_rounds r JOIN votes v ON v.round_id = r.id AND v.voter_id = ${actor.id}::uuid WHERE r.change_id = c.id AND r.number = c.approval_round)
        ${filters.type ? Prisma.sql`AND c.type = ${filters.type}::change_type` : Prisma.empty}
        ${filters.risk ? Prisma.sql`AND c.risk_level = ${filters.risk}::risk_level` : Prisma.empty}
        ${filters.ci ? Prisma.sql`AND EXISTS (SELECT 1 FROM change_cis x JOIN configuration_items i ON i.id = x.ci_id WHERE x.change_id = c.id AND i.name ILIKE ${containsPattern(filters.ci)})` : Prisma.empty}
        ${keyset}
      ORDER BY ${order} LIMIT ${BATCH}`;
}

function needsOneOf(row: Row, roles: readonly Role[]): boolean {
  const requirement = requiredApprovals({
    type: row.type,
    risk: row.risk_level ? { level: row.risk_level, summary: "" } : null,
    flags: {
      newExternalInterface: row.new_external_interface,
      touchesAuth: row.touches_auth,
      regulatedData: row.regulated_data,
      frameworkTags: row.framework_tags,
      infraProvisioning: row.infra_provisioning,
      releaseArtifact: row.release_artifact,
      temporaryAccess: row.temporary_access,
    },
  });
  return requirement.rules.some((rule) => roles.includes(rule.role));
}

function cursorOf(byRisk: boolean, row: Row): string {
  return `${byRisk ? String(row.risk_score ?? 0) : (row.planned_start ?? new Date(0)).toISOString()}_${row.id}`;
}

function cursorCondition(byRisk: boolean, cursor: string) {
  if (byRisk) {
    const risk = decodeRiskCursor(cursor);
    return risk ? Prisma.sql`AND (c.risk_score, c.id) < (${risk.score}::smallint, ${risk.id}::uuid)` : Prisma.empty;
  }
  const start = decodeTimeCursor(cursor);
  return start ? Prisma.sql`AND (c.planned_start, c.id) > (${start.at}, ${start.id}::uuid)` : Prisma.empty;
}

export type CabQueueRow = Awaited<ReturnType<typeof listCabQueue>>["rows"][number];
