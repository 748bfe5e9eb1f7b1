import { describe, expect, it } from "vitest";
import { dependencyGraph, type CiDependencyEdge } from "@/lib/domain/blast-radius";

const dependsOn = (ciId: string, dependsOnId: string): CiDependencyEdge => ({ ciId, dependsOnId });

/** The blast radius as the risk score counts it: every CI at a distance > 0, sorted. */
function blastRadius(ciIds: readonly string[], edges: readonly CiDependencyEdge[]): string[] {
  const depths = dependencyGraph(edges).dependentDepths(ciIds);
  return [...depths.keys()].filter((id) => depths.get(id)! > 0).sort();
}

describe("blastRadius", () => {
  // web and batch depend on api; api depends on db; report depends on batch.
  const edges = [
    dependsOn("api", "db"),
    dependsOn("web", "api"),
    dependsOn("batch", "api"),
    dependsOn("report", "batch"),
    dependsOn("cache", "other"),
  ];

  it.each([
    [["db"], ["api", "batch", "report", "web"]],
    [["api"], ["batch", "report", "web"]],
    [["report"], []],
    [
      ["batch", "api"],
      ["report", "web"],
    ],
    [["unknown"], []],
    [[], []],
  ])("dependents of %j are %j", (start, expected) => {
    expect(blastRadius(start, edges)).toEqual(expected);
  });

  it("ends on cycles and never counts a starting CI", () => {
    const cyclic = [dependsOn("a", "b"), dependsOn("b", "c"), dependsOn("c", "a"), dependsOn("d", "c")];
    expect(blastRadius(["a"], cyclic)).toEqual(["b", "c", "d"]);
    expect(blastRadius(["a"], [dependsOn("a", "a")])).toEqual([]);
  });

  it("counts a CI reached by two paths once", () => {
    const diamond = [dependsOn("l", "root"), dependsOn("r", "root"), dependsOn("top", "l"), dependsOn("top", "r")];
    expect(blastRadius(["root"], diamond)).toEqual(["l", "r", "top"]);
  });

  it("walks a long chain without recursion", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => dependsOn(`n${i + 1}`, `n${i}`));
    expect(blastRadius(["n0"], chain)).toHaveLength(20_000);
  });
});

describe("dependentDepths", () => {
  it("gives each dependent its shortest distance from the changed CIs", () => {
    const blastRadiusDepths = (ids: string[], edges: CiDependencyEdge[]) => dependencyGraph(edges).dependentDepths(ids);
    const edges = [
      dependsOn("api", "db"),
      dependsOn("web", "api"),
      dependsOn("report", "web"),
      dependsOn("report", "db"),
      dependsOn("a", "b"),
      dependsOn("b", "a"),
    ];
    expect(Object.fromEntries(blastRadiusDepths(["db"], edges))).toEqual({ db: 0, api: 1, report: 1, web: 2 });
    expect(Object.fromEntries(blastRadiusDepths(["a"], edges))).toEqual({ a: 0, b: 1 });
  });
});

describe("dependencyGraph", () => {
  const edges = [dependsOn("api", "db"), dependsOn("web", "api"), dependsOn("report", "web"), dependsOn("db", "disk"), dependsOn("x", "x")];

  it("walks dependencies upwards, transitively; a CI depends on itself only through a cycle", () => {
    const graph = dependencyGraph(edges);
    const all = ["api", "web", "report", "db", "disk", "x"];
    expect(all.filter((id) => graph.dependsOn("web", id)).sort()).toEqual(["api", "db", "disk"]);
    expect(all.filter((id) => graph.dependsOn("disk", id))).toEqual([]);
    expect(all.filter((id) => graph.dependsOn("x", id))).toEqual(["x"]);
    expect(all.filter((id) => graph.dependsOn("api", id))).toEqual(["db", "disk"]);
  });

  it("answers many questions from one index: a hub with 5,000 dependents, each leaf with none", () => {
    // A hub that 5,000 CIs depend on: asking 5,000 times about leaves stays linear.
    const star = Array.from({ length: 5_000 }, (_, i) => dependsOn(`leaf${i}`, "hub"));
    const graph = dependencyGraph(star);
    expect(graph.dependentDepths(["hub"]).size).toBe(5_001);
    for (let i = 0; i < 5_000; i++) expect(graph.dependentDepths([`leaf${i}`]).size).toBe(1);
  });
});

describe("dependsOn", () => {
  it("answers as the walk does, on random graphs with cycles", async () => {
    const fc = await import("fast-check");
    const id = fc.integer({ min: 0, max: 40 }).map((n) => `ci${n}`);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, id), { maxLength: 120 }),
        fc.array(fc.tuple(id, id), { minLength: 1, maxLength: 30 }),
        (pairs, questions) => {
          const edges = pairs.map(([a, b]) => dependsOn(a, b));
          const graph = dependencyGraph(edges);
          for (const [a, b] of questions) {
            // a depends on itself when something it depends on depends on it.
            const walked =
              a === b
                ? edges.some((e) => e.ciId === a && (e.dependsOnId === a || blastRadius([a], edges).includes(e.dependsOnId)))
                : blastRadius([b], edges).includes(a);
            expect(graph.dependsOn(a, b)).toBe(walked);
          }
        },
      ),
    );
  });

  it("knows nothing of CIs without dependencies", () => {
    const graph = dependencyGraph([dependsOn("api", "db")]);
    expect(graph.dependsOn("api", "db")).toBe(true);
    expect(graph.dependsOn("db", "api")).toBe(false);
    expect(graph.dependsOn("api", "unknown")).toBe(false);
    expect(graph.dependsOn("unknown", "db")).toBe(false);
  });
});
