import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { canonicalJson } from "@/lib/domain/canonical-json";
import { db } from "../db/db";
import { problemResponse } from "./problem";

// Idempotency-Key on POST /api/v1, kept in PostgreSQL so a retry that reaches another instance
// finds it. The key is claimed (one INSERT ... ON CONFLICT) before the use case runs; a 2xx
// answer is then stored on the claim and replayed to every retry with the same key and request
// for 24 hours. A 4xx or 5xx answer releases the key: the use case changed nothing, so a retry
// runs again (after fixing what a 4xx said, or once a busy database has room).

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
/** What a client may send: 1 to 255 printable ASCII characters (a UUID is typical). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
export const KEEP_HOURS = 24;
/** A claim still in progress after this long is taken to be abandoned (its process died) and may be claimed again. */
export const ABANDONED_AFTER_SECONDS = 120;
/** Expired keys deleted by each claim: a bounded cost per POST, enough to keep up with the POSTs themselves. */
const PRUNE_PER_CLAIM = 10;
/** The answer's headers a replay repeats; the rate limit's are the retry's own. */
const KEPT_HEADERS = ["content-type", "location", "etag", "link", "last-modified", "cache-control", "preference-applied"];
/** Statuses whose answer has no body (a Response refuses one, even empty). */
const NO_BODY = new Set([204, 205, 304]);

type Stored = {
  fingerprint: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: Uint8Array | null;
};

/** What identifies the request under a key: method, path with query, and the body as canonical JSON. */
export function requestFingerprint(method: string, url: URL, body: unknown): string {
  let text: string;
  try {
    text = canonicalJson(body);
  } catch {
    // Deeper than canonical JSON walks: the text as parsed is still the same for the same body.
    text = JSON.stringify(body);
  }
  return createHash("sha256").update(`${method}\n${url.pathname}${url.search}\n${text}`, "utf8").digest("hex");
}

/**
 * Runs `answer` at most once per owner and Idempotency-Key (none sent: just runs it). The owner,
 * not the token, holds the keys: a client that rotates its token keeps its retries.
 */
export async function idempotent(request: Request, ownerId: string, body: unknown, answer: () => Promise<Response>): Promise<Response> {
  const key = request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return answer();
  if (!IDEMPOTENCY_KEY_PATTERN.test(key))
    return problemResponse({
      status: 400,
      code: "idempotency_key_invalid",
      detail: `${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters (a UUID, say).`,
    });
  const fingerprint = requestFingerprint(request.method, new URL(request.url), body);
  // Twice at most: a key released between our claim and our read is claimed on the second pass.
  for (let attempt = 0; attempt < 2; attempt++) {
    const claimId = randomUUID();
    if (await claim(ownerId, key, fingerprint, claimId)) return runClaimed(ownerId, key, claimId, answer);
    const [stored] = await db().$queryRaw<Stored[]>`
      SELECT fingerprint, response_status, response_headers, response_body FROM api_idempotency_keys
      WHERE owner_id = ${ownerId}::uuid AND key = ${key}`;
    if (!stored) continue;
    if (stored.fingerprint !== fingerprint)
      return problemResponse({
        status: 409,
        code: "idempotency_key_reused",
        detail: `This ${IDEMPOTENCY_HEADER} was used for another request (method, path or body) in the last ${KEEP_HOURS} hours; send a new key.`,
      });
    if (stored.response_status === null) return inUse();
    return new Response(NO_BODY.has(stored.response_status) ? null : (stored.response_body as BodyInit), {
      status: stored.response_status,
      headers: { ...stored.response_headers, "Idempotent-Replayed": "true" },
    });
  }
  return inUse();
}

const inUse = () =>
  problemResponse({
    status: 409,
    code: "idempotency_key_in_use",
    detail: `A request with this ${IDEMPOTENCY_HEADER} is still running; retry shortly to get its answer.`,
    headers: { "Retry-After": "1" },
  });

/** Claims the key unless it is held: a row past 24 hours, or an abandoned claim of the same request, is taken over. */
async function claim(ownerId: string, key: string, fingerprint: string, claimId: string): Promise<boolean> {
  // The prune skips this very key (one statement cannot both delete and upsert a row) and rows
  // another claim is pruning (SKIP LOCKED), so claims never wait on each other's pruning.
  const rows = await db().$queryRaw<{ claim_id: string }[]>`
    WITH pruned AS (
      DELETE FROM api_idempotency_keys WHERE (owner_id, key) IN (
        SELECT owner_id, key FROM api_idempotency_keys
        WHERE created_at < now() - make_interval(hours => ${KEEP_HOURS}) AND NOT (owner_id = ${ownerId}::uuid AND key = ${key})
        ORDER BY created_at LIMIT ${PRUNE_PER_CLAIM} FOR UPDATE SKIP LOCKED))
    INSERT INTO api_idempotency_keys AS k (owner_id, key, fingerprint, claim_id, created_at)
    VALUES (${ownerId}::uuid, ${key}, ${fingerprint}, ${claimId}::uuid, now())
    ON CONFLICT (owner_id, key) DO UPDATE SET
      fingerprint = EXCLUDED.fingerprint, claim_id = EXCLUDED.claim_id, created_at = EXCLUDED.created_at,
      response_status = NULL, response_headers = NULL, response_body = NULL
    WHERE k.created_at < now() - make_interval(hours => ${KEEP_HOURS})
       OR (k.response_status IS NULL AND k.fingerprint = EXCLUDED.fingerprint
           AND k.created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS}))
    RETURNING claim_id::text`;
  return rows[0]?.claim_id === claimId;
}

async function runClaimed(ownerId: string, key: string, claimId: string, answer: () => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await answer();
  } catch (error) {
    await release(ownerId, key, claimId).catch(() => undefined);
    throw error;
  }
  if (response.status < 200 || response.status >= 300) {
    await release(ownerId, key, claimId);
    return response;
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  // A crash between the use case's commit and this UPDATE leaves the claim in progress: retries
  // get 409 idempotency_key_in_use, then after ABANDONED_AFTER_SECONDS run again (README, REST API).
  await db().$executeRaw`
      UPDATE api_idempotency_keys SET response_status = ${response.status}, response_headers = ${JSON.stringify(headers)}::jsonb, response_body = ${Buffer.from(body)}
      WHERE owner_id = ${ownerId}::uuid AND key = ${key} AND claim_id = ${claimId}::uuid`.catch((error: unknown) =>
    console.error("[api] Could not store an idempotent answer; the key stays claimed.", error),
  );
  return new Response(NO_BODY.has(response.status) ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function release(ownerId: string, key: string, claimId: string): Promise<void> {
  await db()
    .$executeRaw`DELETE FROM api_idempotency_keys WHERE owner_id = ${ownerId}::uuid AND key = ${key} AND claim_id = ${claimId}::uuid`;
}
