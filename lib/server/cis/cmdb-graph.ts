import "server-only";
import { dependencyGraphOf, type CiDependencyEdge, type DependencyGraph } from "@/lib/domain/blast-radius";
import type { Db } from "../db/create-prisma-client";
import { Prisma } from "../db/generated/client";

export type CmdbGraph = {
  version: string;
  edges: readonly CiDependencyEdge[];
  graph: DependencyGraph;
  names: ReadonlyMap<string, string>;
  /** What the blast radius panel shows of each CI besides its name. */
  cis: ReadonlyMap<string, { name: string; environment: string; criticality: number }>;
};

type Tx = Pick<Db, "$queryRaw">;

// One per process, as the Prisma client is; dev-mode reloads keep it. The key names the database
// too (its oid: a database recreated under the same name is another), for processes that
// outlive one, as test runners do.
const VERSION = Prisma.sql`(SELECT d.oid::text || ':' || v.version::text FROM cmdb_version v, pg_database d WHERE v.id = 1 AND d.datname = current_database())`;
const holder = globalThis as { portalCmdbGraph?: CmdbGraph };

/**
 * The dependency graph, CI names, environments and criticalities as of the CMDB's current version. A queue page asks about
 * thousands of CI pairs: kept in memory, the graph's walks are reused across requests, and
 * each request pays one single-row read. A trigger bumps the version on any change to CIs or
 * dependencies (migration 20261123130000_cmdb_version), so a stale graph is never used.
 */
export async function cmdbGraph(tx: Tx): Promise<CmdbGraph> {
  const [current] = await tx.$queryRaw<{ version: string }[]>`SELECT ${VERSION} AS version`;
  const cached = holder.portalCmdbGraph;
  if (cached && current && cached.version === current.version) return cached;
  // One statement, one snapshot: the version read here is the version of these rows.
  const [row] = await tx.$queryRaw<{ version: string; edges: [string, string][]; cis: [string, string, string, number][] }[]>`
    SELECT ${VERSION} AS version,
      (SELECT coalesce(json_agg(json_build_array(ci_id, depends_on_id)), '[]'::json) FROM ci_dependencies) AS edges,
      (SELECT coalesce(json_agg(json_build_array(id, name, environment, criticality)), '[]'::json) FROM configuration_items) AS cis`;
  const edges = row!.edges.map(([ciId, dependsOnId]) => ({ ciId, dependsOnId }));
  const cis = new Map(row!.cis.map(([id, name, environment, criticality]) => [id, { name, environment, criticality }] as const));
  const names = new Map([...cis].map(([id, ci]) => [id, ci.name]));
  const loaded = { version: row!.version, edges, graph: dependencyGraphOf(edges), names, cis };
  holder.portalCmdbGraph = loaded;
  return loaded;
}
