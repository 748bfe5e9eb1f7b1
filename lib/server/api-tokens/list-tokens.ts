import "server-only";
import type { ApiScope } from "@/lib/domain/api-scopes";
import type { Role } from "@/lib/domain/roles";
import { db } from "../db/db";

const TOKEN_SELECT = {
  id: true,
  name: true,
  publicId: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  lastUsedAddress: true,
  revokedAt: true,
} as const;

/** What the token pages show of a token: never its hash. */
export type TokenRow = {
  id: string;
  name: string;
  publicId: string;
  scopes: ApiScope[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  lastUsedAddress: string | null;
  revokedAt: Date | null;
};

// Tokens are bounded per owner when live (issue-token.ts); revoked and expired ones are listed newest first up to this.
const TOKENS_SHOWN = 100;

export async function listOwnTokens(ownerId: string): Promise<TokenRow[]> {
  const rows = await db().apiToken.findMany({
    where: { ownerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: TOKENS_SHOWN,
    select: TOKEN_SELECT,
  });
  return rows as TokenRow[];
}

export type ServiceAccountRow = { id: string; name: string; email: string; active: boolean; roles: Role[]; tokens: TokenRow[] };

const ACCOUNTS_SHOWN = 100;

/** The service accounts, by name, each with its tokens. */
export async function listServiceAccounts(): Promise<ServiceAccountRow[]> {
  const accounts = await db().user.findMany({
    where: { kind: "service_account" },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: ACCOUNTS_SHOWN,
    select: {
      id: true,
      name: true,
      email: true,
      active: true,
      roles: { select: { role: true }, orderBy: { role: "asc" } },
      apiTokens: { orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: TOKENS_SHOWN, select: TOKEN_SELECT },
    },
  });
  return accounts.map(({ roles, apiTokens, ...a }) => ({ ...a, roles: roles.map((r) => r.role), tokens: apiTokens as TokenRow[] }));
}
