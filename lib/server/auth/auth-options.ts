import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { appendAuditEvent } from "../audit/append-audit-event";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { env } from "../env";
import { authenticate, clientAddress } from "./authenticate";

const EIGHT_HOURS = 8 * 60 * 60;

// Built on first use, not at import: `next build` imports route modules without a configured environment.
let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: env().AUTH_SECRET,
    // The Credentials provider needs JWT sessions; the user is still re-read on every request (current-actor.ts).
    session: { strategy: "jwt", maxAge: EIGHT_HOURS },
    // __Secure- cookies with the Secure flag whenever the public URL is https.
    useSecureCookies: env().NEXTAUTH_URL.startsWith("https://"),
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, req) {
          const result = await authenticate(credentials, clientAddress(req.headers ?? {}));
          // A thrown message reaches the sign-in form as `error`; returning null would hide it.
          if (!result.ok) throw new Error(result.message);
          return { id: result.userId };
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
      jwt: ({ token, user }) => (user ? { sub: user.id } : token),
      session: ({ session, token }) => ({ expires: session.expires, user: { id: token.sub } }),
    },
  };
  return options;
}
