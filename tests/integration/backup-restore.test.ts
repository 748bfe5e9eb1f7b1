import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appendAuditEvent } from "@/lib/server/audit/append-audit-event";
import { takeCheckpointOnDemand } from "@/lib/server/audit-verification/take-checkpoint-on-demand";
import { inTransaction } from "@/lib/server/db/transaction";
import { restoreBaseBackup, takeBaseBackup } from "../../scripts/lib/base-backup";
import { startEmbeddedCluster, type EmbeddedCluster } from "../../scripts/lib/embedded-postgres";
import { DATA_DIR } from "../../scripts/lib/local-secrets";
import { verifyChainInChild } from "../../scripts/lib/verify-chain-in-child";
import { createTestUser } from "../support/fixtures";
import { TEST_CLUSTER_FOLDER, TEST_CLUSTER_PORT } from "../support/test-cluster";

// A checkpoint every few events, so the history holds several; read when env() is first used.
vi.hoisted(() => {
  process.env.AUDIT_CHECKPOINT_EVERY = "5";
});

const database = process.env.TEST_DATABASE_NAME!;
const embedded = !process.env.TEST_EXTERNAL_DATABASE_URL;
const suffix = randomBytes(4).toString("hex");
const backupDir = path.join(DATA_DIR, `backup-test-${suffix}`);
const restoredFolder = `postgres-restore-test-${suffix}`;
let restored: EmbeddedCluster | undefined;

const append = (n: number, action: string) =>
  inTransaction(async (tx) => {
    for (let i = 0; i < n; i++) await appendAuditEvent(tx, { actor: null, action, entityType: "test", after: { i } });
  });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await restored?.stop();
  await rm(backupDir, { recursive: true, force: true });
  await rm(path.join(DATA_DIR, restoredFolder), { recursive: true, force: true });
});

describe.runIf(embedded)("db:backup and db:restore of the embedded cluster", () => {
  let kept: { seq: number; hash: string };

  beforeAll(async () => {
    const admin = await createTestUser({ roles: ["admin"] });
    await append(17, "test.before_backup");
    const taken = await takeCheckpointOnDemand(admin.actor);
    if (!taken.ok) throw new Error(taken.message);
    kept = { seq: taken.value.checkpoint.seq, hash: taken.value.checkpoint.hash };
    await append(4, "test.before_backup");
  });

  it("restores into an empty cluster a log that verifies, with the checkpoints kept before the backup", async () => {
    const source = await startEmbeddedCluster(TEST_CLUSTER_FOLDER, TEST_CLUSTER_PORT);
    const [headAtBackup] = await query<{ seq: string; hash: string }>(
      source.ownerUrl(database),
      "SELECT seq::text, hash FROM audit_chain_head WHERE id = 1",
    );
    const checkpointsAtBackup = await query<{ seq: string }>(
      source.ownerUrl(database),
      "SELECT seq::text FROM audit_checkpoints ORDER BY seq",
    );
    expect(checkpointsAtBackup.length).toBeGreaterThanOrEqual(4);

    const manifest = await takeBaseBackup({
      superuserUrl: source.superuserUrl,
      dataDir: path.join(DATA_DIR, TEST_CLUSTER_FOLDER),
      outDir: backupDir,
    });
    expect(manifest.auditHeads[database]).toEqual({ seq: Number(headAtBackup!.seq), hash: headAtBackup!.hash });
    // Written after the backup: not in it.
    await append(3, "test.after_backup");

    await restoreBaseBackup(backupDir, path.join(DATA_DIR, restoredFolder));
    restored = await startEmbeddedCluster(restoredFolder, await freePort());

    const verdict = await verifyChainInChild(restored.appUrl(database), process.env.AUDIT_SIGNING_KEY);
    expect(verdict).toMatchObject({ ok: true, head: { seq: Number(headAtBackup!.seq), hash: headAtBackup!.hash } });
    expect(verdict.checkpointsChecked).toBe(checkpointsAtBackup.length);

    const [event] = await query<{ hash: string }>(restored.appUrl(database), "SELECT hash FROM audit_events WHERE seq = $1", [kept.seq]);
    expect(event?.hash).toBe(kept.hash);
    const restoredCheckpoints = await query<{ seq: string }>(
      restored.appUrl(database),
      "SELECT seq::text FROM audit_checkpoints ORDER BY seq",
    );
    expect(restoredCheckpoints).toEqual(checkpointsAtBackup);
    expect(await query(restored.appUrl(database), "SELECT 1 FROM audit_events WHERE action = 'test.after_backup'")).toHaveLength(0);
  }, 90_000);

  it("refuses to restore over an existing data directory", async () => {
    await expect(restoreBaseBackup(backupDir, path.join(DATA_DIR, restoredFolder))).rejects.toThrow(/already exists/);
  });
});
