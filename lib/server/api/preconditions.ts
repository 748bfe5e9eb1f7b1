import "server-only";
import type { Actor } from "../auth/current-actor";
import { changeETag } from "./change-schemas";
import type { Problem } from "./problem";
import { getChangeForApi } from "./read-changes";

// Optimistic concurrency for writes to a change: If-Match names the ETag a client read
// (W/"v<version>-e<seq>"); only the version counts, since a comment moves the timeline without a
// write. The version goes into the use case, which compares it under the change's row lock
// (runChangeStep), so of two writes sent with the same tag one is accepted and one is a 412.

/** What the request's If-Match asks of the write: the version the client read, or nothing; and whether it prefers return=minimal (prefer.ts). */
export type Preconditions = { version?: number; minimal?: boolean };

const ONE_TAG = /^(?:W\/)?"v([1-9]\d{0,8})(?:-e\d{1,18})?"$/;

/** If-Match read: absent or `*` asks nothing; one of this API's ETags names its version; anything else is a 400. */
export function readIfMatch(request: Request): { conditions: Preconditions } | { problem: Problem } {
  const header = request.headers.get("if-match");
  if (header === null || header.trim() === "*") return { conditions: {} };
  const match = ONE_TAG.exec(header.trim());
  if (!match)
    return {
      problem: {
        status: 400,
        code: "invalid_if_match",
        detail: 'If-Match must be one ETag this API gave out, e.g. W/"v3-e120" (from GET /api/v1/changes/{id}), or be left out.',
      },
    };
  return { conditions: { version: Number(match[1]) } };
}

/** The 412 for a write whose If-Match is stale, with the change's current ETag to read it again by. */
export async function preconditionFailed(actor: Actor, changeId: string): Promise<Problem> {
  const current = await getChangeForApi(actor, { id: changeId });
  return {
    status: 412,
    code: "precondition_failed",
    detail: "The change was updated since you read it: GET it again, check what changed, and retry with its new ETag in If-Match.",
    headers: current.ok ? { ETag: changeETag(current.value) } : {},
  };
}
