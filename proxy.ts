import { NextResponse, type NextRequest } from "next/server";
import { renewSession } from "@/lib/server/auth/renew-session";

// Runs before every page, server action and route handler (not next-auth's own routes, which
// write the session cookie themselves, nor static files).
export async function proxy(request: NextRequest) {
  const response = NextResponse.next();
  await renewSession(request, response);
  return response;
}

export const config = {
  matcher: ["/((?!api/auth/|_next/static/|_next/image/|favicon.ico).*)"],
};
