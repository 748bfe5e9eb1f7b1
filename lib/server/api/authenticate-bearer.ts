import "server-only";
import { API_SCOPE_LABELS, isApiScope, type ApiScope } from "@/lib/domain/api-scopes";
import { bearerToken, parseToken, tokenMatches } from "@/lib/domain/api-token";
import type { Actor } from "../auth/current-actor";
import { db } from "../db/db";
import { requestMetadataOf } from "../http/request-metadata";
import { rateLimitHeaders, takeRateLimit } from "./rate-limit";
import { recordTokenRefusal } from "./record-token-refusal";

/** The token's owner as the database has them now, with what the token allows. */
export type ApiActor = Actor & { scopes: ApiScope[]; token: { id: string; publicId: string; expiresAt: Date } };

export type BearerRefusal = { status: 401 | 403 | 429; code: string; detail: string; headers: Record<string, string> };

const REALM = 'Bearer realm="change-control"';
const refusal = (status: 401 | 403, code: string, detail: string, error: string): BearerRefusal => ({
  status,
  code,
  detail,
  headers: { "WWW-Authenticate": `${REALM}, error="${error}"` },
});

const MISSING: BearerRefusal = {
  status: 401,
  code: "token_missing",
  detail: "Send an API token in the Authorization header: Authorization: Bearer ccp_…",
  headers: { "WWW-Authenticate": REALM },
};
const MALFORMED = refusal(401, "token_malformed", "The Authorization header does not hold an API token (Bearer ccp_…).", "invalid_token");
// Unknown public id and wrong secret read the same: a caller learns nothing about which tokens exist.
const INVALID = refusal(401, "token_invalid", "The API token is not valid.", "invalid_token");

const rateLimited = (limit: number, retryAfter: number, headers: Record<string, string>): BearerRefusal => ({
  status: 429,
  code: "rate_limited",
  detail: `This token made more than ${limit} requests this minute; try again in ${retryAfter} s.`,
  headers: { ...headers, "Retry-After": String(retryAfter) },
});

// Last-used time and address are written at most once a minute per token and address: a busy pipeline is not a write per call.
const TOUCH_EVERY_SECONDS = 60;

/**
 * The actor behind a request's `Authorization: Bearer` token, or why it is refused. Reads only
 * that header (never the session cookie). The owner's roles and state are read now, so a
 * deactivation or a removed role counts at the next request. A refused use of a real token is
 * audited; a missing, malformed or unknown one is not (no token was used, and an anonymous flood
 * must not queue on the audit log's head lock). A token's requests are counted (rate-limit.ts)
 * once its secret matched, so a flood of refused uses of one token is bounded too; `headers`
 * are the rate limit's, for the answer.
 */
export async function authenticateBearer(
  request: Request,
  options: { scope: ApiScope | null; attempted: string },
): Promise<{ ok: true; actor: ApiActor; headers: Record<string, string> } | { ok: false; refusal: BearerRefusal }> {
  const header = bearerToken(request.headers.get("authorization"));
  if ("refusal" in header) return { ok: false, refusal: header.refusal === "missing" ? MISSING : MALFORMED };
  const parsed = parseToken(header.token);
  if (!parsed) return { ok: false, refusal: MALFORMED };
  const row = await db().apiToken.findUnique({
    where: { publicId: parsed.publicId },
    select: {
      id: true,
      secretHash: true,
      scopes: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      lastUsedAddress: true,
      owner: {
        select: {
          id: true,
          email: true,
          name: true,
          active: true,
          mustChangePassword: true,
          kind: true,
          roles: { select: { role: true } },
        },
      },
    },
  });
  if (!row) return { ok: false, refusal: INVALID };
  const metadata = requestMetadataOf(request.headers);
  const address = metadata.clientAddress;
  const { owner } = row;
  let headers: Record<string, string> = {};
  const refuse = async (actor: { id: string; email: string } | null, r: BearerRefusal) => {
    await recordTokenRefusal({
      actor,
      attempted: options.attempted,
      code: r.code,
      reason: r.detail,
      publicId: parsed.publicId,
      clientAddress: address,
    });
    return { ok: false as const, refusal: { ...r, headers: { ...r.headers, ...headers } } };
  };
  if (!tokenMatches(parsed.token, row.secretHash)) return refuse(null, INVALID);
  const rate = await takeRateLimit(row.id);
  headers = rateLimitHeaders(rate);
  // Not audited: an event per refused request is the flood the limit is there to stop.
  if (!rate.allowed) return { ok: false, refusal: rateLimited(rate.limit, rate.resetSeconds, headers) };
  if (row.revokedAt) return refuse(owner, refusal(401, "token_revoked", "This API token was revoked.", "invalid_token"));
  if (row.expiresAt.getTime() <= Date.now())
    return refuse(owner, refusal(401, "token_expired", "This API token has expired; issue a new one.", "invalid_token"));
  if (!owner.active)
    return refuse(owner, refusal(401, "account_deactivated", "The account this token belongs to is deactivated.", "invalid_token"));
  if (owner.mustChangePassword)
    return refuse(
      owner,
      refusal(403, "password_change_required", "The account has a temporary password: sign in and choose your own first.", "invalid_token"),
    );
  const scopes = row.scopes.filter(isApiScope);
  if (options.scope && !scopes.includes(options.scope)) {
    const r = refusal(
      403,
      "insufficient_scope",
      `This token lacks the ${options.scope} scope (${API_SCOPE_LABELS[options.scope].toLowerCase()}).`,
      "insufficient_scope",
    );
    return refuse(owner, { ...r, headers: { "WWW-Authenticate": `${REALM}, error="insufficient_scope", scope="${options.scope}"` } });
  }
  // Read with the token, so the usual request (a use within the minute, from the same address) makes no round trip for it.
  const touchDue = !row.lastUsedAt || row.lastUsedAt.getTime() < Date.now() - TOUCH_EVERY_SECONDS * 1000 || row.lastUsedAddress !== address;
  if (touchDue)
    await db().$executeRaw`
    UPDATE api_tokens SET last_used_at = now(), last_used_address = ${address}
    WHERE id = ${row.id}::uuid
      AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}) OR last_used_address IS DISTINCT FROM ${address})`;
  return {
    ok: true,
    headers,
    actor: {
      id: owner.id,
      email: owner.email,
      name: owner.name,
      mustChangePassword: owner.mustChangePassword,
      kind: owner.kind,
      roles: owner.roles.map((r) => r.role),
      scopes,
      token: { id: row.id, publicId: parsed.publicId, expiresAt: row.expiresAt },
      request: metadata,
    },
  };
}
