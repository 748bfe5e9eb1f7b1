import { describe, expect, it } from "vitest";
import { appEnv } from "../../scripts/lib/app-env";

const OWNER_URL = "postgresql://portal_owner:owner-secret@db.internal/portal";
const APP_URL = "postgresql://portal_app:app-secret@db.internal/portal";

const operatorEnv: NodeJS.ProcessEnv = {
  PATH: "/usr/bin",
  HOME: "/home/portal",
  LC_ALL: "C.UTF-8",
  NODE_ENV: "production",
  PORTAL_MODE: "production",
  DATABASE_URL: APP_URL,
  MIGRATION_DATABASE_URL: OWNER_URL,
  ADMIN_EMAIL: "first@example.org",
  ADMIN_PASSWORD: "a long passphrase for the first admin",
  ADMIN_NAME: "First Admin",
  AUTH_SECRET: "x".repeat(40),
  AUDIT_SIGNING_KEY: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
  NEXTAUTH_URL: "https://changes.example.org",
  LOGIN_MAX_FAILURES_PER_ACCOUNT: "7",
  DB_LOCK_TIMEOUT_MS: "3000",
  EXPORT_MAX_SECONDS: "300",
  TRUSTED_PROXY_HOPS: "1",
  API_RATE_LIMIT_PER_MINUTE: "1200",
  NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: "k".repeat(44),
  // What must not get through under any name.
  PGPASSWORD: "owner-secret",
  PGUSER: "portal_owner",
  BACKUP_TARGET: OWNER_URL,
  SOME_SCRIPT_VAR: `psql ${OWNER_URL} -c 'select 1'`,
  ADMIN_PASSWORD_COPY: "a long passphrase for the first admin",
  AWS_SECRET_ACCESS_KEY: "unrelated secret",
  EMBEDDED_PG_PORT: "54320",
};

describe("the web server's environment", () => {
  const env = appEnv(APP_URL, 3000, operatorEnv);

  it("never holds the owner's connection string or the first admin's password, under any name", () => {
    const values = Object.values(env).join("\n");
    expect(values).not.toContain("owner-secret");
    expect(values).not.toContain(OWNER_URL);
    expect(values).not.toContain("a long passphrase for the first admin");
    for (const key of [
      "MIGRATION_DATABASE_URL",
      "ADMIN_PASSWORD",
      "ADMIN_EMAIL",
      "ADMIN_NAME",
      "PGPASSWORD",
      "PGUSER",
      "BACKUP_TARGET",
      "SOME_SCRIPT_VAR",
      "ADMIN_PASSWORD_COPY",
    ]) {
      expect(env, key).not.toHaveProperty(key);
    }
  });

  it("holds only allowed variables: the application's settings and what a Node process needs", () => {
    expect(Object.keys(env).sort()).toEqual([
      "API_RATE_LIMIT_PER_MINUTE",
      "AUDIT_SIGNING_KEY",
      "AUTH_SECRET",
      "DATABASE_URL",
      "DB_LOCK_TIMEOUT_MS",
      "EXPORT_MAX_SECONDS",
      "HOME",
      "LC_ALL",
      "LOGIN_MAX_FAILURES_PER_ACCOUNT",
      "NEXTAUTH_URL",
      "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY",
      "NEXT_TELEMETRY_DISABLED",
      "NODE_ENV",
      "PATH",
      "PORT",
      "PORTAL_MODE",
      "TRUSTED_PROXY_HOPS",
    ]);
    expect(env.DATABASE_URL).toBe(APP_URL);
    expect(env.PORT).toBe("3000");
    expect(env.NEXTAUTH_URL).toBe("https://changes.example.org");
  });
});
