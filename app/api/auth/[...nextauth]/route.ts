import NextAuth from "next-auth";
import { authOptions } from "@/lib/server/auth/auth-options";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options are built per call, not at import, so `next build` needs no secret.
function handler(req: Request, context: Context) {
  return NextAuth(authOptions())(req, context);
}

export { handler as GET, handler as POST };
