import { beforeAll, describe, expect, it } from "vitest";
import { GET as listChanges } from "@/app/api/v1/changes/route";
import { GET as me } from "@/app/api/v1/me/route";
import { takeRateLimit, withRateLimitHeaders } from "@/lib/server/api/rate-limit";
import { issueOwnToken } from "@/lib/server/api-tokens/issue-token";
import { callApi } from "../support/api-client";
import { createTestUser, testDb } from "../support/fixtures";

// Rate limits per token, counted in PostgreSQL: 429 rate_limited with Retry-After past the limit,
// RateLimit-* headers on every answer, each token counted apart, the window starting again, and
// concurrent requests never counted past the limit.

// Read by env() on its first use, after this line.
process.env.API_RATE_LIMIT_PER_MINUTE = "5";
const LIMIT = 5;

type User = Awaited<ReturnType<typeof createTestUser>>;
let owner: User;

async function issue(scopes = ["changes:read"]) {
  const issued = await issueOwnToken(owner.actor, { name: `rate ${Math.random()}`, scopes });
  if (!issued.ok) throw new Error(issued.message);
  return issued.value;
}

const call = (token: string) => callApi(me, { path: "/me", token });

beforeAll(async () => {
  owner = await createTestUser({ roles: ["requester"] });
});

describe("the rate limit per token", () => {
  it("answers 429 rate_limited with Retry-After past the limit, and RateLimit headers on every answer", async () => {
    const { token } = await issue();
    for (let i = 1; i <= LIMIT; i++) {
      const answer = await call(token);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("ratelimit-limit")).toBe(String(LIMIT));
      expect(answer.headers.get("ratelimit-remaining")).toBe(String(LIMIT - i));
      expect(Number(answer.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    }
    const refused = await call(token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({ status: 429, title: "Too Many Requests", code: "rate_limited" });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit-reset")).toBe(String(retryAfter));
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    // Another token of the same owner is counted apart.
    expect((await call((await issue()).token)).status).toBe(200);
  });

  it("counts refused uses of a real token too, and records none past the limit", async () => {
    const { token, publicId } = await issue(["cmdb:read"]);
    const denials = () =>
      testDb().auditEvent.count({ where: { action: "authorization.denied", after: { path: ["token"], equals: publicId } } });
    for (let i = 0; i < LIMIT; i++) {
      const answer = await callApi(listChanges, { path: "/changes", token });
      expect(answer.status).toBe(403);
      expect(answer.headers.get("ratelimit-remaining")).toBe(String(LIMIT - 1 - i));
    }
    expect(await denials()).toBe(LIMIT);
    for (let i = 0; i < 3; i++) expect((await callApi(listChanges, { path: "/changes", token })).status).toBe(429);
    expect(await denials()).toBe(LIMIT);
  });

  it("never lets concurrent requests past the limit", async () => {
    const { token } = await issue();
    const statuses = (await Promise.all(Array.from({ length: 3 * LIMIT }, () => call(token)))).map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * LIMIT);
  });

  it("counts exactly under contention, at the counter itself", async () => {
    const { id } = await issue();
    const states = await Promise.all(Array.from({ length: 40 }, () => takeRateLimit(id, { limit: 12 })));
    expect(states.filter((s) => s.allowed)).toHaveLength(12);
    expect(
      states
        .map((s) => s.remaining)
        .sort((a, b) => b - a)
        .slice(0, 12),
    ).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it("writes the token's last use at most once a minute per address, beside the count", async () => {
    const { token, id } = await issue();
    const lastUse = async () => (await testDb().apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt!.getTime();
    const setLastUse = (secondsAgo: number, address: string | null) =>
      testDb()
        .$executeRaw`UPDATE api_tokens SET last_used_at = now() - make_interval(secs => ${secondsAgo}), last_used_address = ${address} WHERE id = ${id}::uuid`;
    expect((await call(token)).status).toBe(200);
    const address = (await testDb().apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAddress;
    await setLastUse(30, address);
    const recent = await lastUse();
    expect((await call(token)).status).toBe(200);
    expect(await lastUse()).toBe(recent);
    await setLastUse(61, address);
    expect((await call(token)).status).toBe(200);
    expect(await lastUse()).toBeGreaterThan(recent);
    await setLastUse(30, "203.0.113.9");
    const elsewhere = await lastUse();
    expect((await call(token)).status).toBe(200);
    expect(await lastUse()).toBeGreaterThan(elsewhere);
  });

  it("adds its headers to a response whose headers are immutable", () => {
    const answer = withRateLimitHeaders(Response.redirect("http://portal.test/api/v1/me", 303), { "RateLimit-Limit": "5" });
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe("http://portal.test/api/v1/me");
    expect(answer.headers.get("ratelimit-limit")).toBe("5");
  });

  it("starts the window again once it has passed, on the database's clock", async () => {
    const { id } = await issue();
    const t0 = new Date("2026-12-07T10:00:00.000Z");
    const at = (seconds: number) => takeRateLimit(id, { limit: 3, at: new Date(t0.getTime() + seconds * 1000) });
    expect(await at(0)).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 60 });
    expect(await at(10)).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 50 });
    expect(await at(19.5)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 41 });
    expect(await at(20)).toEqual({ allowed: false, limit: 3, remaining: 0, resetSeconds: 40 });
    expect(await at(59)).toMatchObject({ allowed: false, resetSeconds: 1 });
    // A new window from the first request after the old one ended.
    expect(await at(60)).toEqual({ allowed: true, limit: 3, remaining: 2, resetSeconds: 60 });
    expect(await at(61)).toMatchObject({ allowed: true, remaining: 1, resetSeconds: 59 });
  });
});
