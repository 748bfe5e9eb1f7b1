import "server-only";
import { z } from "zod";

// The one reader of process.env for the app; scripts/ read theirs and pass values down.
const schema = z.object({
  DATABASE_URL: z.string().url("DATABASE_URL must be a postgresql:// connection string"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(50),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().positive().default(15),
  /** Ed25519 private key(s) (PKCS#8 PEM, several one after the other around a key rotation, or that text in base64) that sign audit checkpoints. Checked where it is used, so pages that never sign do not need it. */
  AUDIT_SIGNING_KEY: z.string().trim().min(1).optional(),
  /** A signed checkpoint every N audit events. */
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().positive().default(1000),
  /** How long audit events are kept; shown to auditors. The application never deletes them. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(2555),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  cached ??= schema.parse(process.env);
  return cached;
}
