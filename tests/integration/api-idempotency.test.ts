import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ok, refuse } from "@/lib/domain/result";
import { apiRoute } from "@/lib/server/api/api-route";
import { ABANDONED_AFTER_SECONDS } from "@/lib/server/api/idempotency";
import { issueOwnToken } from "@/lib/server/api-tokens/issue-token";
import { addComment } from "@/lib/server/changes/add-comment";
import { callApi } from "../support/api-client";
import { createTestUser, testDb } from "../support/fixtures";

// Idempotency-Key on POST /api/v1, through apiRoute with a route declared here (a comment through
// the real use case, so a second run would leave a second comment): replay, reuse with another
// request, a retry while the first runs, malformed keys, what is not kept, expiry and pruning.

type User = Awaited<ReturnType<typeof createTestUser>>;
let requester: User, other: User;
let token: string, secondToken: string, otherToken: string;
let changeId: string;

/** How the test route behaves on its next runs; reset before each test. */
let mode: "comment" | "refuse" | "throw" = "comment";
let gate: Promise<void> = Promise.resolve();
let runs = 0;

const commentRoute = apiRoute({
  scope: "changes:write",
  input: z.object({ id: z.uuid(), body: z.string() }).strict(),
  run: async (actor, input) => {
    runs += 1;
    await gate;
    if (mode === "throw") throw new Error("the use case failed");
    if (mode === "refuse") return refuse("Not now.");
    const added = await addComment(actor, { changeId: input.id, body: input.body });
    if (!added.ok) return added;
    return ok({ comments: await comments(), nonce: randomUUID() });
  },
  respond: (value, request) =>
    Response.json(value, {
      status: 201,
      headers: {
        Location: `${new URL(request.url).pathname}/${value.comments}`,
        ETag: `"c${value.comments}"`,
        "Cache-Control": "no-store",
      },
    }),
});

const comments = () => testDb().comment.count({ where: { changeId } });

function post(key: string | null, body: unknown, options: { as?: string; path?: string } = {}) {
  return callApi(commentRoute, {
    method: "POST",
    path: options.path ?? `/changes/${changeId}/comments`,
    token: options.as ?? token,
    body,
    headers: key === null ? {} : { "Idempotency-Key": key },
    params: { id: changeId },
  });
}

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(await response.json()).toMatchObject({ status, code, detail: expect.any(String) });
}

async function issue(user: User) {
  const issued = await issueOwnToken(user.actor, { name: "idempotency", scopes: ["changes:read", "changes:write"] });
  if (!issued.ok) throw new Error(issued.message);
  return issued.value.token;
}

/** Moves a key's row back in time, as the owner of the test database could not: the app's role may update rows. */
const age = (key: string, seconds: number) =>
  testDb().$executeRaw`UPDATE api_idempotency_keys SET created_at = created_at - make_interval(secs => ${seconds}) WHERE key = ${key}`;

beforeAll(async () => {
  requester = await createTestUser({ roles: ["requester"] });
  other = await createTestUser({ roles: ["requester", "change_manager"] });
  [token, secondToken, otherToken] = [await issue(requester), await issue(requester), await issue(other)];
  const change = await testDb().changeRequest.create({
    data: { type: "normal", state: "draft", title: "Idempotency", requesterId: requester.id },
    select: { id: true },
  });
  changeId = change.id;
});

beforeEach(() => {
  mode = "comment";
  gate = Promise.resolve();
  runs = 0;
});

