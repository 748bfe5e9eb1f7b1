import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NextRequest, NextResponse } from "next/server";
import { authenticate } from "@/lib/server/auth/authenticate";
import { authOptions } from "@/lib/server/auth/auth-options";
import { currentActor } from "@/lib/server/auth/current-actor";
import { renewSession } from "@/lib/server/auth/renew-session";
import { sessionCookie, sessionCookieName } from "@/lib/server/auth/session-cookie";
import { createTestUser } from "../support/fixtures";

// The real next-auth reads a real encrypted cookie here: getServerSession is only called in its
// (req, res, options) form with a cookie jar, as a page's call would read the request's cookies.
// Defaults: 30 idle minutes, 8 hours at most.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next-auth", async (importOriginal) => {
  const real = await importOriginal<typeof import("next-auth")>();
  const res = { getHeader() {}, setCookie() {}, setHeader() {} };
  return {
    ...real,
    getServerSession: (options: never) =>
      (real.getServerSession as (...args: unknown[]) => Promise<unknown>)({ headers: {}, cookies: Object.fromEntries(jar) }, res, options),
  };
});

const MINUTE = 60_000;
const start = new Date("2030-01-07T08:00:00Z").getTime();
const at = (minutes: number) => vi.setSystemTime(start + minutes * MINUTE);

async function signIn() {
  const user = await createTestUser({ roles: ["requester"] });
  const result = await authenticate({ email: user.email, password: "correct horse battery staple" }, "203.0.113.8");
  if (!result.ok) throw new Error(result.message);
  // What next-auth does after authorize(): the jwt callback with the user, then the cookie.
  const token = await authOptions().callbacks!.jwt!({
    token: {},
    user: { id: result.userId, sessionVersion: result.sessionVersion } as never,
    account: null,
  });
  const cookie = await sessionCookie(token as never);
  jar.set(cookie.name, cookie.value);
  return user;
}

/** One request through proxy.ts: it may renew the cookie, which the browser then keeps. */
async function request() {
  const response = NextResponse.next();
  await renewSession(
    new NextRequest("http://localhost:3000/changes", { headers: { cookie: `${sessionCookieName()}=${jar.get(sessionCookieName())}` } }),
    response,
  );
  const renewed = response.cookies.get(sessionCookieName());
  if (renewed) jar.set(renewed.name, renewed.value);
  return currentActor();
}

beforeEach(() => {
  jar.clear();
  vi.useFakeTimers({ toFake: ["Date"] });
  at(0);
});
afterEach(() => vi.useRealTimers());

describe("a session", () => {
  it("ends after 30 minutes without a request", async () => {
    const user = await signIn();
    at(29);
    expect((await currentActor())?.id).toBe(user.id);
    at(31);
    expect(await currentActor()).toBeNull();
    // A request after the end does not revive it.
    expect(await request()).toBeNull();
  });

  it("lives while requests keep coming, and no longer than 8 hours", async () => {
    const user = await signIn();
    for (let minute = 20; minute < 8 * 60; minute += 20) {
      at(minute);
      expect((await request())?.id, `minute ${minute}`).toBe(user.id);
    }
    at(8 * 60 + 1);
    expect(await request()).toBeNull();
  });
});
