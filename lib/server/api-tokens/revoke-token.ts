import "server-only";
import { can } from "@/lib/domain/capabilities";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { z } from "zod";
import { appendAuditEvent } from "../audit/append-audit-event";
import { recordDenial } from "../audit/record-denial";
import type { Actor } from "../auth/current-actor";
import { inTransaction } from "../db/transaction";

const schema = z.object({ tokenId: z.uuid("Unknown token.") });
const NOT_YOURS = "You can revoke only your own tokens; an admin can revoke any token.";

/** Revokes a token at once: its next request is refused. Its owner may, and an admin may revoke any token. */
export async function revokeToken(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(schema, input);
  if (!parsed.success) return refuse("That request was not understood.");
  const { tokenId } = parsed.data;
  const outcome = await inTransaction(async (tx) => {
    const token = await tx.apiToken.findUnique({
      where: { id: tokenId },
      select: { ownerId: true, publicId: true, name: true, revokedAt: true },
    });
    if (!token) return { result: refuse("That token no longer exists.") };
    if (token.ownerId !== actor.id && !can(actor.roles, "users.manage")) return { denied: true as const };
    if (token.revokedAt) return { result: ok({ message: `“${token.name}” is already revoked.` }) };
    // Compare-and-set: of two revocations at once, one records the event.
    const revoked = await tx.apiToken.updateMany({
      where: { id: tokenId, revokedAt: null },
      data: { revokedAt: new Date(), revokedById: actor.id },
    });
    if (revoked.count === 0) return { result: ok({ message: `“${token.name}” is already revoked.` }) };
    await appendAuditEvent(tx, {
      actor,
      action: "api_token.revoked",
      entityType: "api_token",
      entityId: tokenId,
      before: { revoked: false },
      after: { revoked: true, publicId: token.publicId, ownerId: token.ownerId },
    });
    return { result: ok({ message: `“${token.name}” is revoked; its next request is refused.` }) };
  });
  if ("denied" in outcome) {
    await recordDenial(actor, "api-tokens.revoke", NOT_YOURS);
    return refuse(NOT_YOURS);
  }
  return outcome.result;
}
