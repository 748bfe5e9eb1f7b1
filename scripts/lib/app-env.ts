// The environment handed to the Next.js server: the application's database role, the auth
// secret and the audit signing key (generated and kept in .data/ when none is configured) and the public URL.
import { loadLocalSecrets } from "./local-secrets";

export function appEnv(appUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: appUrl,
    AUTH_SECRET: process.env.AUTH_SECRET || loadLocalSecrets().authSecret,
    AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY || loadLocalSecrets().auditSigningKey,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${port}`,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
  };
}
