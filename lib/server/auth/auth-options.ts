import "server-only";
import { randomUUID } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { sameOriginPath } from "@/lib/domain/same-origin-path";
import { sessionIsLive, sessionTimesOf, signedInClaims } from "@/lib/domain/session-lifetime";
import { isAuthMethod, parseAcceptedAmr, ssoMethod, type AuthMethod } from "@/lib/domain/step-up";
import { appendAuditEvent } from "../audit/append-audit-event";
import { db } from "../db/db";
import { inTransaction } from "../db/transaction";
import { env } from "../env";
import { authenticate, type BreakGlassNotifier } from "./authenticate";
import { clientAddress } from "../http/request-address";
import { sessionLimits } from "./session-limits";
import { OIDC_PROVIDER_ID, oidcProvider } from "./oidc-provider";
import { usableSsoConfig, type SsoConfig } from "./sso-config";
import { idTokenForHint, ssoEndSessionUrl } from "./sso-logout";
import { recordSsoFailure, ssoSignIn } from "./sso-sign-in";
import { endUserSessions, startUserSession } from "./user-session-rows";

// Built on first use, not at import: `next build` imports route modules without a configured environment.
let options: NextAuthOptions | undefined;

const nowSeconds = () => Math.floor(Date.now() / 1000);

function userAgentOf(headers: Record<string, unknown> | undefined): string | undefined {
  const value = headers?.["user-agent"];
  return typeof value === "string" ? value : undefined;
}

/** The error text an anonymous visitor sees for a failure we did not foresee: a reference, never the exception. */
export function unexpectedSignInError(error: unknown): Error {
  const ref = randomUUID().slice(0, 8);
  console.error(`[sign-in ${ref}]`, error);
  return new Error(`Sign-in is not possible right now (ref ${ref}). Try again; if it keeps happening, give the reference to an admin.`);
}

export function authOptions(): NextAuthOptions {
  options ??= buildOptions();
  return options;
}

/** The portal user an SSO sign-in resolved to, carried from the signIn callback to the jwt callback on next-auth's user object. */
type SignedInUser = {
  id: string;
  sessionVersion?: number;
  portalUserId?: string;
  amr?: AuthMethod;
  clientAddress?: string;
  userAgent?: string;
};

function providers(sso: SsoConfig | null, notifyBreakGlass?: BreakGlassNotifier): NextAuthOptions["providers"] {
  return [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" }, code: { type: "text" } },
      async authorize(credentials, req) {
        let result;
        try {
          result = await authenticate(credentials, clientAddress(req.headers ?? {}), notifyBreakGlass);
        } catch (error) {
          throw unexpectedSignInError(error);
        }
        // A thrown message reaches the sign-in form as `error`; returning null would hide it.
        if (!result.ok) throw new Error(result.message);
        const client = { clientAddress: clientAddress(req.headers ?? {}), userAgent: userAgentOf(req.headers) };
        return { id: result.userId, sessionVersion: result.sessionVersion, amr: result.method, ...client };
      },
    }),
    ...(sso ? [oidcProvider(sso)] : []),
  ];
}