describe("Idempotency-Key on POST", () => {
  it("runs a POST without a key every time", async () => {
    const before = await comments();
    expect((await post(null, { body: "no key 1" })).status).toBe(201);
    expect((await post(null, { body: "no key 1" })).status).toBe(201);
    expect(await comments()).toBe(before + 2);
  });

  it("answers a retry with the first answer, marked as replayed, and runs the use case once", async () => {
    const key = randomUUID();
    const before = await comments();
    const first = await post(key, { body: "once" });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const firstBody = await first.json();
    // The same body written with other spacing and key order is the same request.
    for (const body of [{ body: "once" }, '{ "body" : "once" }']) {
      const again = await post(key, body);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.headers.get("location")).toBe(first.headers.get("location"));
      expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
      expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
      expect(again.headers.get("ratelimit-limit")).toBe(first.headers.get("ratelimit-limit"));
      expect(await again.json()).toEqual(firstBody);
    }
    // Keys are the owner's: another of their tokens gets the replay too.
    expect((await post(key, { body: "once" }, { as: secondToken })).headers.get("idempotent-replayed")).toBe("true");
    expect(runs).toBe(1);
    expect(await comments()).toBe(before + 1);
  });

  it("refuses the same key with another body or path (409 idempotency_key_reused), and keeps keys apart per owner", async () => {
    const key = randomUUID();
    expect((await post(key, { body: "first" })).status).toBe(201);
    const before = await comments();
    await expectProblem(await post(key, { body: "second" }), 409, "idempotency_key_reused");
    await expectProblem(await post(key, { body: "first" }, { path: `/changes/${changeId}/other` }), 409, "idempotency_key_reused");
    expect(await comments()).toBe(before);
    // Another owner's same key is theirs.
    const theirs = await post(key, { body: "second" }, { as: otherToken });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(await comments()).toBe(before + 1);
  });

  it("answers a retry while the first still runs with 409 idempotency_key_in_use and Retry-After", async () => {
    const key = randomUUID();
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const first = post(key, { body: "slow" });
    await expect.poll(() => runs).toBe(1);
    const during = await post(key, { body: "slow" });
    expect(during.headers.get("retry-after")).toBe("1");
    await expectProblem(during, 409, "idempotency_key_in_use");
    open();
    expect((await first).status).toBe(201);
    expect((await post(key, { body: "slow" })).headers.get("idempotent-replayed")).toBe("true");
    expect(runs).toBe(1);
  });

  it("runs the use case once for many identical requests at the same moment", async () => {
    const key = randomUUID();
    const before = await comments();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(key, { body: "at once" })));
    expect(await comments()).toBe(before + 1);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(answers.filter((a) => a.status === 201 && a.headers.get("idempotent-replayed") === null)).toHaveLength(1);
  });

  it("refuses a malformed key with 400 before running anything", async () => {
    const before = await comments();
    for (const key of ["", "x".repeat(256), "clé", "tab\there"]) {
      await expectProblem(await post(key, { body: "bad key" }), 400, "idempotency_key_invalid");
    }
    expect((await post("x".repeat(255), { body: "longest key" })).status).toBe(201);
    expect(await comments()).toBe(before + 1);
  });

  it("keeps no 4xx or 5xx answer: a retry with the same key runs again", async () => {
    const key = randomUUID();
    mode = "refuse";
    await expectProblem(await post(key, { body: "later" }), 403, "refused");
    mode = "throw";
    await expectProblem(await post(key, { body: "later" }), 500, "internal_error");
    // Bad input is a 4xx too; the fixed body may then use the same key.
    mode = "comment";
    await expectProblem(await post(key, { body: 42 }), 422, "invalid_input");
    const done = await post(key, { body: "later" });
    expect(done.status).toBe(201);
    expect(done.headers.get("idempotent-replayed")).toBeNull();
    expect(runs).toBe(3);
    expect((await post(key, { body: "later" })).headers.get("idempotent-replayed")).toBe("true");
  });

  it("ignores the key on GET", async () => {
    const get = apiRoute({ scope: null, input: z.object({}).strict(), run: async () => ok({ n: ++runs }) });
    const key = randomUUID();
    const answers = [await callApi(get, { path: "/me", token, headers: { "Idempotency-Key": key } })];
    answers.push(await callApi(get, { path: "/me", token, headers: { "Idempotency-Key": key } }));
    expect(await Promise.all(answers.map((a) => a.json()))).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe("keys over time", () => {
  it("runs again once the key is older than 24 hours", async () => {
    const key = randomUUID();
    expect((await post(key, { body: "yesterday" })).status).toBe(201);
    await age(key, 24 * 3600 - 60);
    expect((await post(key, { body: "yesterday" })).headers.get("idempotent-replayed")).toBe("true");
    await age(key, 61);
    // Even another body: an expired key is as good as new.
    const again = await post(key, { body: "today" });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBeNull();
    expect(runs).toBe(2);
  });

  it("takes over a claim abandoned by a process that died, for the same request only", async () => {
    const key = randomUUID();
    await testDb().$executeRaw`
      INSERT INTO api_idempotency_keys (owner_id, key, fingerprint, claim_id) VALUES (${requester.id}::uuid, ${key}, ${"0".repeat(64)}, gen_random_uuid())`;
    await expectProblem(await post(key, { body: "after a crash" }), 409, "idempotency_key_reused");
    const first = await post(key + "-same", { body: "after a crash" });
    expect(first.status).toBe(201);
    // The same request's claim, left in progress as a crash before the answer was stored would leave it.
    await testDb().$executeRaw`
      UPDATE api_idempotency_keys SET response_status = NULL, response_headers = NULL, response_body = NULL WHERE key = ${key + "-same"}`;
    await expectProblem(await post(key + "-same", { body: "after a crash" }), 409, "idempotency_key_in_use");
    await age(key + "-same", ABANDONED_AFTER_SECONDS + 1);
    const retried = await post(key + "-same", { body: "after a crash" });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
  });

  it("prunes a bounded number of expired keys on each claim", async () => {
    await testDb().$executeRaw`
      INSERT INTO api_idempotency_keys (owner_id, key, fingerprint, claim_id, created_at, response_status, response_headers, response_body)
      SELECT ${other.id}::uuid, 'old-' || n, ${"0".repeat(64)}, gen_random_uuid(), now() - interval '25 hours', 201, '{}'::jsonb, ''::bytea
      FROM generate_series(1, 15) AS n`;
    const old = () => testDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM api_idempotency_keys WHERE created_at < now() - interval '24 hours'`;
    expect((await old())[0]!.n).toBe(15);
    await post(randomUUID(), { body: "prune" });
    expect((await old())[0]!.n).toBe(5);
    await post(randomUUID(), { body: "prune" });
    expect((await old())[0]!.n).toBe(0);
  });
});
