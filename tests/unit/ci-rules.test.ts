import { describe, expect, it } from "vitest";
import { ciDependenciesSchema, ciSchema, cycleMessage, dependencyCycle, parseTags, type DependencyEdge } from "@/lib/domain/ci-rules";

const valid = {
  name: "payments-api",
  type: "Application",
  environment: " Production ",
  owner: "Payments team",
  criticality: "4",
  exposure: "internet_facing",
  tags: "PCI, payments pci",
};
const errorsOf = (input: object) => {
  const parsed = ciSchema.safeParse({ ...valid, ...input });
  return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("a configuration item's fields", () => {
  it("normalises a valid item: lower-cased type, environment and tags, each tag once", () => {
    expect(ciSchema.parse(valid)).toEqual({
      name: "payments-api",
      type: "application",
      environment: "production",
      owner: "Payments team",
      criticality: 4,
      exposure: "internet_facing",
      tags: ["pci", "payments"],
    });
  });

  it.each([
    [{ criticality: "0" }, "criticality", "Choose a criticality from 1 to 4."],
    [{ criticality: "5" }, "criticality", "Choose a criticality from 1 to 4."],
    [{ criticality: "2.5" }, "criticality", "Choose a criticality from 1 to 4."],
    [{ criticality: "high" }, "criticality", "Choose a criticality from 1 to 4."],
    [{ exposure: "public" }, "exposure", "Choose internet-facing, internal or isolated."],
    [{ exposure: "" }, "exposure", "Choose internet-facing, internal or isolated."],
    [{ name: "  " }, "name", "Enter the name."],
    [{ name: "x".repeat(121) }, "name", "Use at most 120 characters."],
    [{ environment: "" }, "environment", "Enter the environment."],
    [{ owner: "" }, "owner", "Enter the owner (a team or a person)."],
    [{ tags: "ok, not/ok" }, "tags", "Tags use letters, digits, '.', '_', ':' or '-' (at most 40 characters each)."],
    [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(",") }, "tags", "Use at most 20 tags."],
  ])("refuses %j with a message on %s", (input, field, message) => {
    expect(errorsOf(input)[field]).toBe(message);
  });

  it.each([
    ["1", 1],
    ["2", 2],
    ["3", 3],
    ["4", 4],
  ])("accepts criticality %s", (raw, value) => {
    expect(ciSchema.parse({ ...valid, criticality: raw }).criticality).toBe(value);
  });

  it.each(["internet_facing", "internal", "isolated"])("accepts exposure %s", (exposure) => {
    expect(ciSchema.parse({ ...valid, exposure }).exposure).toBe(exposure);
  });

  it.each([
    ["", []],
    ["pci", ["pci"]],
    ["pci,hipaa", ["pci", "hipaa"]],
    [" PCI  pci,, HIPAA ", ["pci", "hipaa"]],
  ])("reads tags %j as %j", (raw, tags) => {
    expect(parseTags(raw)).toEqual(tags);
  });

  it("dedupes dependency ids and refuses more than 100", () => {
    const id = "0b9f6c52-6a1e-4c55-9a59-0d3c8f1f2a10";
    const other = "7f0f3a7e-2c33-4f5b-8f39-3d5c1c0b6a21";
    expect(ciDependenciesSchema.parse({ id, updatedAt: new Date().toISOString(), dependsOnIds: [other, other] }).dependsOnIds).toEqual([
      other,
    ]);
    expect(ciDependenciesSchema.safeParse({ id, updatedAt: new Date().toISOString(), dependsOnIds: ["nope"] }).success).toBe(false);
    expect(ciDependenciesSchema.safeParse({ id, updatedAt: "yesterday", dependsOnIds: [] }).success).toBe(false);
  });
});

const edges = (...pairs: string[]): DependencyEdge[] => pairs.map((p) => ({ ciId: p[0]!, dependsOnId: p[1]! }));

describe("a dependency may not create a loop", () => {
  it.each([
    ["no edges at all", "A", ["B"], edges(), null],
    ["depending on nothing", "A", [], edges("BA", "CB"), null],
    ["a chain that does not come back", "A", ["B"], edges("BC", "CD"), null],
    ["a diamond is not a loop", "A", ["B", "C"], edges("BD", "CD"), null],
    ["direct: B already depends on A", "A", ["B"], edges("BA"), ["A", "B", "A"]],
    ["indirect: B → C → A", "A", ["B"], edges("BC", "CA"), ["A", "B", "C", "A"]],
    ["long way round", "A", ["X", "B"], edges("BC", "CD", "DE", "EA"), ["A", "B", "C", "D", "E", "A"]],
    ["A's old edges are replaced, not kept", "A", ["C"], edges("AB", "BA"), null],
    ["a loop elsewhere in the graph is not A's", "A", ["B"], edges("BC", "CB"), null],
  ] as const)("%s", (_name, ci, dependsOn, graph, expected) => {
    expect(dependencyCycle(ci, dependsOn, graph)).toEqual(expected);
  });

  it("names the loop in words an admin knows", () => {
    const names: Record<string, string> = { A: "web", B: "api", C: "db" };
    expect(cycleMessage(["A", "B", "C", "A"], (id) => names[id]!)).toBe(
      "That would make a dependency loop: web → api → db → web. A configuration item cannot depend, even indirectly, on itself.",
    );
  });

  it("finds every loop in random graphs that a brute-force reachability check finds", () => {
    const nodes = ["A", "B", "C", "D", "E", "F"];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 300; round += 1) {
      const graph = nodes.flatMap((a) => nodes.filter((b) => b !== a && random() < 0.2).map((b) => ({ ciId: a, dependsOnId: b })));
      const dependsOn = nodes.filter((n) => n !== "A" && random() < 0.3);
      const reachesA = (from: string, seen = new Set<string>()): boolean =>
        from === "A" ||
        (!seen.has(from) &&
          (seen.add(from), graph.filter((e) => e.ciId === from && e.ciId !== "A").some((e) => reachesA(e.dependsOnId, seen))));
      const expected = dependsOn.some((d) => reachesA(d));
      const cycle = dependencyCycle("A", dependsOn, graph);
      expect(cycle !== null).toBe(expected);
      if (cycle) {
        // The path is real: it starts and ends at A and every step is an edge.
        expect(cycle[0]).toBe("A");
        expect(cycle.at(-1)).toBe("A");
        for (let i = 0; i + 1 < cycle.length; i += 1) {
          const [from, to] = [cycle[i]!, cycle[i + 1]!];
          expect(from === "A" ? dependsOn.includes(to) : graph.some((e) => e.ciId === from && e.dependsOnId === to)).toBe(true);
        }
      }
    }
  });
});
