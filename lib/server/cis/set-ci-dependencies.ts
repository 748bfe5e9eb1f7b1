import "server-only";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ciDependenciesSchema, cycleMessage, dependencyCycle, STALE_CI_MESSAGE, type DependencyEdge } from "@/lib/domain/ci-rules";
import { fieldErrorsOf, ok, refuse, refuseAs, type Result } from "@/lib/domain/result";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction, type Tx } from "../db/transaction";
import { refuseUnlessConfigManager } from "./config-guard";

// Serialises edits of the dependency graph: two admins adding A→B and B→A at once would each
// pass the cycle check on their own snapshot and together make a loop.
const CI_GRAPH_LOCK = 72_616_101;

/** Replaces the set of CIs that one CI depends on, refusing a set that would make a loop. */
export async function setCiDependencies(actor: Actor | null, input: unknown): Promise<Result<{ message: string; updatedAt: string }>> {
  const refused = await refuseUnlessConfigManager(actor, "cis.dependencies");
  if (refused) return refused;
  const parsed = safeParseInput(ciDependenciesSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  const { id, updatedAt, dependsOnIds } = parsed.data;
  if (dependsOnIds.includes(id))
    return refuse("Check the highlighted fields.", { dependsOnIds: "A configuration item cannot depend on itself." });

  return inTransaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CI_GRAPH_LOCK}::bigint)`;
    const ci = await tx.configurationItem.findUnique({
      where: { id },
      select: { name: true, dependsOn: { select: { dependsOnId: true } } },
    });
    if (!ci) return refuseAs("not_found", "That configuration item no longer exists.");
    const targets = await tx.configurationItem.findMany({ where: { id: { in: dependsOnIds } }, select: { id: true, name: true } });
    if (targets.length !== dependsOnIds.length)
      return refuse("Check the highlighted fields.", {
        dependsOnIds: "One of the chosen configuration items no longer exists. Reload and choose again.",
      });

    const cycle = dependencyCycle(id, dependsOnIds, await edgesReachableFrom(tx, dependsOnIds));
    if (cycle) {
      const names = new Map([[id, ci.name], ...targets.map((t) => [t.id, t.name] as const), ...(await namesOf(tx, cycle))]);
      return refuse(
        cycleMessage(cycle, (x) => names.get(x) ?? x),
        { dependsOnIds: "This choice would make a dependency loop." },
      );
    }

    const now = new Date();
    const written = await tx.configurationItem.updateMany({ where: { id, updatedAt: new Date(updatedAt) }, data: { updatedAt: now } });
    if (written.count === 0) return refuseAs("conflict", STALE_CI_MESSAGE);
    const before = ci.dependsOn.map((d) => d.dependsOnId).sort();
    await tx.ciDependency.deleteMany({ where: { ciId: id } });
    await tx.ciDependency.createMany({ data: dependsOnIds.map((dependsOnId) => ({ ciId: id, dependsOnId })) });
    const after = [...dependsOnIds].sort();
    await appendAuditEvent(tx, {
      actor,
      action: "ci.dependencies_set",
      entityType: "configuration_item",
      entityId: id,
      before: { dependsOn: before },
      after: { dependsOn: after },
    });
    const count = after.length;
    return ok({
      message: count
        ? `${ci.name} now depends on ${count} configuration item${count === 1 ? "" : "s"}.`
        : `${ci.name} depends on nothing now.`,
      updatedAt: now.toISOString(),
    });
  });
}

/** The dependencies reachable from `ids`, walked in the database rather than loading the whole graph. */
async function edgesReachableFrom(tx: Tx, ids: readonly string[]): Promise<DependencyEdge[]> {
  if (ids.length === 0) return [];
  const rows = await tx.$queryRaw<{ ci_id: string; depends_on_id: string }[]>`
    WITH RECURSIVE reach AS (
      SELECT ci_id, depends_on_id FROM ci_dependencies WHERE ci_id = ANY(${[...ids]}::uuid[])
      UNION
      SELECT d.ci_id, d.depends_on_id FROM ci_dependencies d JOIN reach r ON d.ci_id = r.depends_on_id
    )
    SELECT ci_id::text, depends_on_id::text FROM reach`;
  return rows.map((r) => ({ ciId: r.ci_id, dependsOnId: r.depends_on_id }));
}

async function namesOf(tx: Tx, ids: readonly string[]): Promise<[string, string][]> {
  const rows = await tx.configurationItem.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return rows.map((r) => [r.id, r.name]);
}
