// The environment handed to the Next.js server, built from an allow-list: what the application
// reads (its database role, the auth secret and audit signing key, generated and kept in .data/
// when none is configured, the public URL, its tunables) and what a Node process needs. The
// schema owner's connection string, the first admin's password and libpq's PG* defaults never
// reach it: a compromised page must not find them in process.env.
import { loadLocalSecrets } from "./local-secrets";

/** Passed as they are; every other variable is dropped. */
const ALLOWED = new Set([
  // A Node process and its children (next build) on this machine.
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  "TERM",
  "CI",
  "NODE_ENV",
  "NODE_OPTIONS",
  "NODE_EXTRA_CA_CERTS",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "FORCE_COLOR",
  "NO_COLOR",
  "XDG_CACHE_HOME",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  // The application (lib/server/env.ts and its neighbours).
  "AUTH_SECRET",
  "AUDIT_SIGNING_KEY",
  "NEXTAUTH_URL",
  "PORT",
  "PORTAL_MODE",
  "TRUSTED_PROXY_HOPS",
  // Mail and the job queue's worker (README, Mail and the job queue).
  "SMTP_URL",
  "MAIL_FROM",
  "DELIVERY_MAX_ATTEMPTS",
  "DELIVERY_BACKOFF_BASE_MS",
  "DELIVERY_BACKOFF_MAX_MS",
  "WEBHOOK_ALLOWED_PRIVATE_RANGES",
  "WEBHOOK_CONNECT_TIMEOUT_MS",
  "WEBHOOK_RESPONSE_TIMEOUT_MS",
  "WORKER_CONCURRENCY",
  "API_RATE_LIMIT_PER_MINUTE",
  // Single sign-on (README, Single sign-on); OIDC_* below.
  "PASSWORD_SIGN_IN",
  "BREAK_GLASS_ADMINS",
  "DEPLOYMENT_GATE_GRACE_MINUTES",
  "DEPLOYMENT_GATE_HOLD_SECONDS",
  "DEPLOYMENT_GATE_TIMEOUT_MS",
  "ROLE_GRANT_REQUEST_DAYS",
  // Step-up for approvals (README, Second factor and step-up).
  "STEP_UP_MINUTES",
]);
/** Families of the application's own settings (LOGIN_MAX_FAILURES_PER_ACCOUNT, DB_LOCK_TIMEOUT_MS, NEXT_SERVER_ACTIONS_ENCRYPTION_KEY, …). */
const ALLOWED_PREFIXES = ["LC_", "NEXT_", "NEXTAUTH_", "AUTH_", "AUDIT_", "LOGIN_", "SESSION_", "DB_", "EXPORT_", "OIDC_"];
/** Never, whatever a prefix says. */
// DEMO_WEBHOOK_RECEIVER is set by `npm start` in demo mode only (demo-webhook-receiver.ts), never passed on.
const DENIED = new Set(["MIGRATION_DATABASE_URL", "ADMIN_PASSWORD", "ADMIN_EMAIL", "ADMIN_NAME", "DEMO_WEBHOOK_RECEIVER"]);

export function appEnv(appUrl: string, port: number, source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  // A secret copied under another name (PGURL=<owner's URL>) is dropped by its value.
  const secretValues = [source.MIGRATION_DATABASE_URL, source.ADMIN_PASSWORD].filter((v): v is string => Boolean(v) && v !== appUrl);
  // NODE_ENV is typed as always present; `next start` / `next dev` set it themselves when absent.
  const env = {} as NodeJS.ProcessEnv;
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || DENIED.has(key)) continue;
    if (!ALLOWED.has(key) && !ALLOWED_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
    if (secretValues.some((secret) => value.includes(secret))) continue;
    env[key] = value;
  }
  return Object.assign(env, {
    DATABASE_URL: appUrl,
    AUTH_SECRET: source.AUTH_SECRET || loadLocalSecrets().authSecret,
    AUDIT_SIGNING_KEY: source.AUDIT_SIGNING_KEY || loadLocalSecrets().auditSigningKey,
    NEXTAUTH_URL: source.NEXTAUTH_URL || `http://localhost:${port}`,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
  });
}
