/** "ciId depends on dependsOnId", as the CMDB records it. */
export type CiDependencyEdge = { ciId: string; dependsOnId: string };

/**
 * The CIs that depend, directly or transitively, on any of `ciIds` (the starting CIs excluded),
 * sorted. A breadth-first walk with a visited set, so dependency cycles end.
 */
export function blastRadius(ciIds: readonly string[], edges: readonly CiDependencyEdge[]): string[] {
  const dependentsOf = new Map<string, string[]>();
  for (const { ciId, dependsOnId } of edges) {
    const list = dependentsOf.get(dependsOnId);
    if (list) list.push(ciId);
    else dependentsOf.set(dependsOnId, [ciId]);
  }
  const start = new Set(ciIds);
  const seen = new Set(ciIds);
  const queue = [...start];
  for (let i = 0; i < queue.length; i++) {
    for (const dependent of dependentsOf.get(queue[i]!) ?? []) {
      if (seen.has(dependent)) continue;
      seen.add(dependent);
      queue.push(dependent);
    }
  }
  return [...seen].filter((id) => !start.has(id)).sort();
}

/**
 * How far each CI of the blast radius is from the changed ones: 0 for the changed CIs, 1 for
 * what depends on them directly, and so on (the shortest path). For drawing the graph.
 */
export function blastRadiusDepths(ciIds: readonly string[], edges: readonly CiDependencyEdge[]): Map<string, number> {
  const depth = new Map(ciIds.map((id) => [id, 0]));
  let frontier = [...depth.keys()];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const { ciId, dependsOnId } of edges) {
      if (frontier.includes(dependsOnId) && !depth.has(ciId)) {
        depth.set(ciId, depth.get(dependsOnId)! + 1);
        next.push(ciId);
      }
    }
    frontier = next;
  }
  return depth;
}