function buildOptions(): NextAuthOptions {
  const sso = usableSsoConfig();
  return {
    secret: env().AUTH_SECRET,
    // The Credentials provider needs JWT sessions; the user is still re-read on every request (current-actor.ts).
    // The cookie's own lifetime is the absolute one; the idle timeout is in the token (session-lifetime.ts).
    session: { strategy: "jwt", maxAge: env().SESSION_MAX_HOURS * 60 * 60 },
    // __Secure- cookies with the Secure flag whenever the public URL is https.
    useSecureCookies: env().NEXTAUTH_URL.startsWith("https://"),
    pages: { signIn: "/signin", error: "/signin" },
    providers: providers(sso),
    events: {
      async signOut({ token }) {
        const user = token?.sub ? await db().user.findUnique({ where: { id: token.sub }, select: { id: true, email: true } }) : null;
        const sid = typeof token?.sid === "string" ? token.sid : null;
        if (user)
          await inTransaction(async (tx) => {
            if (sid) await endUserSessions(tx, user.id, { reason: "signed_out", endedById: user.id }, { only: [sid] });
            await appendAuditEvent(tx, { actor: user, action: "auth.signed_out", entityType: "session", entityId: sid });
          });
      },
    },
    callbacks: {
      jwt: async ({ token, user, account, profile }) => {
        const now = nowSeconds();
        if (user) {
          const signedIn = user as SignedInUser;
          // An SSO user is the portal user the signIn callback resolved, never the provider's subject.
          const id = account?.provider === OIDC_PROVIDER_ID ? signedIn.portalUserId : signedIn.id;
          const amr =
            account?.provider === OIDC_PROVIDER_ID
              ? ssoMethod((profile ?? {}) as Record<string, unknown>, parseAcceptedAmr(env().OIDC_MFA_AMR))
              : signedIn.amr;
          if (!id) return {};
          const method = account?.provider === OIDC_PROVIDER_ID ? "sso" : "password";
          const sid = await startUserSession({ userId: id, method, clientAddress: signedIn.clientAddress, userAgent: signedIn.userAgent });
          // The ID token, for the IdP's sign-out (sso-logout.ts): in the encrypted cookie only, never in the session callback's answer.
          const idToken = account?.provider === OIDC_PROVIDER_ID ? idTokenForHint(account.id_token) : {};
          return { ...signedInClaims(id, signedIn.sessionVersion ?? 0, now, amr), sid, ...idToken };
        }
        // An ended session becomes an empty token: no user, and the session endpoint cannot revive it.
        const times = sessionTimesOf(token);
        if (!sessionIsLive(times, sessionLimits(), now)) return {};
        return { ...token, lastSeenAt: now };
      },
      session: ({ session, token }) => ({
        expires: session.expires,
        user: {
          id: token.sub,
          sessionVersion: typeof token.sv === "number" ? token.sv : undefined,
          // A token from before step-up counts as a password sign-in at its sign-in time.
          authAt: typeof token.authAt === "number" ? token.authAt : typeof token.signedInAt === "number" ? token.signedInAt : undefined,
          amr: isAuthMethod(token.amr) ? token.amr : undefined,
          sessionId: typeof token.sid === "string" ? token.sid : undefined,
        },
      }),
      // After sign-in and sign-out: only a path on the portal itself, never another host.
      redirect: ({ url, baseUrl }) => new URL(sameOriginPath(url, baseUrl), baseUrl).href,
    },
  };
}

/**
 * The options for one request to next-auth's routes: the SSO sign-in needs the client's address
 * for its audit events, and refusals next-auth reports only to its logger (a forged state, a
 * wrong nonce or issuer, the provider's error) are recorded too; `settled` waits for them.
 */
export function signInAttempt(
  address: string,
  notifyBreakGlass?: BreakGlassNotifier,
  userAgent?: string,
): { options: NextAuthOptions; settled: () => Promise<void>; endSessionUrl: () => string | null } {
  const base = authOptions();
  const sso = usableSsoConfig();
  const pending: Promise<void>[] = [];
  // A signed-out SSO session: where the IdP ends its own session too (RP-initiated logout).
  let endSession: string | null = null;
  const signInPage = (code: string) => `${env().NEXTAUTH_URL.replace(/\/+$/, "")}/signin?error=${encodeURIComponent(code)}`;
  const options: NextAuthOptions = {
    ...base,
    providers: providers(sso, notifyBreakGlass),
    logger: {
      error(code, metadata) {
        console.error(`[next-auth] ${code}`, metadata);
        if (sso && /^(OAUTH_CALLBACK|SIGNIN_OAUTH|OAUTH_PARSE_PROFILE)/.test(code)) {
          const message = metadata instanceof Error ? metadata.message : String((metadata as { error?: Error })?.error?.message ?? code);
          pending.push(recordSsoFailure(sso.issuer, address, `${code}: ${message.slice(0, 300)}`).catch((e) => console.error(e)));
        }
      },
      warn: (code) => console.warn(`[next-auth] ${code}`),
      debug: () => {},
    },
    events: {
      ...base.events,
      async signOut(message) {
        await base.events?.signOut?.(message);
        endSession = await ssoEndSessionUrl(message.token);
      },
    },
    callbacks: {
      ...base.callbacks,
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID || !sso) return true;
        try {
          const result = await ssoSignIn((profile ?? {}) as Record<string, unknown>, sso, address);
          if (!result.ok) return signInPage(result.code);
          Object.assign(user, {
            portalUserId: result.userId,
            sessionVersion: result.sessionVersion,
            clientAddress: address,
            userAgent,
          } satisfies Partial<SignedInUser>);
          return true;
        } catch (error) {
          unexpectedSignInError(error);
          return signInPage("sso-unavailable");
        }
      },
    },
  };
  return { options, settled: async () => void (await Promise.all(pending)), endSessionUrl: () => endSession };
}
