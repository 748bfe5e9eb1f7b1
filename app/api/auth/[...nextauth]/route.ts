import NextAuth from "next-auth";
import { signInAttempt } from "@/lib/server/auth/auth-options";
import { redirectedTo } from "@/lib/server/auth/sso-logout";
import { clientAddress } from "@/lib/server/http/request-address";
import { notifyBreakGlassSignIn } from "@/lib/server/notifications/notify-break-glass";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per call, not at import, so `next build` needs no secret.
async function handler(req: Request, context: Context) {
  const attempt = signInAttempt(
    clientAddress(Object.fromEntries(req.headers)),
    notifyBreakGlassSignIn,
    req.headers.get("user-agent") ?? undefined,
  );
  const response = await NextAuth(attempt.options)(req, context);
  await attempt.settled();
  // After signing out of an SSO session, on to the identity provider to end its session too.
  const endSession = attempt.endSessionUrl();
  return endSession ? redirectedTo(response, endSession) : response;
}

export { handler as GET, handler as POST };
