import "server-only";
import { randomUUID } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { sameOriginPath } from "@/lib/domain/same-origin-path";
import { sessionIsLive, sessionTimesOf, signedInClaims } from "@/lib/domain/session-lifetime";
import { appendAuditEvent } from "../audit/append-audit-event";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { env } from "../env";
import { authenticate } from "./authenticate";
import { clientAddress } from "../http/request-address";
import { sessionLimits } from "./session-limits";

// Built on first use, not at import: `next build` imports route modules without a configured environment.
let options: NextAuthOptions | undefined;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The error text an anonymous visitor sees for a failure we did not foresee: a reference, never the exception. */
export function unexpectedSignInError(error: unknown): Error {
  const ref = randomUUID().slice(0, 8);
  console.error(`[sign-in ${ref}]`, error);
  return new Error(`Sign-in is not possible right now (ref ${ref}). Try again; if it keeps happening, give the reference to an admin.`);
}

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: env().AUTH_SECRET,
    // The Credentials provider needs JWT sessions; the user is still re-read on every request (current-actor.ts).
    // The cookie's own lifetime is the absolute one; the idle timeout is in the token (session-lifetime.ts).
    session: { strategy: "jwt", maxAge: env().SESSION_MAX_HOURS * 60 * 60 },
    // __Secure- cookies with the Secure flag whenever the public URL is https.
    useSecureCookies: env().NEXTAUTH_URL.startsWith("https://"),
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          let result;
          try {
            result = await authenticate(credentials, clientAddress(req.headers ?? {}));
          } catch (error) {
            throw unexpectedSignInError(error);
          }
          // A thrown message reaches the sign-in form as `error`; returning null would hide it.
          if (!result.ok) throw new Error(result.message);
          return { id: result.userId, sessionVersion: result.sessionVersion };
        },
      }),
    ],
    events: {
      async signOut({ token }) {
        const user = token?.sub ? await db().user.findUnique({ where: { id: token.sub }, select: { id: true, email: true } }) : null;
        if (user) await inTransaction((tx) => appendAuditEvent(tx, { actor: user, action: "auth.signed_out", entityType: "session" }));
      },
    },
    callbacks: {
      jwt: ({ token, user }) => {
        const now = nowSeconds();
        if (user) return signedInClaims(user.id, (user as { sessionVersion?: number }).sessionVersion ?? 0, now);
        // An ended session becomes an empty token: no user, and the session endpoint cannot revive it.
        const times = sessionTimesOf(token);
        if (!sessionIsLive(times, sessionLimits(), now)) return {};
        return { ...token, lastSeenAt: now };
      },
      session: ({ session, token }) => ({
        expires: session.expires,
        user: { id: token.sub, sessionVersion: typeof token.sv === "number" ? token.sv : undefined },
      }),
      // After sign-in and sign-out: only a path on the portal itself, never another host.
      redirect: ({ url, baseUrl }) => new URL(sameOriginPath(url, baseUrl), baseUrl).href,
    },
  };
  return options;
}
