import NextAuth from "next-auth";
import { signInAttempt } from "@/lib/server/auth/auth-options";
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
  return response;
}

export { handler as GET, handler as POST };
