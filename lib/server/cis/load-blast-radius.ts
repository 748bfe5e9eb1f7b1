import "server-only";
import { blastRadiusDepths, type CiDependencyEdge } from "@/lib/domain/blast-radius";
import { db } from "../db/db";

export type BlastNode = { id: string; name: string; environment: string; criticality: number; depth: number };

/** The changed CIs and everything that depends on them, transitively, walked in the database. */
export async function loadBlastRadius(ciIds: readonly string[]): Promise<{ nodes: BlastNode[]; edges: CiDependencyEdge[] }> {
  if (ciIds.length === 0) return { nodes: [], edges: [] };
  const rows = await db().$queryRaw<{ ci_id: string; depends_on_id: string }[]>`
    WITH RECURSIVE reach AS (
      SELECT ci_id, depends_on_id FROM ci_dependencies WHERE depends_on_id = ANY(${[...ciIds]}::uuid[])
      UNION
      SELECT d.ci_id, d.depends_on_id FROM ci_dependencies d JOIN reach r ON d.depends_on_id = r.ci_id
    )
    SELECT ci_id::text, depends_on_id::text FROM reach`;
  const edges = rows.map((r) => ({ ciId: r.ci_id, dependsOnId: r.depends_on_id }));
  const depths = blastRadiusDepths(ciIds, edges);
  const cis = await db().configurationItem.findMany({ where: { id: { in: [...depths.keys()] } }, select: { id: true, name: true, environment: true, criticality: true } });
  const nodes = cis.map((ci) => ({ ...ci, depth: depths.get(ci.id)! })).sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  return { nodes, edges };
}
