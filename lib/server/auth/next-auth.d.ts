import "next-auth";

// The session carries only the user's id and session version; everything else is read from the database per request.
declare module "next-auth" {
  interface Session {
    user: { id?: string; sessionVersion?: number; sessionId?: string };
  }
}
