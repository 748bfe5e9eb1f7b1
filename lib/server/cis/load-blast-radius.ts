import "server-only";
import type { CiDependencyEdge } from "@/lib/domain/blast-radius";
import { cmdbGraph } from "./cmdb-graph";
import { db } from "../db/db";

export type BlastNode = { id: string; name: string; environment: string; criticality: number; depth: number };
export type BlastRadius = {
  /** The changed CIs and the nearest dependents, most critical first within each distance. */
  nodes: BlastNode[];
  /** The dependencies between the listed nodes. */
  edges: CiDependencyEdge[];
  /** Every dependent, listed or not. */
  dependentCount: number;
  /** How many dependents at each distance (1 = direct). */
  countsByDepth: { depth: number; count: number }[];
};

/** A core CI can have a thousand dependents: the page lists the nearest, and counts the rest. */
export const BLAST_NODES_LISTED = 25;

/** The changed CIs and everything that depends on them, transitively, walked in the graph kept in memory. */
export async function loadBlastRadius(ciIds: readonly string[], listed = BLAST_NODES_LISTED): Promise<BlastRadius> {
  if (ciIds.length === 0) return { nodes: [], edges: [], dependentCount: 0, countsByDepth: [] };
  const { graph, edges } = await cmdbGraph(db());
  const depths = graph.dependentDepths(ciIds);
  const ids = [...depths.keys()];
  const nodes = await db().$queryRaw<BlastNode[]>`
    SELECT c.id::text, c.name, c.environment, c.criticality, d.depth
    FROM configuration_items c JOIN unnest(${ids}::uuid[], ${ids.map((id) => depths.get(id)!)}::int[]) AS d(id, depth) ON c.id = d.id
    ORDER BY d.depth, c.criticality DESC, c.name
    LIMIT ${listed}`;
  const shown = new Set(nodes.map((n) => n.id));
  const counts = new Map<number, number>();
  for (const depth of depths.values()) if (depth > 0) counts.set(depth, (counts.get(depth) ?? 0) + 1);
  return {
    nodes,
    edges: edges.filter((e) => shown.has(e.ciId) && shown.has(e.dependsOnId)),
    dependentCount: ids.length - new Set(ciIds).size,
    countsByDepth: [...counts].sort(([a], [b]) => a - b).map(([depth, count]) => ({ depth, count })),
  };
}
