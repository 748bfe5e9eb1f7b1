import "server-only";
import { dependencyGraphOf, type CiDependencyEdge, type DependencyGraph } from "@/lib/domain/blast-radius";
import { versionedCache } from "../db/versioned-cache";

export type CmdbGraph = {
  edges: readonly CiDependencyEdge[];
  graph: DependencyGraph;
  /** Each CI's name, and what the blast radius panel shows besides. */
  cis: ReadonlyMap<string, { name: string; environment: string; criticality: number }>;
};

type Row = { version: string; edges: [string, string][]; cis: [string, string, string, number][] };

/**
 * The dependency graph, CI names, environments and criticalities as of the CMDB's current
 * version. A queue page asks about thousands of CI pairs: kept in memory, the graph's walks are
 * reused across requests. Triggers on configuration_items and ci_dependencies draw a new version
 * (migrations 20261123130000_cmdb_version, 20261123150000_cmdb_version_sequence).
 */
export const cmdbGraph = versionedCache<CmdbGraph>("cmdb", "cmdb_version", async (tx, version) => {
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT ${version} AS version,
      (SELECT coalesce(json_agg(json_build_array(ci_id, depends_on_id)), '[]'::json) FROM ci_dependencies) AS edges,
      (SELECT coalesce(json_agg(json_build_array(id, name, environment, criticality)), '[]'::json) FROM configuration_items) AS cis`;
  const edges = row!.edges.map(([ciId, dependsOnId]) => ({ ciId, dependsOnId }));
  const cis = new Map(row!.cis.map(([id, name, environment, criticality]) => [id, { name, environment, criticality }] as const));
  return { version: row!.version, value: { edges, graph: dependencyGraphOf(edges), cis } };
});
