/** "ciId depends on dependsOnId", as the CMDB records it. */
export type CiDependencyEdge = { ciId: string; dependsOnId: string };

/**
 * The dependency graph indexed both ways, built once in O(edges) so that every walk afterwards
 * costs only what it visits. A CMDB's core CIs reach half the graph: scanning the edge list per
 * question (per change of a queue, per other change of a window) made pages quadratic.
 */
export type DependencyGraph = {
  /** CIs that depend on any of `ciIds`, transitively, with their distance (the starting CIs at 0). */
  dependentDepths: (ciIds: readonly string[]) => Map<string, number>;
  /** CIs that any of `ciIds` depends on, transitively (the starting CIs excluded). */
  dependenciesOf: (ciIds: readonly string[]) => Set<string>;
};

export function dependencyGraph(edges: readonly CiDependencyEdge[]): DependencyGraph {
  const dependents = new Map<string, string[]>();
  const dependencies = new Map<string, string[]>();
  for (const { ciId, dependsOnId } of edges) {
    push(dependents, dependsOnId, ciId);
    push(dependencies, ciId, dependsOnId);
  }
  return {
    dependentDepths: (ciIds) => walk(ciIds, dependents),
    dependenciesOf: (ciIds) => {
      const depths = walk(ciIds, dependencies);
      for (const id of ciIds) depths.delete(id);
      return new Set(depths.keys());
    },
  };
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Breadth-first, so each CI gets its shortest distance; the visited map ends cycles. */
function walk(start: readonly string[], next: Map<string, string[]>): Map<string, number> {
  const depth = new Map(start.map((id) => [id, 0]));
  const queue = [...depth.keys()];
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i]!;
    for (const to of next.get(from) ?? []) {
      if (depth.has(to)) continue;
      depth.set(to, depth.get(from)! + 1);
      queue.push(to);
    }
  }
  return depth;
}

/**
 * The CIs that depend, directly or transitively, on any of `ciIds` (the starting CIs excluded),
 * sorted.
 */
export function blastRadius(ciIds: readonly string[], edges: readonly CiDependencyEdge[]): string[] {
  const depths = dependencyGraph(edges).dependentDepths(ciIds);
  return [...depths.keys()].filter((id) => depths.get(id)! > 0).sort();
}

/**
 * How far each CI of the blast radius is from the changed ones: 0 for the changed CIs, 1 for
 * what depends on them directly, and so on (the shortest path). For drawing the graph.
 */
export function blastRadiusDepths(ciIds: readonly string[], edges: readonly CiDependencyEdge[]): Map<string, number> {
  return dependencyGraph(edges).dependentDepths(ciIds);
}
