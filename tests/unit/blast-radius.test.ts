import { describe, expect, it } from "vitest";
import { blastRadius, type CiDependencyEdge } from "@/lib/domain/blast-radius";

const dependsOn = (ciId: string, dependsOnId: string): CiDependencyEdge => ({ ciId, dependsOnId });

describe("blastRadius", () => {
  // web and batch depend on api; api depends on db; report depends on batch.
  const edges = [dependsOn("api", "db"), dependsOn("web", "api"), dependsOn("batch", "api"), dependsOn("report", "batch"), dependsOn("cache", "other")];

  it.each([
    [["db"], ["api", "batch", "report", "web"]],
    [["api"], ["batch", "report", "web"]],
    [["report"], []],
    [["batch", "api"], ["report", "web"]],
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

describe("blastRadiusDepths", () => {
  it("gives each dependent its shortest distance from the changed CIs", async () => {
    const { blastRadiusDepths } = await import("@/lib/domain/blast-radius");
    const edges = [dependsOn("api", "db"), dependsOn("web", "api"), dependsOn("report", "web"), dependsOn("report", "db"), dependsOn("a", "b"), dependsOn("b", "a")];
    expect(Object.fromEntries(blastRadiusDepths(["db"], edges))).toEqual({ db: 0, api: 1, report: 1, web: 2 });
    expect(Object.fromEntries(blastRadiusDepths(["a"], edges))).toEqual({ a: 0, b: 1 });
  });
});

describe("dependencyGraph", () => {
  const edges = [dependsOn("api", "db"), dependsOn("web", "api"), dependsOn("report", "web"), dependsOn("db", "disk"), dependsOn("x", "x")];

  it("walks dependencies upwards, the starting CIs excluded, cycles included", async () => {
    const { dependencyGraph } = await import("@/lib/domain/blast-radius");
    const graph = dependencyGraph(edges);
    expect([...graph.dependenciesOf(["web"])].sort()).toEqual(["api", "db", "disk"]);
    expect([...graph.dependenciesOf(["disk"])]).toEqual([]);
    expect([...graph.dependenciesOf(["x"])]).toEqual([]);
  });

  it("answers many questions from one index: a hub with 5,000 dependents, each leaf with none", async () => {
    const { dependencyGraph } = await import("@/lib/domain/blast-radius");
    // A hub that 5,000 CIs depend on: asking 5,000 times about leaves stays linear.
    const star = Array.from({ length: 5_000 }, (_, i) => dependsOn(`leaf${i}`, "hub"));
    const graph = dependencyGraph(star);
    expect(graph.dependentDepths(["hub"]).size).toBe(5_001);
    for (let i = 0; i < 5_000; i++) expect(graph.dependentDepths([`leaf${i}`]).size).toBe(1);
  });
});
