import { describe, expect, it } from "vitest";
import { loadBlastRadius } from "@/lib/server/cis/load-blast-radius";
import { createTestCi, testDb } from "../support/fixtures";

describe("the blast radius a change page shows", () => {
  it("lists the nearest dependents, most critical first at each distance, and counts the rest by distance", async () => {
    // hub <- a (crit 2), b (crit 4), c (crit 3); each of those <- two more; one cycle back to the hub.
    const hub = await createTestCi({ criticality: 4 });
    const direct = await Promise.all([2, 4, 3].map((criticality) => createTestCi({ criticality })));
    const second = await Promise.all(direct.flatMap(() => [createTestCi({ criticality: 1 }), createTestCi({ criticality: 4 })]));
    const edges = [
      ...direct.map((d) => ({ ciId: d.id, dependsOnId: hub.id })),
      ...second.map((s, i) => ({ ciId: s.id, dependsOnId: direct[Math.floor(i / 2)]!.id })),
      { ciId: hub.id, dependsOnId: second[0]!.id },
    ];
    await testDb().ciDependency.createMany({ data: edges });

    const all = await loadBlastRadius([hub.id]);
    expect(all.dependentCount).toBe(9);
    expect(all.countsByDepth).toEqual([
      { depth: 1, count: 3 },
      { depth: 2, count: 6 },
    ]);
    expect(all.nodes).toHaveLength(10);
    expect(all.nodes[0]).toMatchObject({ id: hub.id, depth: 0 });
    expect(all.nodes.slice(1, 4).map((n) => n.criticality)).toEqual([4, 3, 2]);

    const nearest = await loadBlastRadius([hub.id], 4);
    expect(nearest.dependentCount).toBe(9);
    expect(nearest.nodes.map((n) => n.id)).toEqual([hub.id, direct[1]!.id, direct[2]!.id, direct[0]!.id]);
    // Only the edges between listed nodes are drawn.
    expect(nearest.edges).toHaveLength(3);
    expect(nearest.edges.every((e) => e.dependsOnId === hub.id)).toBe(true);

    const leaf = await loadBlastRadius([second[5]!.id]);
    expect(leaf).toMatchObject({ dependentCount: 0, countsByDepth: [] });
    expect(await loadBlastRadius([])).toEqual({ nodes: [], edges: [], dependentCount: 0, countsByDepth: [] });
  });
});

describe("the blast radius remembered per CMDB version", () => {
  it("is computed once for a set of CIs (in any order) and again as soon as the CMDB changes", async () => {
    const [core, app, other] = [await createTestCi(), await createTestCi(), await createTestCi()];
    await testDb().ciDependency.create({ data: { ciId: app.id, dependsOnId: core.id } });
    const first = await loadBlastRadius([core.id, other.id]);
    expect(first.dependentCount).toBe(1);
    expect(await loadBlastRadius([other.id, core.id])).toBe(first);

    const web = await createTestCi();
    await testDb().ciDependency.create({ data: { ciId: web.id, dependsOnId: app.id } });
    const after = await loadBlastRadius([core.id, other.id]);
    expect(after.dependentCount).toBe(2);
    expect(after.countsByDepth).toEqual([
      { depth: 1, count: 1 },
      { depth: 2, count: 1 },
    ]);
  });
});

describe("the dependency graph kept in memory", () => {
  it("is reused while the CMDB is unchanged and reloaded after any change to CIs or dependencies", async () => {
    const { cmdbGraph } = await import("@/lib/server/cis/cmdb-graph");
    const [api, db] = [await createTestCi(), await createTestCi()];
    const first = await cmdbGraph(testDb());
    expect(await cmdbGraph(testDb())).toBe(first);
    expect(first.graph.dependsOn(api.id, db.id)).toBe(false);

    await testDb().ciDependency.create({ data: { ciId: api.id, dependsOnId: db.id } });
    const second = await cmdbGraph(testDb());
    expect(second.version).not.toBe(first.version);
    expect(second.graph.dependsOn(api.id, db.id)).toBe(true);

    await testDb().configurationItem.update({ where: { id: db.id }, data: { name: `${db.name}-renamed` } });
    expect((await cmdbGraph(testDb())).cis.get(db.id)?.name).toBe(`${db.name}-renamed`);

    await testDb().ciDependency.deleteMany({ where: { ciId: api.id } });
    expect((await cmdbGraph(testDb())).graph.dependsOn(api.id, db.id)).toBe(false);
  });
});

describe("the risk score's blast radius", () => {
  it("counts the transitive dependents of the change's CIs, and sees a dependency recorded since the last score", async () => {
    const { assessChangeRisk } = await import("@/lib/server/changes/assess-risk");
    const { createChangeDraft } = await import("@/lib/server/changes/save-change-draft");
    const { completeDraft, createTestUser } = await import("../support/fixtures");
    const requester = await createTestUser({ roles: ["requester"] });
    const [db, api, web] = [await createTestCi(), await createTestCi(), await createTestCi()];
    await testDb().ciDependency.create({ data: { ciId: api.id, dependsOnId: db.id } });
    const created = await createChangeDraft(requester.actor, completeDraft([db.id]));
    if (!created.ok) throw new Error(created.message);
    const explain = async () =>
      (await testDb().$transaction((tx) => assessChangeRisk(tx, created.value.id, new Date()))).factors.find(
        (f) => f.factor === "blastRadius",
      )!.explanation;
    expect(await explain()).toBe("1 dependent CI: 2 each.");
    await testDb().ciDependency.create({ data: { ciId: web.id, dependsOnId: api.id } });
    expect(await explain()).toBe("2 dependent CIs: 2 each.");
  });
});

describe("the graph cache and a transaction that rolls back", () => {
  it("never serves a rolled-back transaction's graph for the version a later change commits", async () => {
    const { cmdbGraph } = await import("@/lib/server/cis/cmdb-graph");
    const [a, b, c] = [await createTestCi(), await createTestCi(), await createTestCi()];
    // Inside a transaction: record a -> b, read the graph (cached under this transaction's version), roll back.
    await testDb()
      .$transaction(async (tx) => {
        await tx.ciDependency.create({ data: { ciId: a.id, dependsOnId: b.id } });
        expect((await cmdbGraph(tx)).graph.dependsOn(a.id, b.id)).toBe(true);
        throw new Error("roll back");
      })
      .catch((e: Error) => expect(e.message).toBe("roll back"));
    // A different change commits next: readers must see it, and not the rolled-back one.
    await testDb().ciDependency.create({ data: { ciId: a.id, dependsOnId: c.id } });
    const after = await cmdbGraph(testDb());
    expect(after.graph.dependsOn(a.id, c.id)).toBe(true);
    expect(after.graph.dependsOn(a.id, b.id)).toBe(false);
  });
});
