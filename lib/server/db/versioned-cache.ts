import "server-only";
import type { Db } from "./create-prisma-client";
import { Prisma } from "./generated/client";

type Tx = Pick<Db, "$queryRaw">;

/** The tables whose one row holds a version that triggers draw from a sequence. */
type VersionTable = "cmdb_version" | "schedule_version";

/**
 * A per-process copy of data read from PostgreSQL, kept while the version in `table` stands:
 * each use pays one single-row read, and a changed version reloads it. Triggers draw versions
 * from a sequence, which never hands a number out twice (not even to a transaction that rolls
 * back), and the key also names the database (its oid: one recreated under the same name is
 * another), for processes that outlive one, as test runners do. `load` gets the version's SQL
 * to select in the same statement as its rows: one snapshot, so the version is the rows'.
 */
export function versionedCache<T>(
  name: string,
  table: VersionTable,
  load: (tx: Tx, version: Prisma.Sql) => Promise<{ version: string; value: T }>,
) {
  const version = Prisma.sql`(SELECT d.oid::text || ':' || v.version::text FROM ${Prisma.raw(table)} v, pg_database d WHERE v.id = 1 AND d.datname = current_database())`;
  // On globalThis, like the Prisma client: dev-mode reloads and duplicated bundles share it.
  const holder = globalThis as { portalVersionedCaches?: Map<string, { version: string }> };
  const caches = (holder.portalVersionedCaches ??= new Map());
  return async (tx: Tx): Promise<T & { version: string }> => {
    const [current] = await tx.$queryRaw<{ version: string }[]>`SELECT ${version} AS version`;
    const cached = caches.get(name) as (T & { version: string }) | undefined;
    if (cached && current && cached.version === current.version) return cached;
    const { version: loadedVersion, value } = await load(tx, version);
    const loaded = { ...value, version: loadedVersion };
    caches.set(name, loaded);
    return loaded;
  };
}
