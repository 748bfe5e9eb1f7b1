import { z } from "zod";

/** What a token may be used for; its owner's roles still decide every call. */
export const API_SCOPES = [
  "changes:read",
  "changes:write",
  "cmdb:read",
  "cmdb:write",
  "audit:read",
  "deployments:read",
  "deployments:write",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS = {
  "changes:read": "Read changes",
  "changes:write": "File and act on changes",
  "cmdb:read": "Read configuration items",
  "cmdb:write": "Edit configuration items",
  "audit:read": "Read and export the audit log",
  "deployments:read": "Read reported deployments",
  "deployments:write": "Ask the deployment gate and report deployments",
} as const satisfies Record<ApiScope, string>;

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export function isApiScope(value: string): value is ApiScope {
  return (API_SCOPES as readonly string[]).includes(value);
}

/** What a form or API call asks for when it issues a token. */
export const newTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name the token after what uses it, e.g. “deploy pipeline”.")
    .max(100, "Use at most 100 characters.")
    .regex(/^[^\p{Cc}]*$/u, "Remove the control characters."),
  scopes: z
    .array(z.enum(API_SCOPES, { message: "Choose scopes from the list." }))
    .min(1, "Choose at least one scope.")
    .transform((scopes) => API_SCOPES.filter((s) => scopes.includes(s))),
  expiresInDays: z.coerce
    .number({ message: "Give the number of days." })
    .int("Give a whole number of days.")
    .min(1, "A token lasts at least one day.")
    .max(MAX_TOKEN_DAYS, `A token lasts at most ${MAX_TOKEN_DAYS} days; issue a new one when it ends.`)
    .default(DEFAULT_TOKEN_DAYS),
});
export type NewTokenInput = z.output<typeof newTokenSchema>;

export function tokenExpiry(issuedAt: Date, days: number): Date {
  return new Date(issuedAt.getTime() + days * DAY_MS);
}

export type TokenState = "active" | "expired" | "revoked";

export function tokenState(token: { expiresAt: Date; revokedAt: Date | null }, now: Date): TokenState {
  if (token.revokedAt) return "revoked";
  return token.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}
