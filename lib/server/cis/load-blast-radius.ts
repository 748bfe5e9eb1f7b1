import "server-only";
import type { CiDependencyEdge } from "@/lib/domain/blast-radius";
import { cmdbGraph, type CmdbGraph } from "./cmdb-graph";
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

// The radii of the CI sets asked lately, per graph version (the cached graph object, replaced
// when the CMDB changes): the page of a change on a core CI walks, sorts and filters a thousand
// dependents, the same work on every view until the CMDB changes.
const radii = new WeakMap<CmdbGraph, Map<string, BlastRadius>>();
const REMEMBERED = 256;

/**
 * The changed CIs and everything that depends on them, transitively, from the graph kept in
 * memory (no query but its version). The result is shared between requests: read it, never change it.
 */
export async function loadBlastRadius(ciIds: readonly string[], listed = BLAST_NODES_LISTED): Promise<BlastRadius> {
  if (ciIds.length === 0) return { nodes: [], edges: [], dependentCount: 0, countsByDepth: [] };
  const cmdb = await cmdbGraph(db());
  let seen = radii.get(cmdb);
  if (!seen) radii.set(cmdb, (seen = new Map()));
  const key = `${listed}:${[...ciIds].sort().join(",")}`;
  const known = seen.get(key);
  if (known) return known;
  const radius = blastRadiusIn(cmdb, ciIds, listed);
  if (seen.size >= REMEMBERED) seen.delete(seen.keys().next().value!);
  seen.set(key, radius);
  return radius;
}

function blastRadiusIn({ graph, edges, cis }: CmdbGraph, ciIds: readonly string[], listed: number): BlastRadius {
  const depths = graph.dependentDepths(ciIds);
  const ids = [...depths.keys()];
  // Nearest first, then the most critical, then by name: all from memory.
  const nodes = ids
    .flatMap((id): BlastNode[] => {
      const ci = cis.get(id);
      return ci ? [{ id, name: ci.name, environment: ci.environment, criticality: ci.criticality, depth: depths.get(id)! }] : [];
    })
    .sort((a, b) => a.depth - b.depth || b.criticality - a.criticality || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, listed);
  const shown = new Set(nodes.map((n) => n.id));
  const counts = new Map<number, number>();
  for (const depth of depths.values()) if (depth > 0) counts.set(depth, (counts.get(depth) ?? 0) + 1);
  const countsByDepth = [...counts].sort(([a], [b]) => a - b).map(([depth, count]) => ({ depth, count }));
  return {
    nodes,
    edges: edges.filter((e) => shown.has(e.ciId) && shown.has(e.dependsOnId)),
    dependentCount: countsByDepth.reduce((sum, c) => sum + c.count, 0),
    countsByDepth,
  };
}
