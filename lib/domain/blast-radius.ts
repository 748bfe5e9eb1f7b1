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
