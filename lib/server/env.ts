import "server-only";
import { z } from "zod";
import { DEFAULT_DB_TIMEOUTS, type DbTimeouts } from "./connection-options";

// The one reader of process.env for the app; scripts/ read theirs and pass values down.
const schema = z.object({
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgresql:// connection string"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(50),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().positive().default(15),
  /** A session ends after this many minutes without a request. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .max(24 * 60)
    .default(30),
  /** A session ends this many hours after sign-in, however active. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .max(24 * 30)
    .default(8),
  /** How many proxies in front of the portal append to X-Forwarded-For; 0 believes no header (see README, Security notes). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Ed25519 private key(s) (PKCS#8 PEM, several one after the other around a key rotation, or that text in base64) that sign audit checkpoints. Checked where it is used, so pages that never sign do not need it. */
  AUDIT_SIGNING_KEY: z.string().trim().min(1).optional(),
  /** A signed checkpoint every N audit events. */
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().positive().default(1000),
  /** How long audit events are kept; shown to auditors. The application never deletes them. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(2555),
  /** How long a statement waits for a lock (a change someone else is acting on) before "busy, try again". */
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_DB_TIMEOUTS.lockTimeoutMs),
  /** The longest any one statement of a request may run. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_DB_TIMEOUTS.statementTimeoutMs),
  /** A transaction idle this long is ended by the server, releasing its locks. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_DB_TIMEOUTS.idleInTransactionTimeoutMs),
  /** How long a request waits for a free connection of its pool. */
  DB_POOL_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().positive().default(DEFAULT_DB_TIMEOUTS.acquireTimeoutMs),
  /** Exports' own connections, apart from the request pool's, so exports cannot starve votes. */
  EXPORT_MAX_CONNECTIONS: z.coerce.number().int().positive().default(2),
  /** An export still running after this long is stopped and its connection freed. */
  EXPORT_MAX_SECONDS: z.coerce.number().int().positive().default(900),
  /** smtp:// or smtps:// (with its credentials); unset: mails go to the dev mailbox (/admin/mailbox). */
  SMTP_URL: z.string().trim().min(1).optional(),
  /** The sender of the portal's mails. */
  MAIL_FROM: z.string().trim().min(3).default("Change-control portal <change-portal@localhost>"),
  /** Attempts of one delivery before it is dead (shown on /admin/deliveries, retried by hand). */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** The first retry's delay; each next one doubles, with jitter, up to DELIVERY_BACKOFF_MAX_MS. */
  DELIVERY_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(30_000),
  DELIVERY_BACKOFF_MAX_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(6 * 3_600_000),
  /** Private, loopback or link-local addresses (IPs or CIDR ranges, comma-separated) webhooks may still be sent to; none by default. */
  WEBHOOK_ALLOWED_PRIVATE_RANGES: z.string().trim().optional(),
  /** A webhook receiver must accept the connection within this time, and answer within the next. */
  WEBHOOK_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  WEBHOOK_RESPONSE_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** `on` only from `npm start` in demo mode: the portal's own webhook receiver (lib/server/webhooks/demo-receiver.ts). */
  DEMO_WEBHOOK_RECEIVER: z.enum(["on", "off"]).default("off"),
  /** Jobs one worker process runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(2),
  /** Requests each API token may make per minute, counted in PostgreSQL for every instance (lib/server/api/rate-limit.ts). */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Single sign-on (README, "Single sign-on"): the identity provider's issuer URL; unset, there is no SSO. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The claim that lists the user's groups, and which roles each group gives (lib/domain/sso-role-map.ts). */
  OIDC_ROLE_CLAIM: z.string().trim().min(1).default("groups"),
  OIDC_ROLE_MAP: z.string().optional(),
  OIDC_SCOPES: z.string().trim().min(1).default("openid email profile"),
  /** The ID token's `amr` or `acr` values that count as a second factor at the identity provider (comma-separated). */
  OIDC_MFA_AMR: z.string().trim().min(1).default("mfa,otp,hwk,swk"),
  /** Approvals and other sensitive actions need an authentication no older than this (step-up, lib/domain/step-up.ts). */
  STEP_UP_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .max(24 * 60)
    .default(15),
  /** The SSO button's words: "Sign in with <name>". */
  OIDC_DISPLAY_NAME: z.string().trim().min(1).max(60).default("SSO"),
  /** `off`: only the break-glass admins may sign in with a password. */
  PASSWORD_SIGN_IN: z.enum(["on", "off"]).default("on"),
  /** Comma-separated e-mail addresses of admins who may still sign in with a password; each such sign-in is audited and notified. */
  BREAK_GLASS_ADMINS: z.string().default(""),
  /** How far before and after its approved window the deployment gate lets a change deploy. */
  DEPLOYMENT_GATE_GRACE_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  /** How long the gate's allow holds for a rerun of the same pipeline step (never past the window's grace). */
  DEPLOYMENT_GATE_HOLD_SECONDS: z.coerce.number().int().min(0).max(86_400).default(900),
  /** The longest the gate's reads may take before it answers deny. */
  DEPLOYMENT_GATE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** How long a privileged role's grant request waits for a second admin before it lapses. */
  ROLE_GRANT_REQUEST_DAYS: z.coerce.number().int().min(1).max(90).default(7),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  cached ??= schema.parse(process.env);
  return cached;
}

/** The request pool's limits on waiting for the database. */
export function dbTimeouts(e: Env = env()): DbTimeouts {
  return {
    lockTimeoutMs: e.DB_LOCK_TIMEOUT_MS,
    statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    acquireTimeoutMs: e.DB_POOL_ACQUIRE_TIMEOUT_MS,
  };
}
