import "server-only";
import { newTokenSchema, tokenExpiry } from "@/lib/domain/api-scopes";
import { newToken } from "@/lib/domain/api-token";
import { safeParseInput } from "@/lib/domain/parse-input";
import { fieldErrorsOf, ok, refuse, type Result } from "@/lib/domain/result";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { inTransaction, type Tx } from "../db/transaction";
import { refuseUnlessAdmin } from "../users/admin-guard";

/** Enough for every pipeline a person runs; a bound, so one account cannot fill the table. */
export const MAX_LIVE_TOKENS = 50;

/** The token itself is in this value only: shown once, never stored, never logged. */
export type IssuedToken = { id: string; token: string; publicId: string; expiresAt: Date; message: string };

const serviceAccountTokenSchema = newTokenSchema.extend({ serviceAccountId: z.uuid("Unknown service account.") });

/** A personal access token: acts as the signed-in person, with their roles at each request. */
export async function issueOwnToken(actor: Actor | null, input: unknown): Promise<Result<IssuedToken>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(newTokenSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  return inTransaction((tx) => issue(tx, actor, { id: actor.id, email: actor.email, kind: actor.kind }, parsed.data));
}

/** A service account's token, issued by an admin (the account has no one to sign in as). */
export async function issueServiceAccountToken(actor: Actor | null, input: unknown): Promise<Result<IssuedToken>> {
  const refused = await refuseUnlessAdmin(actor, "service-accounts.tokens");
  if (refused) return refused;
  const parsed = safeParseInput(serviceAccountTokenSchema, input);
  if (!parsed.success) return refuse("Check the highlighted fields.", fieldErrorsOf(parsed.error.issues));
  return inTransaction(async (tx) => {
    const owner = await tx.user.findFirst({
      where: { id: parsed.data.serviceAccountId, kind: "service_account" },
      select: { id: true, email: true, kind: true, active: true },
    });
    if (!owner) return refuse("That service account no longer exists.");
    if (!owner.active) return refuse("That service account is deactivated; reactivate it before issuing a token.");
    return issue(tx, actor!, owner, parsed.data);
  });
}

async function issue(
  tx: Tx,
  actor: Actor,
  owner: { id: string; email: string; kind: string },
  input: z.output<typeof newTokenSchema>,
): Promise<Result<IssuedToken>> {
  // Locking the owner's row makes two issues at once count each other against the bound.
  await tx.$queryRaw`SELECT id FROM users WHERE id = ${owner.id}::uuid FOR UPDATE`;
  const now = new Date();
  const live = await tx.apiToken.count({ where: { ownerId: owner.id, revokedAt: null, expiresAt: { gt: now } } });
  if (live >= MAX_LIVE_TOKENS) return refuse(`At most ${MAX_LIVE_TOKENS} tokens may be live at once; revoke one you no longer use.`);
  const { token, publicId, secretHash } = newToken();
  const expiresAt = tokenExpiry(now, input.expiresInDays);
  const row = await tx.apiToken.create({
    data: {
      publicId,
      secretHash,
      ownerId: owner.id,
      name: input.name,
      scopes: input.scopes,
      createdById: actor.id,
      createdAt: now,
      expiresAt,
    },
    select: { id: true },
  });
  await appendAuditEvent(tx, {
    actor,
    action: "api_token.issued",
    entityType: "api_token",
    entityId: row.id,
    after: {
      publicId,
      name: input.name,
      ownerId: owner.id,
      ownerEmail: owner.email,
      ownerKind: owner.kind,
      scopes: input.scopes,
      expiresAt,
    },
  });
  return ok({
    id: row.id,
    token,
    publicId,
    expiresAt,
    message: "Token created. Copy it now: it is shown this once and cannot be shown again.",
  });
}
