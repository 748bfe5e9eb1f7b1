import "server-only";
import { API_SCOPE_LABELS, isApiScope, type ApiScope } from "@/lib/domain/api-scopes";
import { bearerToken, hashToken, parseToken, tokenMatches } from "@/lib/domain/api-token";
import type { Role } from "@/lib/domain/roles";
import type { AccountKind } from "@/lib/domain/segregation-of-duties";
import type { Actor } from "../auth/current-actor";
import { requestPool } from "../db/db";
import { env } from "../env";
import { requestMetadataOf } from "../http/request-metadata";
import { RATE_WINDOW_SECONDS, rateLimitCountSql, rateLimitHeaders, rateLimitState } from "./rate-limit";
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

type TokenRow = {
  id: string;
  secret_hash: string;
  scopes: string[];
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
  last_used_address: string | null;
  owner_id: string;
  email: string;
  name: string;
  active: boolean;
  must_change_password: boolean;
  kind: AccountKind;
  roles: Role[];
  /** The rate limit's count: null when the secret did not match (nothing was counted). */
  requests: number | null;
  reset_seconds: number | null;
};

// node-postgres, not Prisma: every API request runs it, and Prisma's layer cost more than the
// statement (docs/performance.md). One round trip finds the token by its public id with its
// owner and roles, and counts the request once the secret's hash matches.
const AUTHENTICATE_SQL = `
  WITH token AS (
    SELECT t.id, t.secret_hash, t.scopes, t.expires_at, t.revoked_at, t.last_used_at, t.last_used_address,
      u.id AS owner_id, u.email, u.name, u.active, u.must_change_password, u.kind::text AS kind,
      array(SELECT ur.role::text FROM user_roles ur WHERE ur.user_id = u.id) AS roles
    FROM api_tokens t JOIN users u ON u.id = t.owner_id
    WHERE t.public_id = $1
  ), counted AS (${rateLimitCountSql({
    tokenId: "id",
    from: "token WHERE secret_hash = $2",
    limit: "$3::int",
    windowSeconds: "$4::int",
    at: "now()",
  })}
  )
  SELECT token.*, counted.requests, counted.reset_seconds FROM token LEFT JOIN counted ON true`;

const TOUCH_SQL = `
  UPDATE api_tokens SET last_used_at = now(), last_used_address = $2
  WHERE id = $1::uuid AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $3::int) OR last_used_address IS DISTINCT FROM $2)`;

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
  const limit = env().API_RATE_LIMIT_PER_MINUTE;
  const {
    rows: [row],
  } = await requestPool().query<TokenRow>({
    name: "api_authenticate_bearer",
    text: AUTHENTICATE_SQL,
    values: [parsed.publicId, hashToken(parsed.token), limit, RATE_WINDOW_SECONDS],
  });
  if (!row) return { ok: false, refusal: INVALID };
  const metadata = requestMetadataOf(request.headers);
  const address = metadata.clientAddress;
  const owner = {
    id: row.owner_id,
    email: row.email,
    name: row.name,
    active: row.active,
    mustChangePassword: row.must_change_password,
    kind: row.kind,
    roles: row.roles,
  };
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
  if (!tokenMatches(parsed.token, row.secret_hash) || row.requests === null) return refuse(null, INVALID);
  const rate = rateLimitState({ requests: row.requests, reset_seconds: row.reset_seconds! }, limit, RATE_WINDOW_SECONDS);
  headers = rateLimitHeaders(rate);
  // Not audited: an event per refused request is the flood the limit is there to stop.
  if (!rate.allowed) return { ok: false, refusal: rateLimited(rate.limit, rate.resetSeconds, headers) };
  if (row.revoked_at) return refuse(owner, refusal(401, "token_revoked", "This API token was revoked.", "invalid_token"));
  if (row.expires_at.getTime() <= Date.now())
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
  const touchDue =
    !row.last_used_at || row.last_used_at.getTime() < Date.now() - TOUCH_EVERY_SECONDS * 1000 || row.last_used_address !== address;
  if (touchDue) await requestPool().query({ name: "api_touch_token", text: TOUCH_SQL, values: [row.id, address, TOUCH_EVERY_SECONDS] });
  return {
    ok: true,
    headers,
    actor: {
      id: owner.id,
      email: owner.email,
      name: owner.name,
      mustChangePassword: owner.mustChangePassword,
      kind: owner.kind,
      roles: owner.roles,
      scopes,
      token: { id: row.id, publicId: parsed.publicId, expiresAt: row.expires_at },
      request: metadata,
    },
  };
}
