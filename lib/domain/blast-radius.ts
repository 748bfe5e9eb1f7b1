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
  /**
   * Whether `ciId` depends on `onId`, directly or transitively (on itself only through a cycle).
   * Each CI's dependencies are walked once, on first use, and kept as a bit set: a graph kept
   * between requests answers the schedule's pairwise questions in constant time.
   */
  dependsOn: (ciId: string, onId: string) => boolean;
};

export function dependencyGraph(edges: readonly CiDependencyEdge[]): DependencyGraph {
  const dependents = new Map<string, string[]>();
  const dependencies = new Map<string, string[]>();
  for (const { ciId, dependsOnId } of edges) {
    push(dependents, dependsOnId, ciId);
    push(dependencies, ciId, dependsOnId);
  }
  const dependsOn = dependsOnIndex(dependencies);
  return {
    dependsOn,
    dependentDepths: (ciIds) => walk(ciIds, dependents),
  };
}

const graphs = new WeakMap<readonly CiDependencyEdge[], DependencyGraph>();

/** The graph of these very edges, built on first use: callers that share the array share its walks. */
export function dependencyGraphOf(edges: readonly CiDependencyEdge[]): DependencyGraph {
  let graph = graphs.get(edges);
  if (!graph) graphs.set(edges, (graph = dependencyGraph(edges)));
  return graph;
}

function dependsOnIndex(dependencies: Map<string, string[]>): DependencyGraph["dependsOn"] {
  const index = new Map<string, number>();
  const number = (id: string) => {
    let i = index.get(id);
    if (i === undefined) index.set(id, (i = index.size));
    return i;
  };
  const next: number[][] = [];
  for (const [ciId, ons] of dependencies) {
    const i = number(ciId);
    next[i] = ons.map(number);
  }
  const words = Math.ceil(index.size / 32);
  const ancestors: (Uint32Array | undefined)[] = [];
  const ancestorsOf = (start: number): Uint32Array => {
    let bits = ancestors[start];
    if (bits) return bits;
    bits = new Uint32Array(words);
    const queue = [start];
    for (let k = 0; k < queue.length; k++) {
      for (const j of next[queue[k]!] ?? []) {
        const mask = 1 << (j & 31);
        if (bits[j >>> 5]! & mask) continue;
        bits[j >>> 5]! |= mask;
        queue.push(j);
      }
    }
    return (ancestors[start] = bits);
  };
  return (ciId, onId) => {
    const i = index.get(ciId);
    const j = index.get(onId);
    if (i === undefined || j === undefined) return false;
    return (ancestorsOf(i)[j >>> 5]! & (1 << (j & 31))) !== 0;
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
